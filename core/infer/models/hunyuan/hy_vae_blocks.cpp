// Ports ResnetBlockCausal3D, UNetMidBlockCausal3D with prepare_causal_attention_mask
// (hyvideo/vae/unet_causal_3d_blocks.py) and diffusers 0.31's Attention + AttnProcessor for
// the configuration the mid block builds (heads 1, norm_num_groups, residual_connection,
// upcast_softmax, rescale_output_factor 1).
#include "core/infer/models/hunyuan/hy_vae_blocks.h"

#include "core/infer/memory/attention.h"

#include <ATen/ATen.h>

#include <utility>

namespace storyreel::infer::hunyuan {

VAEResnetBlock::VAEResnetBlock(HunyuanVAEParameters& parameters, const std::string& prefix,
                               std::int64_t in, std::int64_t out, std::int64_t groups)
    : norm1_(parameters, prefix + ".norm1", in, groups),
      conv1_(parameters, prefix + ".conv1", in, out, 3),
      norm2_(parameters, prefix + ".norm2", out, groups),
      conv2_(parameters, prefix + ".conv2", out, out, 3) {
    if (in != out) {
        shortcut_.emplace(parameters, prefix + ".conv_shortcut", in, out, 1);
    }
}

at::Tensor VAEResnetBlock::forward(const at::Tensor& x) const {
    at::Tensor hidden = conv1_.forward(norm1_.forward(x, true));
    hidden = conv2_.forward(norm2_.forward(hidden, true));
    // (input + hidden) / output_scale_factor, which is 1.
    return hidden.add_(shortcut_ ? shortcut_->forward(x) : x);
}

VAEMidAttention::VAEMidAttention(HunyuanVAEParameters& parameters, const std::string& prefix,
                                 std::int64_t channels, std::int64_t groups)
    : norm_(parameters, prefix + ".group_norm", channels, groups),
      qWeight_(parameters.take(prefix + ".to_q.weight", {channels, channels})),
      qBias_(parameters.take(prefix + ".to_q.bias", {channels})),
      kWeight_(parameters.take(prefix + ".to_k.weight", {channels, channels})),
      kBias_(parameters.take(prefix + ".to_k.bias", {channels})),
      vWeight_(parameters.take(prefix + ".to_v.weight", {channels, channels})),
      vBias_(parameters.take(prefix + ".to_v.bias", {channels})),
      outWeight_(parameters.take(prefix + ".to_out.0.weight", {channels, channels})),
      outBias_(parameters.take(prefix + ".to_out.0.bias", {channels})) {}

at::Tensor VAEMidAttention::forward(const at::Tensor& x) const {
    const std::int64_t batch = x.size(0);
    const std::int64_t channels = x.size(1);
    const std::int64_t frames = x.size(2);
    const std::int64_t perFrame = x.size(3) * x.size(4);
    // "b c f h w -> b (f h w) c"; GroupNorm over [B, C, F*H*W] is GroupNorm over the video.
    const at::Tensor tokens = norm_.forward(x, false).flatten(2).transpose(1, 2);
    const at::Tensor q = at::linear(tokens, qWeight_, qBias_).unsqueeze(2);  // [B, S, 1, C]
    const at::Tensor k = at::linear(tokens, kWeight_, kBias_).unsqueeze(2);
    const at::Tensor v = at::linear(tokens, vWeight_, vBias_).unsqueeze(2);
    // The block-causal mask, frame by frame: the queries of frame f see the keys of frames
    // 0..f, the others are -inf in the reference (exp gives exactly 0).
    AttentionOptions options;
    options.kernel = AttentionKernel::Chunked;  // bounded memory whatever the head size (C)
    at::Tensor attended = at::empty({batch, frames * perFrame, channels}, q.options());
    for (std::int64_t f = 0; f < frames; ++f) {
        const std::int64_t keys = (f + 1) * perFrame;
        attended.narrow(1, f * perFrame, perFrame)
            .copy_(attention(q.narrow(1, f * perFrame, perFrame), k.narrow(1, 0, keys),
                             v.narrow(1, 0, keys), options)
                       .squeeze(2));
    }
    const at::Tensor out = at::linear(attended, outWeight_, outBias_);  // [B, S, C]
    // "b (f h w) c -> b c f h w", plus the residual.
    return out.transpose(1, 2).reshape(x.sizes()).add_(x);
}

VAEMidBlock::VAEMidBlock(HunyuanVAEParameters& parameters, const std::string& prefix,
                         std::int64_t channels, std::int64_t groups, bool attention)
    : first_(parameters, prefix + ".resnets.0", channels, channels, groups),
      second_(parameters, prefix + ".resnets.1", channels, channels, groups) {
    if (attention) {
        attention_.emplace(parameters, prefix + ".attentions.0", channels, groups);
    }
}

at::Tensor VAEMidBlock::forward(const at::Tensor& x) const {
    at::Tensor hidden = first_.forward(x);
    if (attention_) {
        hidden = attention_->forward(hidden);
    }
    return second_.forward(hidden);
}

}  // namespace storyreel::infer::hunyuan
