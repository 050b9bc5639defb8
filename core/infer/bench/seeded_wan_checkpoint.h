// SeededWanCheckpoint: the Wan DiT checkpoint of the step benchmark, which exists only as a
// rule: every parameter the configuration needs (registry/expected_tensors.h), under the
// reference's names, drawn from a seed on a chosen device. It is a CheckpointFile, so the
// bench builds WanModel through InternalView and WanWeights exactly as from a real file; it
// writes itself as a safetensors file for the reference Python (one tensor in memory at a
// time), and the GPU preset draws the 14B weights on the device without any file.
// tools/bench/wan_reference_step.py (seeded_weight) draws the same values the same way.
//
//   const SeededWanCheckpoint checkpoint(config, 1, c10::Device("cuda"));
//   writeSeededWanCheckpoint(checkpoint, "dit.safetensors");      // for the reference
//   const InternalView view(checkpoint, ModelFamily::WanDiT, CheckpointLayout::Official);
//
// Thread-safety: read() seeds the process-wide default generators (at::manual_seed), so one
// thread at a time, and none drawing random numbers meanwhile.
#pragma once

#include "core/infer/models/wan/wan_config.h"
#include "core/infer/registry/checkpoint_file.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer::bench {

class SeededWanCheckpoint : public CheckpointFile {
public:
    // Throws UserError for a configuration WanModel refuses (WanModelConfig::validate).
    SeededWanCheckpoint(const wan::WanModelConfig& config, std::uint64_t seed,
                        c10::Device drawDevice);

    const wan::WanModelConfig& config() const { return config_; }
    std::uint64_t seed() const { return seed_; }
    // The reference's WanModel(**config) arguments as JSON (what the file's __metadata__
    // "config" holds).
    std::string referenceConfigJson() const;

    void checkReadable(std::string_view name) const override;
    // Tensor i of the sorted names: at::manual_seed(seed + i), float32 N(0, 1) on the draw
    // device, then matrices / sqrt(fan_in), modulations / sqrt(dim), 1-D weights (norm
    // gains) 1 + 0.1 N, biases 0.1 N. Returned on the CPU. Throws UserError for an unknown
    // name.
    at::Tensor read(std::string_view name) const override;

private:
    wan::WanModelConfig config_;
    std::uint64_t seed_;
    c10::Device drawDevice_;
};

// Streams every tensor (float32) to `file` in the safetensors format with
// __metadata__ {"config": referenceConfigJson(), "seed": ...}: at most one tensor is in
// memory at a time. Throws UserError naming the file when it cannot be written.
void writeSeededWanCheckpoint(const SeededWanCheckpoint& checkpoint,
                              const std::filesystem::path& file);

}  // namespace storyreel::infer::bench
