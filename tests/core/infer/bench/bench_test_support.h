// What the step benchmarks' tests share: a fresh scratch folder per test process, a tiny
// Wan 2.1 I2V DiT, and the check that a seeded checkpoint's safetensors file holds exactly
// what it draws.
//
//   const std::filesystem::path file = freshBenchFolder("seeded") / "dit.safetensors";
//   writeSeededCheckpoint(seeded, file);
//   const std::unique_ptr<CheckpointFile> written = checkWrittenAsDrawn(seeded, file);
//
// Thread-safety: test helpers, for Catch2's thread only.
#pragma once

#include "core/infer/bench/seeded_checkpoint.h"
#include "core/infer/models/wan/wan_config.h"
#include "core/infer/registry/checkpoint_file.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

namespace storyreel::infer::bench::testing {

// An empty folder `name` under the temp folder, this process's own.
inline std::filesystem::path freshBenchFolder(const std::string& name) {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      ("storyreel_bench_" + std::to_string(::getpid())) / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

// The 14B I2V with everything scaled down: dim 64, 4 heads, ffn 128, 2 layers, text 32.
inline wan::WanModelConfig tinyWanI2V() {
    wan::WanModelConfig config = wan::kWanI2V14B;
    config.dim = 64;
    config.numHeads = 4;
    config.ffnDim = 128;
    config.numLayers = 2;
    config.textDim = 32;
    return config;
}

// Opens `file` (written by writeSeededCheckpoint) and checks its metadata config and every
// tensor against what `seeded` draws; returns it for the model's own checks.
inline std::unique_ptr<CheckpointFile> checkWrittenAsDrawn(const SeededCheckpoint& seeded,
                                                           const std::filesystem::path& file) {
    std::unique_ptr<CheckpointFile> written = openCheckpoint(file);
    CHECK(written->metadata().at("config") == seeded.referenceConfigJson());
    CHECK(written->metadata().at("seed") == std::to_string(seeded.seed()));
    REQUIRE(written->tensors().size() == seeded.tensors().size());
    for (const TensorInfo& info : seeded.tensors()) {
        INFO(info.name);
        CHECK(at::equal(written->read(info.name), seeded.read(info.name)));
    }
    std::cout << "checked " << seeded.tensors().size() << " seeded tensors against " << file
              << "\n";
    return written;
}

}  // namespace storyreel::infer::bench::testing
