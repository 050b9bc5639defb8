// Ports EncoderCausal3D and DownEncoderBlockCausal3D (hyvideo/vae/vae.py,
// unet_causal_3d_blocks.py).
#include "core/infer/models/hunyuan/hy_vae_encoder.h"

#include <ATen/ATen.h>

#include <string>

namespace storyreel::infer::hunyuan {

HunyuanVAEEncoder::HunyuanVAEEncoder(const HunyuanVAEConfig& config,
                                     HunyuanVAEParameters& parameters) {
    const std::vector<std::int64_t>& channels = config.blockOutChannels;
    const std::int64_t groups = config.normNumGroups;
    convIn_ = VAECausalConv3d(parameters, "encoder.conv_in", config.inChannels, channels[0], 3);
    std::int64_t previous = channels[0];
    for (std::size_t i = 0; i < config.blockCount(); ++i) {
        const std::string prefix = "encoder.down_blocks." + std::to_string(i);
        DownBlock block;
        for (std::int64_t j = 0; j < config.layersPerBlock; ++j) {
            block.resnets.emplace_back(parameters, prefix + ".resnets." + std::to_string(j),
                                       j == 0 ? previous : channels[i], channels[i], groups);
        }
        const Triple stride = config.downsampleStride(i);
        if (stride != Triple{1, 1, 1}) {
            block.downsampler.emplace(parameters, prefix + ".downsamplers.0.conv", channels[i],
                                      channels[i], 3, stride);
        }
        blocks_.push_back(std::move(block));
        previous = channels[i];
    }
    mid_.emplace(parameters, "encoder.mid_block", channels.back(), groups,
                 config.midBlockAddAttention);
    normOut_ = VAEGroupNorm(parameters, "encoder.conv_norm_out", channels.back(), groups);
    convOut_ = VAECausalConv3d(parameters, "encoder.conv_out", channels.back(),
                               2 * config.latentChannels, 3);
}

at::Tensor HunyuanVAEEncoder::forward(const at::Tensor& x) const {
    at::Tensor hidden = convIn_.forward(x);
    for (const DownBlock& block : blocks_) {
        for (const VAEResnetBlock& resnet : block.resnets) {
            hidden = resnet.forward(hidden);
        }
        if (block.downsampler) {
            hidden = block.downsampler->forward(hidden);
        }
    }
    hidden = mid_->forward(hidden);
    return convOut_.forward(normOut_.forward(hidden, true));
}

}  // namespace storyreel::infer::hunyuan
