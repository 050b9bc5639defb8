// SeededHunyuanCheckpoint: the HunyuanVideo-I2V DiT checkpoint of the step benchmark, which
// exists only as a rule (SeededCheckpoint): every parameter the configuration needs, under
// the reference's names, drawn from a seed on a chosen device (the golden data's rule, so
// that the zero-initialised modulation and final layers are live). It is a CheckpointFile,
// so the bench builds HunyuanDiT through InternalView and ModuleWeights exactly as from a
// real file; it writes itself as a safetensors file for the reference Python
// (writeSeededCheckpoint), and the GPU preset draws the 13B weights on the device without
// any file.
//
//   const SeededHunyuanCheckpoint checkpoint(config, 1, c10::Device("cuda"));
//   writeSeededCheckpoint(checkpoint, "dit.safetensors");   // for the reference
//   const InternalView view(checkpoint, ModelFamily::HunyuanDiT, CheckpointLayout::Official);
//
// Thread-safety: read() seeds the process-wide default generators (at::manual_seed), so one
// thread at a time, and none drawing random numbers meanwhile.
#pragma once

#include "core/infer/bench/seeded_checkpoint.h"
#include "core/infer/models/hunyuan/hy_dit_config.h"

#include <c10/core/Device.h>

#include <cstdint>

namespace storyreel::infer::bench {

class SeededHunyuanCheckpoint : public SeededCheckpoint {
public:
    // Throws UserError for a configuration HunyuanDiT refuses (HunyuanDiTConfig::validate) or
    // one the reference's constructor cannot express (patch other than (1, 2, 2)).
    // referenceConfigJson() holds HYVideoDiffusionTransformer's constructor arguments plus
    // the args it reads (i2v_condition_type, text_states_dim, text_states_dim_2,
    // rope_theta): the golden data's "config" format (HunyuanDiTConfig::fromJson reads it).
    SeededHunyuanCheckpoint(const hunyuan::HunyuanDiTConfig& config, std::uint64_t seed,
                            c10::Device drawDevice);

    const hunyuan::HunyuanDiTConfig& config() const { return config_; }

private:
    hunyuan::HunyuanDiTConfig config_;
};

}  // namespace storyreel::infer::bench
