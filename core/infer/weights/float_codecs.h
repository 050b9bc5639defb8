// Exact conversions of the narrow float formats found in checkpoints to float32: IEEE
// binary16, bfloat16 and the two fp8 formats (LibTorch 1.13 has no fp8 dtypes, so fp8 is
// decoded here with 256-entry tables). Every value, subnormals, infinities and -0.0
// included, converts exactly; NaNs stay NaN.
//
//   float w = halfToFloat(0x3C00);          // 1.0f
//   float x = fp8E4M3FNToFloat(0x7E);       // 448.0f
//   decodeToFloat(StorageType::BF16, bytes, out, count);
//
// Thread-safety: pure functions (the fp8 tables are built once, thread-safely).
#pragma once

#include "core/infer/weights/tensor_info.h"

#include <bit>
#include <cstddef>
#include <cstdint>

namespace storyreel::infer {

static_assert(std::endian::native == std::endian::little,
              "checkpoint readers assume a little-endian host (the file formats are)");

// IEEE binary16 -> binary32, exact (as numpy's astype(float32) and ggml_fp16_to_fp32).
inline float halfToFloat(std::uint16_t half) {
    const std::uint32_t sign = static_cast<std::uint32_t>(half & 0x8000u) << 16;
    const std::uint32_t exponent = (half >> 10) & 0x1Fu;
    const std::uint32_t mantissa = half & 0x3FFu;
    if (exponent == 0) {
        // Zero or subnormal: mantissa * 2^-24, exact in float32.
        const float magnitude = static_cast<float>(mantissa) * 0x1p-24f;
        return std::bit_cast<float>(sign | std::bit_cast<std::uint32_t>(magnitude));
    }
    if (exponent == 0x1F) {
        return std::bit_cast<float>(sign | 0x7F800000u | (mantissa << 13));
    }
    return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

// bfloat16 is the upper half of a float32.
inline float bfloat16ToFloat(std::uint16_t bits) {
    return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16);
}

// float8_e4m3fn: 1 sign, 4 exponent (bias 7), 3 mantissa bits; no infinities, S.1111.111
// is NaN; max 448.
float fp8E4M3FNToFloat(std::uint8_t bits);
// float8_e5m2: 1 sign, 5 exponent (bias 15), 2 mantissa bits; the upper byte of a binary16.
float fp8E5M2ToFloat(std::uint8_t bits);

// Little-endian values of a float storage type (F32, F16, BF16, F8_E4M3FN, F8_E5M2) to
// float32. `bytes` holds `count` values. Other types are a programming error (assert).
void decodeToFloat(StorageType type, const std::uint8_t* bytes, float* out, std::size_t count);

// Bytes per value of a type with one value per element (not a GGML block type); 0 for
// block types.
std::size_t elementSizeBytes(StorageType type);

}  // namespace storyreel::infer
