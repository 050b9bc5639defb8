// Value-by-value comparison of float32 tensors for the golden tests: bit-identical (NaN
// matches any NaN, -0.0 differs from 0.0), or within the golden README's tolerance for the
// GGML types that take two float32 operations per value:
// |got - want| <= 1e-6 * max|want in block| + 1e-12.
//
//   CHECK(compareFloats(got, want) == "");
//   CHECK(compareFloats(got, want, 256) == "");   // with the per-block tolerance
//
// Thread-safety: pure functions.
#pragma once

#include <ATen/ATen.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>

namespace storyreel::test {

// "" when equal; otherwise how many values differ and the first of them. blockSize 0 asks
// for bit-identical values.
inline std::string compareFloats(const at::Tensor& got, const at::Tensor& want,
                                 std::int64_t blockSize = 0) {
    std::ostringstream out;
    if (got.scalar_type() != at::kFloat || want.scalar_type() != at::kFloat) {
        return "not both float32";
    }
    if (got.sizes() != want.sizes()) {
        out << "shape " << got.sizes() << " instead of " << want.sizes();
        return out.str();
    }
    const at::Tensor a = got.contiguous();
    const at::Tensor b = want.contiguous();
    const float* g = a.data_ptr<float>();
    const float* w = b.data_ptr<float>();
    const std::int64_t count = a.numel();
    std::int64_t differing = 0;
    std::int64_t first = -1;
    for (std::int64_t i = 0; i < count; ++i) {
        if (std::isnan(w[i])
                ? std::isnan(g[i])
                : std::bit_cast<std::uint32_t>(g[i]) == std::bit_cast<std::uint32_t>(w[i])) {
            continue;
        }
        if (blockSize > 0 && !std::isnan(w[i]) && !std::isnan(g[i])) {
            const std::int64_t start = i / blockSize * blockSize;
            const std::int64_t end = std::min(count, start + blockSize);
            float largest = 0.0f;
            for (std::int64_t k = start; k < end; ++k) {
                largest = std::max(largest, std::fabs(w[k]));
            }
            if (std::fabs(static_cast<double>(g[i]) - w[i]) <= 1e-6 * largest + 1e-12) {
                continue;
            }
        }
        if (first < 0) {
            first = i;
        }
        ++differing;
    }
    if (differing == 0) {
        return "";
    }
    out.precision(9);
    out << differing << " of " << count << " values differ; first at flat index " << first
        << ": got " << g[first] << " (0x" << std::hex << std::bit_cast<std::uint32_t>(g[first])
        << "), want " << std::dec << w[first] << " (0x" << std::hex
        << std::bit_cast<std::uint32_t>(w[first]) << ")";
    return out.str();
}

// Number of values that are not bit-identical (NaN matching NaN).
inline std::int64_t countInexact(const at::Tensor& got, const at::Tensor& want) {
    const at::Tensor a = got.contiguous();
    const at::Tensor b = want.contiguous();
    const float* g = a.data_ptr<float>();
    const float* w = b.data_ptr<float>();
    std::int64_t differing = 0;
    for (std::int64_t i = 0; i < a.numel(); ++i) {
        const bool same = std::isnan(w[i]) ? std::isnan(g[i])
                                           : std::bit_cast<std::uint32_t>(g[i]) ==
                                                 std::bit_cast<std::uint32_t>(w[i]);
        differing += same ? 0 : 1;
    }
    return differing;
}

}  // namespace storyreel::test
