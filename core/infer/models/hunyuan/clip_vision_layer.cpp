#include "core/infer/models/hunyuan/clip_vision_layer.h"

#include "core/infer/models/hunyuan/llama_attention.h"

#include <ATen/ATen.h>

namespace storyreel::infer::hunyuan {

at::Tensor clipLayerNorm(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
                         double eps) {
    return at::layer_norm(x.to(at::kFloat), {x.size(-1)}, weight.to(at::kFloat),
                          bias.to(at::kFloat), eps)
        .to(x.scalar_type());
}

ClipEncoderLayer::ClipEncoderLayer(const ModuleWeights& weights, const std::string& prefix,
                                   const ClipLayerShape& shape, at::ScalarType dtype)
    : shape_(shape) {
    const std::int64_t hidden = shape.hiddenSize;
    const std::int64_t mlp = shape.intermediateSize;
    const auto norm = [&](const std::string& name) {
        return weights.dense(prefix + name, {hidden}, dtype);
    };
    norm1Weight_ = register_buffer("layer_norm1_weight", norm("layer_norm1.weight"));
    norm1Bias_ = register_buffer("layer_norm1_bias", norm("layer_norm1.bias"));
    norm2Weight_ = register_buffer("layer_norm2_weight", norm("layer_norm2.weight"));
    norm2Bias_ = register_buffer("layer_norm2_bias", norm("layer_norm2.bias"));
    qProj_ = register_module("q_proj", weights.linear(prefix + "self_attn.q_proj", hidden, hidden));
    kProj_ = register_module("k_proj", weights.linear(prefix + "self_attn.k_proj", hidden, hidden));
    vProj_ = register_module("v_proj", weights.linear(prefix + "self_attn.v_proj", hidden, hidden));
    outProj_ =
        register_module("out_proj", weights.linear(prefix + "self_attn.out_proj", hidden, hidden));
    fc1_ = register_module("fc1", weights.linear(prefix + "mlp.fc1", mlp, hidden));
    fc2_ = register_module("fc2", weights.linear(prefix + "mlp.fc2", hidden, mlp));
}

at::Tensor ClipEncoderLayer::forward(const at::Tensor& x, const at::Tensor& allowed) const {
    const double eps = shape_.layerNormEps;
    at::Tensor out = x + attention(clipLayerNorm(x, norm1Weight_, norm1Bias_, eps), allowed);
    const at::Tensor normed = clipLayerNorm(out, norm2Weight_, norm2Bias_, eps);
    return out + fc2_->forward(applyClipHiddenAct(fc1_->forward(normed), shape_.hiddenAct));
}

// CLIPAttention.forward: heads first, softmax(q k^T / sqrt(d) + masks) v, out_proj.
at::Tensor ClipEncoderLayer::attention(const at::Tensor& x, const at::Tensor& allowed) const {
    const std::int64_t batch = x.size(0);
    const std::int64_t length = x.size(1);
    const std::int64_t heads = shape_.numHeads;
    const std::int64_t headDim = shape_.hiddenSize / heads;
    const auto split = [&](const at::Tensor& t) {
        return t.view({batch, length, heads, headDim}).transpose(1, 2);
    };
    const at::Tensor out = maskedAttention(split(qProj_->forward(x)), split(kProj_->forward(x)),
                                           split(vProj_->forward(x)), allowed);
    return outProj_->forward(out.transpose(1, 2).reshape({batch, length, shape_.hiddenSize}));
}

}  // namespace storyreel::infer::hunyuan
