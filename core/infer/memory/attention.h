// Multi-head attention in the layout of the Wan reference (wan/modules/attention.py): q as
// [B, Lq, heads, head_dim], k and v as [B, Lk, heads, head_dim], the result as
// [B, Lq, heads, head_dim_v]. LibTorch 2.1 and later run at::scaled_dot_product_attention
// (flash or memory-efficient kernels on CUDA); older ones, and any caller that asks, run a
// chunked attention whose score matrix never exceeds a byte budget, so that 75,600 tokens
// (720p, 81 frames) do not need a 75,600^2 matrix.
//
//   at::Tensor out = attention(q, k, v);                         // self-attention
//   AttentionOptions options;  options.keyLengths = contextLens;  // Wan's k_lens
//   at::Tensor cross = attention(q, contextK, contextV, options);
//
// Thread-safety: pure functions.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>

namespace storyreel::infer {

enum class AttentionKernel {
    Auto,     // scaled_dot_product_attention where LibTorch has it, else Chunked
    Chunked,  // the memory-bounded fallback, on every version
};

struct AttentionOptions {
    // Optional [B] integer tensor: for batch item b only the first keyLengths[b] keys (and
    // values) count, the rest is padding (Wan's k_lens for padded text). Each length must
    // be in 1..Lk.
    at::Tensor keyLengths;
    // Multiplies q k^T; 1/sqrt(head_dim) when absent.
    std::optional<double> softmaxScale;
    // Chunked kernel: the most bytes the scores of one chunk may take (their own dtype and
    // the float32 softmax together).
    std::int64_t maxScoreBytes = std::int64_t{256} << 20;
    AttentionKernel kernel = AttentionKernel::Auto;
};

// Throws std::invalid_argument for shapes that do not match the layout above.
at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                     const AttentionOptions& options = {});

// How the chunked kernel splits its work: groups of heads, and query rows within them,
// such that batch * heads * queries * keys * bytesPerScore <= maxScoreBytes (at least one
// head and one query row, whatever the budget).
struct AttentionChunks {
    std::int64_t heads = 1;
    std::int64_t queries = 1;
};
AttentionChunks planAttentionChunks(std::int64_t batch, std::int64_t heads, std::int64_t queries,
                                    std::int64_t keys, std::int64_t bytesPerScore,
                                    std::int64_t maxScoreBytes);

// True when attention() with AttentionKernel::Auto uses scaled_dot_product_attention.
bool hasFusedAttention();

}  // namespace storyreel::infer
