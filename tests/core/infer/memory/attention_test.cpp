// The memory-bounded chunked attention against a naive full attention computed here from
// the definition (softmax(q k^T * scale) v per head, padded keys excluded), in the Wan
// layout [B, L, heads, head_dim].
#include "core/infer/memory/attention.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

using storyreel::infer::attention;
using storyreel::infer::AttentionKernel;
using storyreel::infer::AttentionOptions;
using storyreel::infer::planAttentionChunks;

namespace {

// The whole [B, H, Lq, Lk] score matrix at once, in float64.
at::Tensor naiveAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                          const at::Tensor& keyLengths = {}) {
    const at::Tensor qh = q.to(at::kDouble).transpose(1, 2);
    const at::Tensor kh = k.to(at::kDouble).transpose(1, 2);
    const at::Tensor vh = v.to(at::kDouble).transpose(1, 2);
    at::Tensor scores = at::matmul(qh, kh.transpose(2, 3)) / std::sqrt(double(q.size(3)));
    if (keyLengths.defined()) {
        for (std::int64_t b = 0; b < q.size(0); ++b) {
            const std::int64_t length = keyLengths[b].item<std::int64_t>();
            scores[b].narrow(-1, length, k.size(1) - length).fill_(-INFINITY);
        }
    }
    return at::matmul(scores.softmax(-1), vh).transpose(1, 2).to(q.scalar_type());
}

AttentionOptions chunked(std::int64_t maxScoreBytes) {
    AttentionOptions options;
    options.kernel = AttentionKernel::Chunked;
    options.maxScoreBytes = maxScoreBytes;
    return options;
}

}  // namespace

TEST_CASE("Chunked attention equals full attention for any chunk size and odd lengths",
          "[infer][memory][attention]") {
    at::manual_seed(3);
    const std::int64_t lq = GENERATE(1, 7, 33);
    const std::int64_t lk = GENERATE(5, 31);
    const at::Tensor q = at::randn({2, lq, 3, 8});
    const at::Tensor k = at::randn({2, lk, 3, 8});
    const at::Tensor v = at::randn({2, lk, 3, 6});  // a value width of its own
    const at::Tensor expected = naiveAttention(q, k, v);
    // One score row of one head for the batch is 2 * lk * 8 bytes (float32 + softmax):
    // budgets of one row, a few rows, one head's worth, and everything.
    const std::int64_t row = 2 * lk * 8;
    for (const std::int64_t budget : {row, 3 * row, 2 * row * lq, std::int64_t{1} << 30}) {
        CAPTURE(lq, lk, budget);
        const at::Tensor out = attention(q, k, v, chunked(budget));
        REQUIRE(out.sizes() == expected.sizes());
        CHECK(at::allclose(out, expected, 1e-5, 1e-5));
    }
    CHECK(at::allclose(attention(q, k, v), expected, 1e-5, 1e-5));  // the default kernel
}

TEST_CASE("Attention ignores padded keys given their lengths (Wan k_lens)",
          "[infer][memory][attention]") {
    at::manual_seed(4);
    const at::Tensor q = at::randn({3, 9, 2, 16});
    const at::Tensor k = at::randn({3, 12, 2, 16});
    const at::Tensor v = at::randn({3, 12, 2, 16});
    AttentionOptions options = chunked(2 * 12 * 8 * 3);
    options.keyLengths = at::tensor({12, 5, 1}, at::kLong);
    const at::Tensor expected = naiveAttention(q, k, v, options.keyLengths);
    CHECK(at::allclose(attention(q, k, v, options), expected, 1e-5, 1e-5));
    options.kernel = AttentionKernel::Auto;
    CHECK(at::allclose(attention(q, k, v, options), expected, 1e-5, 1e-5));

    // Whatever the padding holds does not matter.
    at::Tensor noisyK = k.clone();
    noisyK[1].narrow(0, 5, 7).fill_(1e3);
    CHECK(at::allclose(attention(q, noisyK, v, options), expected, 1e-5, 1e-5));
}

TEST_CASE("Attention chunks keep the score matrix within the budget",
          "[infer][memory][attention]") {
    // Wan 2.1 14B at 720p x 81 frames: 75,600 tokens, 40 heads, bf16 + float32 scores.
    const auto wan = planAttentionChunks(1, 40, 75600, 75600, 6, std::int64_t{1} << 30);
    CHECK(wan.heads == 40);
    CHECK(wan.queries * wan.heads * 75600 * 6 <= std::int64_t{1} << 30);
    CHECK(wan.queries >= 1);
    // A budget below one row of all heads splits the heads.
    const auto tight = planAttentionChunks(1, 40, 75600, 75600, 6, 75600 * 6 * 3);
    CHECK(tight.heads == 3);
    CHECK(tight.queries == 1);
    // Never less than one row of one head.
    const auto tiny = planAttentionChunks(2, 4, 10, 10, 8, 1);
    CHECK(tiny.heads == 1);
    CHECK(tiny.queries == 1);
}

TEST_CASE("Attention refuses tensors outside the Wan layout", "[infer][memory][attention]") {
    const at::Tensor q = at::randn({1, 4, 2, 8});
    CHECK_THROWS_AS(attention(q, at::randn({1, 4, 3, 8}), at::randn({1, 4, 3, 8})),
                    std::invalid_argument);
    CHECK_THROWS_AS(attention(q.view({4, 2, 8}), q.view({4, 2, 8}), q.view({4, 2, 8})),
                    std::invalid_argument);
    AttentionOptions options;
    options.keyLengths = at::tensor({0}, at::kLong);
    CHECK_THROWS_AS(attention(q, q, q, options), std::invalid_argument);
}
