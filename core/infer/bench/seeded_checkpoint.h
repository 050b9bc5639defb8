// SeededCheckpoint: what the step benchmarks' seeded checkpoints (SeededWanCheckpoint,
// SeededHunyuanCheckpoint) share: a checkpoint that exists only as a rule, every parameter
// a recognised model needs (registry/expected_tensors.h) under the reference's names, drawn
// from a seed on a chosen device; and writing it as a safetensors file for the reference
// Python, one tensor in memory at a time. tools/bench/reference_step_common.py
// (seeded_weight) draws the same values the same way.
//
//   class SeededFooCheckpoint : public SeededCheckpoint { ... listTensors(r, json); ... };
//   writeSeededCheckpoint(checkpoint, "dit.safetensors");      // for the reference
//   const InternalView view(checkpoint, family, CheckpointLayout::Official);
//
// Thread-safety: read() seeds the process-wide default generators (at::manual_seed), so one
// thread at a time, and none drawing random numbers meanwhile.
#pragma once

#include "core/infer/registry/checkpoint_file.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace storyreel::infer {
struct ModelRecognition;
}

namespace storyreel::infer::bench {

class SeededCheckpoint : public CheckpointFile {
public:
    std::uint64_t seed() const { return seed_; }
    // The reference model's constructor arguments as JSON (what the file's __metadata__
    // "config" holds).
    const std::string& referenceConfigJson() const { return configJson_; }

    void checkReadable(std::string_view name) const override;
    // Tensor i of the sorted names: at::manual_seed(seed + i), float32 N(0, 1) on the draw
    // device, then matrices (and convolutions) / sqrt(fan_in), tensors named *modulation /
    // sqrt(their last size), 1-D weights (norm gains) 1 + 0.1 N, biases 0.1 N. Returned on
    // the CPU. Throws UserError for an unknown name.
    at::Tensor read(std::string_view name) const override;

protected:
    // `description` names it in messages ("seeded Wan DiT (seed 1)").
    SeededCheckpoint(std::string description, std::uint64_t seed, c10::Device drawDevice);
    // Lists every tensor `recognition` expects (float32) and sets the metadata; derived
    // constructors call it once, after checking their configuration.
    void listTensors(const ModelRecognition& recognition, std::string configJson);

private:
    std::uint64_t seed_;
    c10::Device drawDevice_;
    std::string configJson_;
};

// Streams every tensor (float32) to `file` in the safetensors format with
// __metadata__ {"config": referenceConfigJson(), "seed": ...}: at most one tensor is in
// memory at a time. Throws UserError naming the file when it cannot be written.
void writeSeededCheckpoint(const SeededCheckpoint& checkpoint, const std::filesystem::path& file);

}  // namespace storyreel::infer::bench
