// SeededHunyuanCheckpoint: the HunyuanVideo-I2V DiT checkpoint of the step benchmark, which
// exists only as a rule: every parameter the configuration needs (registry/
// expected_tensors.h), under the reference's names, drawn from a seed on a chosen device. It
// is a CheckpointFile, so the bench builds HunyuanDiT through InternalView and ModuleWeights
// exactly as from a real file; it writes itself as a safetensors file for the reference
// Python (one tensor in memory at a time), and the GPU preset draws the 13B weights on the
// device without any file. tools/bench/hunyuan_reference_step.py (with wan_reference_step.py's
// seeded_weight) draws the same values the same way.
//
//   const SeededHunyuanCheckpoint checkpoint(config, 1, c10::Device("cuda"));
//   writeSeededHunyuanCheckpoint(checkpoint, "dit.safetensors");   // for the reference
//   const InternalView view(checkpoint, ModelFamily::HunyuanDiT, CheckpointLayout::Official);
//
// Thread-safety: read() seeds the process-wide default generators (at::manual_seed), so one
// thread at a time, and none drawing random numbers meanwhile.
#pragma once

#include "core/infer/models/hunyuan/hy_dit_config.h"
#include "core/infer/registry/checkpoint_file.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace storyreel::infer::bench {

class SeededHunyuanCheckpoint : public CheckpointFile {
public:
    // Throws UserError for a configuration HunyuanDiT refuses (HunyuanDiTConfig::validate) or
    // one the reference's constructor cannot express (patch other than (1, 2, 2)).
    SeededHunyuanCheckpoint(const hunyuan::HunyuanDiTConfig& config, std::uint64_t seed,
                            c10::Device drawDevice);

    const hunyuan::HunyuanDiTConfig& config() const { return config_; }
    std::uint64_t seed() const { return seed_; }
    // HYVideoDiffusionTransformer's constructor arguments plus the args it reads
    // (i2v_condition_type, text_states_dim, text_states_dim_2, rope_theta) as JSON, the
    // golden data's "config" format (HunyuanDiTConfig::fromJson reads it back).
    std::string referenceConfigJson() const;

    void checkReadable(std::string_view name) const override;
    // Tensor i of the sorted names: at::manual_seed(seed + i), float32 N(0, 1) on the draw
    // device, then matrices (and the patch convolution) / sqrt(fan_in), 1-D weights (norm
    // gains) 1 + 0.1 N, biases 0.1 N: the golden data's rule, so that the zero-initialised
    // modulation and final layers are live. Returned on the CPU. Throws UserError for an
    // unknown name.
    at::Tensor read(std::string_view name) const override;

private:
    hunyuan::HunyuanDiTConfig config_;
    std::uint64_t seed_;
    c10::Device drawDevice_;
};

// Streams every tensor (float32) to `file` in the safetensors format with
// __metadata__ {"config": referenceConfigJson(), "seed": ...}: at most one tensor is in
// memory at a time. Throws UserError naming the file when it cannot be written.
void writeSeededHunyuanCheckpoint(const SeededHunyuanCheckpoint& checkpoint,
                                  const std::filesystem::path& file);

}  // namespace storyreel::infer::bench
