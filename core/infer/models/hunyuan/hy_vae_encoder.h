// HunyuanVAEEncoder: EncoderCausal3D (hyvideo/vae/vae.py) under the prefix "encoder.":
// conv_in, the down blocks (residual blocks, then a strided causal conv where the block
// downsamples), the mid block, GroupNorm + SiLU and conv_out to 2 * latent channels (the
// moments before quant_conv).
//
//   HunyuanVAEEncoder encoder(config, parameters);
//   at::Tensor h = encoder.forward(video);   // [B, 3, 1+4k, H, W] -> [B, 32, 1+k, H/8, W/8]
//
// Thread-safety: immutable after loading; forward() from any thread.
#pragma once

#include "core/infer/models/hunyuan/hy_vae_blocks.h"
#include "core/infer/models/hunyuan/hy_vae_config.h"
#include "core/infer/models/hunyuan/hy_vae_layers.h"
#include "core/infer/models/hunyuan/hy_vae_parameters.h"

#include <ATen/core/Tensor.h>

#include <optional>
#include <vector>

namespace storyreel::infer::hunyuan {

class HunyuanVAEEncoder {
public:
    HunyuanVAEEncoder(const HunyuanVAEConfig& config, HunyuanVAEParameters& parameters);

    // x: [B, in_channels, T, H, W] in the compute dtype.
    at::Tensor forward(const at::Tensor& x) const;

private:
    struct DownBlock {
        std::vector<VAEResnetBlock> resnets;
        std::optional<VAECausalConv3d> downsampler;
    };

    VAECausalConv3d convIn_;
    std::vector<DownBlock> blocks_;
    std::optional<VAEMidBlock> mid_;
    VAEGroupNorm normOut_;
    VAECausalConv3d convOut_;
};

}  // namespace storyreel::infer::hunyuan
