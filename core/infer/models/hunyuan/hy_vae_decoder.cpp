// Ports DecoderCausal3D and UpDecoderBlockCausal3D (hyvideo/vae/vae.py,
// unet_causal_3d_blocks.py) for norm_type "group" (no spatial norm, no time embedding).
#include "core/infer/models/hunyuan/hy_vae_decoder.h"

#include <ATen/ATen.h>

#include <string>

namespace storyreel::infer::hunyuan {

HunyuanVAEDecoder::HunyuanVAEDecoder(const HunyuanVAEConfig& config,
                                     HunyuanVAEParameters& parameters) {
    const std::vector<std::int64_t> channels(config.blockOutChannels.rbegin(),
                                             config.blockOutChannels.rend());
    const std::int64_t groups = config.normNumGroups;
    convIn_ = VAECausalConv3d(parameters, "decoder.conv_in", config.latentChannels, channels[0], 3);
    mid_.emplace(parameters, "decoder.mid_block", channels[0], groups, config.midBlockAddAttention);
    std::int64_t previous = channels[0];
    for (std::size_t i = 0; i < config.blockCount(); ++i) {
        const std::string prefix = "decoder.up_blocks." + std::to_string(i);
        UpBlock block;
        for (std::int64_t j = 0; j < config.layersPerBlock + 1; ++j) {
            block.resnets.emplace_back(parameters, prefix + ".resnets." + std::to_string(j),
                                       j == 0 ? previous : channels[i], channels[i], groups);
        }
        const Triple factor = config.upsampleFactor(i);
        if (factor != Triple{1, 1, 1}) {
            block.upsampler.emplace(parameters, prefix + ".upsamplers.0", channels[i], factor);
        }
        blocks_.push_back(std::move(block));
        previous = channels[i];
    }
    normOut_ = VAEGroupNorm(parameters, "decoder.conv_norm_out", channels.back(), groups);
    convOut_ =
        VAECausalConv3d(parameters, "decoder.conv_out", channels.back(), config.outChannels, 3);
}

at::Tensor HunyuanVAEDecoder::forward(const at::Tensor& z) const {
    at::Tensor hidden = mid_->forward(convIn_.forward(z));
    for (const UpBlock& block : blocks_) {
        for (const VAEResnetBlock& resnet : block.resnets) {
            hidden = resnet.forward(hidden);
        }
        if (block.upsampler) {
            hidden = block.upsampler->forward(hidden);
        }
    }
    return convOut_.forward(normOut_.forward(hidden, true));
}

}  // namespace storyreel::infer::hunyuan
