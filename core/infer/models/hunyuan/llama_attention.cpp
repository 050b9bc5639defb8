#include "core/infer/models/hunyuan/llama_attention.h"

#include "core/infer/torch_compat.h"

#include <ATen/ATen.h>

#include <cmath>
#include <limits>

namespace storyreel::infer::hunyuan {

at::Tensor maskedAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                           const at::Tensor& allowed) {
#if STORYREEL_TORCH_AT_LEAST(2, 1)
    if (q.is_cuda()) {
        const c10::optional<at::Tensor> mask =
            allowed.defined() ? c10::optional<at::Tensor>(allowed) : c10::nullopt;
        return at::scaled_dot_product_attention(q, k, v, mask);
    }
#endif
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    at::Tensor scores = at::matmul(q, k.transpose(-1, -2)).mul(scale);
    if (allowed.defined()) {
        scores =
            scores.masked_fill(allowed.logical_not(), -std::numeric_limits<double>::infinity());
    }
    const at::Tensor weights = at::softmax(scores, -1, at::kFloat).to(q.scalar_type());
    return at::matmul(weights, v);
}

at::Tensor causalPaddingMask(const at::Tensor& keyMask) {
    const std::int64_t length = keyMask.size(1);
    const at::Tensor causal =
        at::ones({length, length}, keyMask.options().dtype(at::kBool)).tril();  // [Lq, Lk]
    const at::Tensor keys = keyMask.ne(0).view({keyMask.size(0), 1, 1, length});
    const at::Tensor allowed = causal.view({1, 1, length, length}).logical_and(keys);
    // A query with no key left (left padding) would give NaN, which its values then spread
    // to every query through a zero weight; transformers' additive mask gives such a row
    // (near) uniform weights over all keys instead, so let it see every key.
    return allowed.logical_or(allowed.any(-1, true).logical_not());
}

}  // namespace storyreel::infer::hunyuan
