// The wan-step benchmark's own machinery (core/infer/bench): its seeded weights are the same
// whether read from the safetensors file the reference gets or drawn directly (the GPU
// preset's way), follow the documented rule, and its GPU preset's code path (device-drawn
// weights, a memory profile with block swap) runs on the CPU with a tiny shape.
#include "core/infer/bench/wan_step_bench.h"

#include "core/base/user_error.h"
#include "core/infer/bench/seeded_wan_checkpoint.h"
#include "core/infer/registry/model_family.h"
#include "tests/core/infer/bench/bench_test_support.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

using namespace storyreel::infer;
using namespace storyreel::infer::bench;
using storyreel::infer::bench::testing::checkWrittenAsDrawn;
using storyreel::infer::bench::testing::freshBenchFolder;
using storyreel::infer::bench::testing::tinyWanI2V;

TEST_CASE("The bench's seeded Wan weights are the same from their file and drawn directly",
          "[infer][bench][wan]") {
    const SeededWanCheckpoint seeded(tinyWanI2V(), 7, at::kCPU);
    const std::filesystem::path file = freshBenchFolder("wan-seeded") / "dit.safetensors";
    writeSeededCheckpoint(seeded, file);

    const std::unique_ptr<CheckpointFile> written = checkWrittenAsDrawn(seeded, file);
    const ModelRecognition r =
        recogniseModel(written->tensors(), written->metadata(), written->architecture());
    CHECK(r.family == ModelFamily::WanDiT);
    CHECK(r.config.at("dim") == 64);
    CHECK(r.config.at("layers") == 2);
}

TEST_CASE("The bench's seeded Wan weights follow the documented rule", "[infer][bench][wan]") {
    const SeededWanCheckpoint seeded(tinyWanI2V(), 7, at::kCPU);
    // Matrices ~ N(0, 1/fan_in): ffn.0 is [128, 64], 8192 values.
    const at::Tensor ffn = seeded.read("blocks.0.ffn.0.weight");
    CHECK(ffn.sizes() == at::IntArrayRef({128, 64}));
    CHECK(std::abs(ffn.std().item<double>() * std::sqrt(64.0) - 1.0) < 0.05);
    // Norm gains ~ 1 + 0.1 N, biases ~ 0.1 N, modulation ~ N / sqrt(dim).
    CHECK(std::abs(seeded.read("blocks.0.norm3.weight").mean().item<double>() - 1.0) < 0.05);
    CHECK(std::abs(seeded.read("blocks.0.ffn.0.bias").std().item<double>() - 0.1) < 0.03);
    const at::Tensor modulation = seeded.read("blocks.1.modulation");
    CHECK(std::abs(modulation.std().item<double>() * 8.0 - 1.0) < 0.1);
    // Reading again gives the same values; another seed others.
    CHECK(at::equal(seeded.read("blocks.0.ffn.0.weight"), ffn));
    const SeededWanCheckpoint other(tinyWanI2V(), 8, at::kCPU);
    CHECK_FALSE(at::equal(other.read("blocks.0.ffn.0.weight"), ffn));
    using Catch::Contains;
    CHECK_THROWS_WITH(seeded.read("blocks.9.ffn.0.weight"), Contains("blocks.9.ffn.0.weight"));
}

TEST_CASE("wan-step runs the GPU preset's path on the CPU with a tiny shape",
          "[infer][bench][wan]") {
    // The 14B preset with everything that needs a GPU scaled down: weights drawn on the
    // device (no file), the 16gb profile with one resident block (the others swapped).
    const WanStepOptions options = parseWanStepOptions({"--preset",
                                                        "gpu-14b",
                                                        "--device",
                                                        "cpu",
                                                        "--dtype",
                                                        "float32",
                                                        "--dim",
                                                        "64",
                                                        "--heads",
                                                        "4",
                                                        "--ffn",
                                                        "128",
                                                        "--layers",
                                                        "3",
                                                        "--frames",
                                                        "5",
                                                        "--height",
                                                        "32",
                                                        "--width",
                                                        "48",
                                                        "--profile",
                                                        "16gb",
                                                        "--resident-blocks",
                                                        "1",
                                                        "--threads",
                                                        "1",
                                                        "--warmup",
                                                        "0",
                                                        "--repeats",
                                                        "1",
                                                        "--work",
                                                        freshBenchFolder("wan-gpu-path").string()});
    CHECK(options.deviceWeights);
    CHECK(options.config.isI2V());
    CHECK(options.config.textDim == 4096);  // the preset's real text width stays
    CHECK(options.residentBlocks == 1);
    const int threads = at::get_num_threads();
    const WanStepResult result = runWanStepBench(options);
    at::set_num_threads(threads);  // the bench sets ATen's (process-wide) thread count
    CHECK(result.residentBlocks == 1);
    CHECK(result.blockLoads == 2 * 2);  // 2 swapped blocks, cond and uncond forward
    REQUIRE(result.storyreel.seconds.size() == 1);
    CHECK(result.storyreel.seconds.front() > 0.0);
    CHECK(result.storyreel.stepPeakBytes > 0);
    CHECK(result.tokens == 2 * 2 * 3);  // latent 2 x 4 x 6, 2x2 patches
    CHECK(result.reference.seconds.empty());
    CHECK(result.noisePredError < 0.0);
}

TEST_CASE("wan-step options name the one that is wrong", "[infer][bench][wan]") {
    using Catch::Contains;
    CHECK_THROWS_WITH(parseWanStepOptions({"--height", "100"}), Contains("multiples of 16"));
    CHECK_THROWS_WITH(parseWanStepOptions({"--preset", "gpu-7b"}), Contains("gpu-14b"));
    CHECK_THROWS_WITH(parseWanStepOptions({"--layers", "many"}), Contains("--layers"));
    CHECK_THROWS_WITH(parseWanStepOptions({"--dim", "100", "--heads", "3"}),
                      Contains("multiple of --heads"));
    CHECK_THROWS_AS(parseWanStepOptions({"--frobnicate"}), storyreel::UserError);
}
