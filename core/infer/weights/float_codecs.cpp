#include "core/infer/weights/float_codecs.h"

#include <array>
#include <cassert>
#include <cmath>
#include <cstring>
#include <limits>

namespace storyreel::infer {

namespace {

using Fp8Table = std::array<float, 256>;

// Sign s = bit 7; e4m3fn: exponent bits 6..3 (bias 7), mantissa bits 2..0; e = 0 is
// subnormal (m/8 * 2^-6); e = 15, m = 7 is NaN. Every value is exact in float32.
Fp8Table makeE4M3FNTable() {
    Fp8Table table{};
    for (int code = 0; code < 256; ++code) {
        const int exponent = (code >> 3) & 0xF;
        const int mantissa = code & 0x7;
        float magnitude = 0.0f;
        if (exponent == 0xF && mantissa == 0x7) {
            magnitude = std::numeric_limits<float>::quiet_NaN();
        } else if (exponent == 0) {
            magnitude = std::ldexp(static_cast<float>(mantissa), -9);
        } else {
            magnitude = std::ldexp(static_cast<float>(8 + mantissa), exponent - 10);
        }
        table[static_cast<std::size_t>(code)] = (code & 0x80) ? -magnitude : magnitude;
    }
    return table;
}

// e5m2 is binary16 with the low byte dropped.
Fp8Table makeE5M2Table() {
    Fp8Table table{};
    for (int code = 0; code < 256; ++code) {
        table[static_cast<std::size_t>(code)] = halfToFloat(static_cast<std::uint16_t>(code << 8));
    }
    return table;
}

const Fp8Table& e4m3fnTable() {
    static const Fp8Table table = makeE4M3FNTable();
    return table;
}

const Fp8Table& e5m2Table() {
    static const Fp8Table table = makeE5M2Table();
    return table;
}

std::uint16_t loadU16(const std::uint8_t* bytes) {
    std::uint16_t value = 0;
    std::memcpy(&value, bytes, sizeof value);
    return value;
}

void decodeWithTable(const Fp8Table& table, const std::uint8_t* bytes, float* out,
                     std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
        out[i] = table[bytes[i]];
    }
}

}  // namespace

float fp8E4M3FNToFloat(std::uint8_t bits) {
    return e4m3fnTable()[bits];
}

float fp8E5M2ToFloat(std::uint8_t bits) {
    return e5m2Table()[bits];
}

void decodeToFloat(StorageType type, const std::uint8_t* bytes, float* out, std::size_t count) {
    switch (type) {
        case StorageType::F32:
            if (count > 0) {
                std::memcpy(out, bytes, count * sizeof(float));
            }
            return;
        case StorageType::F16:
            for (std::size_t i = 0; i < count; ++i) {
                out[i] = halfToFloat(loadU16(bytes + 2 * i));
            }
            return;
        case StorageType::BF16:
            for (std::size_t i = 0; i < count; ++i) {
                out[i] = bfloat16ToFloat(loadU16(bytes + 2 * i));
            }
            return;
        case StorageType::F8_E4M3FN:
            decodeWithTable(e4m3fnTable(), bytes, out, count);
            return;
        case StorageType::F8_E5M2:
            decodeWithTable(e5m2Table(), bytes, out, count);
            return;
        default:
            assert(false && "decodeToFloat: not a float storage type");
            return;
    }
}

std::size_t elementSizeBytes(StorageType type) {
    switch (type) {
        case StorageType::F64:
        case StorageType::I64:
            return 8;
        case StorageType::F32:
        case StorageType::I32:
            return 4;
        case StorageType::F16:
        case StorageType::BF16:
        case StorageType::I16:
            return 2;
        case StorageType::F8_E4M3FN:
        case StorageType::F8_E5M2:
        case StorageType::I8:
        case StorageType::U8:
        case StorageType::Bool:
            return 1;
        default:
            return 0;
    }
}

}  // namespace storyreel::infer
