// HunyuanVAEDecoder: DecoderCausal3D (hyvideo/vae/vae.py) under the prefix "decoder.":
// conv_in from the latent channels, the mid block, the up blocks (layers_per_block + 1
// residual blocks, then an UpsampleCausal3D where the block upsamples), GroupNorm + SiLU and
// conv_out. Takes z after post_quant_conv.
//
//   HunyuanVAEDecoder decoder(config, parameters);
//   at::Tensor video = decoder.forward(z);   // [B, 16, t, h, w] -> [B, 3, 1+4(t-1), 8h, 8w]
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

class HunyuanVAEDecoder {
public:
    HunyuanVAEDecoder(const HunyuanVAEConfig& config, HunyuanVAEParameters& parameters);

    // z: [B, latent_channels, t, h, w] in the compute dtype.
    at::Tensor forward(const at::Tensor& z) const;

private:
    struct UpBlock {
        std::vector<VAEResnetBlock> resnets;
        std::optional<VAEUpsample> upsampler;
    };

    VAECausalConv3d convIn_;
    std::optional<VAEMidBlock> mid_;
    std::vector<UpBlock> blocks_;
    VAEGroupNorm normOut_;
    VAECausalConv3d convOut_;
};

}  // namespace storyreel::infer::hunyuan
