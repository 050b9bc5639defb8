// Attention with an explicit boolean mask, as transformers 4.39.3's eager attention computes
// it for Llama (causal + padding) and CLIP (text: causal + padding; vision: none): scores
// q k^T / sqrt(head_dim) in q's dtype, masked keys removed, softmax in float32, back to q's
// dtype, times v. On LibTorch 2.1+ with CUDA tensors the fused scaled_dot_product_attention
// runs instead (same mathematics, no [L, L] score matrix per head kept in float32).
//
//   at::Tensor allowed = causalPaddingMask(mask);              // [B, 1, L, L] bool
//   at::Tensor out = maskedAttention(q, k, v, allowed);        // [B, H, L, D]
//
// Thread-safety: pure functions.
#pragma once

#include <ATen/core/Tensor.h>

namespace storyreel::infer::hunyuan {

// q: [B, H, Lq, D]; k, v: [B, H, Lk, D]; allowed: bool broadcastable to [B, H, Lq, Lk]
// (true = the query sees the key) or undefined (every key). Every query row must allow at
// least one key. Returns [B, H, Lq, D].
at::Tensor maskedAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                           const at::Tensor& allowed);

// keyMask: [B, L] (non-zero = a real token). Returns [B, 1, L, L] bool: query i sees key j
// when j <= i and keyMask[b, j] != 0 (transformers' causal mask plus its expanded padding
// mask), on keyMask's device. A query that would see no key sees them all (no NaN rows).
at::Tensor causalPaddingMask(const at::Tensor& keyMask);

}  // namespace storyreel::infer::hunyuan
