#include "core/infer/models/hunyuan/hy_attention.h"

#include "core/infer/memory/attention.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace storyreel::infer::hunyuan {
namespace {

constexpr double kRmsEps = 1e-6;

at::Tensor flattenHeads(const at::Tensor& x) {
    return x.reshape({x.size(0), x.size(1), x.size(2) * x.size(3)});
}

}  // namespace

std::vector<std::int64_t> hunyuanSegmentLengths(const at::Tensor& textMask,
                                                std::int64_t imageTokens) {
    if (textMask.dim() != 2) {
        throw std::invalid_argument("HunyuanVideo attention: text_mask must be [B, L]");
    }
    const at::Tensor counts = (textMask.to(at::kCPU) != 0).sum(1).to(at::kLong).contiguous();
    std::vector<std::int64_t> lengths(static_cast<std::size_t>(counts.size(0)));
    for (std::int64_t b = 0; b < counts.size(0); ++b) {
        lengths[static_cast<std::size_t>(b)] = imageTokens + counts.data_ptr<std::int64_t>()[b];
    }
    return lengths;
}

at::Tensor hunyuanJointAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                 const std::vector<std::int64_t>& lengths) {
    if (q.dim() != 4 || q.sizes() != k.sizes() || k.sizes() != v.sizes()) {
        throw std::invalid_argument("HunyuanVideo attention: q, k and v must be [B, S, H, D]");
    }
    const std::int64_t batch = q.size(0);
    const std::int64_t seq = q.size(1);
    if (static_cast<std::int64_t>(lengths.size()) != batch) {
        throw std::invalid_argument("HunyuanVideo attention: one segment length per batch row");
    }
    for (const std::int64_t length : lengths) {
        if (length < 1 || length > seq) {
            throw std::invalid_argument("HunyuanVideo attention: segment length " +
                                        std::to_string(length) + " outside 1.." +
                                        std::to_string(seq));
        }
    }
    at::Tensor out = at::empty_like(v);
    // One call per segment over rows that share a length (all of them, usually).
    const auto run = [&](std::int64_t row, std::int64_t rows, std::int64_t start,
                         std::int64_t count) {
        if (count == 0) {
            return;
        }
        const auto part = [&](const at::Tensor& x) {
            return x.narrow(0, row, rows).narrow(1, start, count);
        };
        part(out).copy_(attention(part(q), part(k), part(v)));
    };
    const bool shared = std::all_of(lengths.begin(), lengths.end(),
                                    [&](std::int64_t length) { return length == lengths[0]; });
    if (shared) {
        run(0, batch, 0, lengths[0]);
        run(0, batch, lengths[0], seq - lengths[0]);
    } else {
        for (std::int64_t b = 0; b < batch; ++b) {
            const std::int64_t length = lengths[static_cast<std::size_t>(b)];
            run(b, 1, 0, length);
            run(b, 1, length, seq - length);
        }
    }
    return flattenHeads(out);
}

at::Tensor hunyuanMaskedAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                  const at::Tensor& allowed) {
    if (q.dim() != 4 || q.sizes() != k.sizes() || k.sizes() != v.sizes() || allowed.dim() != 4) {
        throw std::invalid_argument(
            "HunyuanVideo masked attention: q, k, v must be [B, S, H, D] and the mask 4-D");
    }
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(3)));
    const at::Tensor qh = q.transpose(1, 2).to(at::kFloat);  // [B, H, S, D]
    const at::Tensor kh = k.transpose(1, 2).to(at::kFloat);
    const at::Tensor vh = v.transpose(1, 2);
    at::Tensor scores = at::matmul(qh, kh.transpose(-2, -1)) * scale;
    scores = scores.masked_fill(allowed.to(q.device()).logical_not(),
                                -std::numeric_limits<float>::infinity());
    const at::Tensor weights = scores.softmax(-1).to(v.scalar_type());
    return flattenHeads(at::matmul(weights, vh).transpose(1, 2));
}

HunyuanRMSNorm::HunyuanRMSNorm(const at::Tensor& weight) {
    weight_ = register_parameter("weight", weight, /*requires_grad=*/false);
}

at::Tensor HunyuanRMSNorm::forward(const at::Tensor& x) const {
    const at::Tensor xf = x.to(at::kFloat);
    const at::Tensor normed =
        (xf * at::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + kRmsEps)).to(x.scalar_type());
    return (normed * weight_.to(x.device())).to(x.scalar_type());
}

}  // namespace storyreel::infer::hunyuan
