#include "core/infer/memory/attention.h"

#include "core/infer/torch_compat.h"

#include <ATen/ATen.h>
#include <c10/util/Optional.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace storyreel::infer {
namespace {

std::string shapeOf(const at::Tensor& tensor) {
    std::string text = "[";
    for (std::int64_t dim = 0; dim < tensor.dim(); ++dim) {
        text += (dim ? ", " : "") + std::to_string(tensor.size(dim));
    }
    return text + "]";
}

void checkShapes(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                 const AttentionOptions& options) {
    const bool ok = q.dim() == 4 && k.dim() == 4 && v.dim() == 4 && q.size(0) == k.size(0) &&
                    k.size(0) == v.size(0) && q.size(2) == k.size(2) && k.size(2) == v.size(2) &&
                    q.size(3) == k.size(3) && k.size(1) == v.size(1) && k.size(1) > 0;
    if (!ok) {
        throw std::invalid_argument(
            "attention: expected q [B, Lq, H, D], k [B, Lk, H, D] and v "
            "[B, Lk, H, Dv], got " +
            shapeOf(q) + ", " + shapeOf(k) + ", " + shapeOf(v));
    }
    if (options.keyLengths.defined()) {
        const at::Tensor lengths = options.keyLengths.to(at::kCPU, at::kLong);
        if (lengths.dim() != 1 || lengths.size(0) != q.size(0) ||
            lengths.min().item<std::int64_t>() < 1 ||
            lengths.max().item<std::int64_t>() > k.size(1)) {
            throw std::invalid_argument(
                "attention: keyLengths must hold B = " + std::to_string(q.size(0)) +
                " lengths in 1.." + std::to_string(k.size(1)));
        }
    }
}

// True when keyLengths leaves out some key of some batch item; without padding no mask is
// built, so the chunked kernel skips the masking pass and scaled_dot_product_attention may
// pick its flash kernel (which takes no mask) on CUDA. Wan's self-attention passes its
// token counts, which equal Lk unless seq_len was padded.
bool hasPadding(const AttentionOptions& options, std::int64_t keys) {
    return options.keyLengths.defined() && options.keyLengths.min().item<std::int64_t>() < keys;
}

// [B, Lk], true where a key is padding.
at::Tensor paddingMask(const at::Tensor& keyLengths, std::int64_t keys, c10::Device device) {
    const at::Tensor positions =
        at::arange(keys, at::TensorOptions().device(device).dtype(at::kLong));
    return positions.unsqueeze(0) >= keyLengths.to(device, at::kLong).unsqueeze(1);
}

at::Tensor chunkedAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                            const AttentionOptions& options, double scale) {
    const std::int64_t batch = q.size(0);
    const std::int64_t queries = q.size(1);
    const std::int64_t heads = q.size(2);
    const std::int64_t keys = k.size(1);
    // [B, H, L, D] views; nothing is copied here.
    const at::Tensor qh = q.transpose(1, 2);
    const at::Tensor kt = k.permute({0, 2, 3, 1});  // [B, H, D, Lk]
    const at::Tensor vh = v.transpose(1, 2);
    at::Tensor out = at::empty({batch, queries, heads, v.size(3)}, v.options());
    const at::Tensor outHeads = out.transpose(1, 2);  // [B, H, Lq, Dv], a view of out
    at::Tensor pad;
    if (hasPadding(options, keys)) {
        pad = paddingMask(options.keyLengths, keys, q.device()).view({batch, 1, 1, keys});
    }
    const auto chunks = planAttentionChunks(batch, heads, queries, keys, q.element_size() + 4,
                                            options.maxScoreBytes);
    for (std::int64_t h0 = 0; h0 < heads; h0 += chunks.heads) {
        const std::int64_t hn = std::min(chunks.heads, heads - h0);
        const at::Tensor kChunk = kt.narrow(1, h0, hn);
        const at::Tensor vChunk = vh.narrow(1, h0, hn);
        for (std::int64_t q0 = 0; q0 < queries; q0 += chunks.queries) {
            const std::int64_t qn = std::min(chunks.queries, queries - q0);
            // scores: [B, hn, qn, Lk], softmax in float32 whatever the input dtype.
            at::Tensor scores =
                at::matmul(qh.narrow(1, h0, hn).narrow(2, q0, qn) * scale, kChunk).to(at::kFloat);
            if (pad.defined()) {
                scores.masked_fill_(pad, -std::numeric_limits<float>::infinity());
            }
            const at::Tensor weights = scores.softmax(-1).to(v.scalar_type());
            outHeads.narrow(1, h0, hn).narrow(2, q0, qn).copy_(at::matmul(weights, vChunk));
        }
    }
    return out;
}

#if STORYREEL_TORCH_AT_LEAST(2, 1)
at::Tensor fusedAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                          const AttentionOptions& options, double scale) {
    // c10::optional: a distinct type from std::optional before LibTorch 2.4, an alias after.
    c10::optional<at::Tensor> mask;
    if (hasPadding(options, k.size(1))) {
        // Boolean masks mark the keys that take part.
        mask = paddingMask(options.keyLengths, k.size(1), q.device())
                   .logical_not()
                   .view({q.size(0), 1, 1, k.size(1)});
    }
    return at::scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2),
                                            mask, 0.0, false, scale)
        .transpose(1, 2)
        .contiguous();
}
#endif

}  // namespace

AttentionChunks planAttentionChunks(std::int64_t batch, std::int64_t heads, std::int64_t queries,
                                    std::int64_t keys, std::int64_t bytesPerScore,
                                    std::int64_t maxScoreBytes) {
    const std::int64_t rowBytes = std::max<std::int64_t>(1, batch * keys * bytesPerScore);
    AttentionChunks chunks;
    chunks.heads =
        std::clamp<std::int64_t>(maxScoreBytes / rowBytes, 1, std::max<std::int64_t>(1, heads));
    chunks.queries = std::clamp<std::int64_t>(maxScoreBytes / (rowBytes * chunks.heads), 1,
                                              std::max<std::int64_t>(1, queries));
    return chunks;
}

bool hasFusedAttention() {
    return STORYREEL_TORCH_AT_LEAST(2, 1);
}

at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                     const AttentionOptions& options) {
    checkShapes(q, k, v, options);
    const double scale =
        options.softmaxScale.value_or(1.0 / std::sqrt(static_cast<double>(q.size(3))));
#if STORYREEL_TORCH_AT_LEAST(2, 1)
    if (options.kernel == AttentionKernel::Auto) {
        return fusedAttention(q, k, v, options, scale);
    }
#endif
    return chunkedAttention(q, k, v, options, scale);
}

}  // namespace storyreel::infer
