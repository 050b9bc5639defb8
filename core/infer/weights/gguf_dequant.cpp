#include "core/infer/weights/gguf_dequant.h"

#include "core/infer/weights/float_codecs.h"

#include <array>
#include <cstring>
#include <stdexcept>
#include <string>

// Operation order matters for bit-exactness: each formula below is written as ggml's
// dequantize_row_* evaluates it (ggml/src/ggml-quants.c), e.g. Q4_K is (d*sc)*q - (dmin*m).

namespace storyreel::infer {

namespace {

constexpr std::uint32_t kQK = 256;  // super-block size of the K-quants (QK_K)

constexpr GgmlType kGgmlTypes[] = {
    {0, "F32", 1, 4, StorageType::F32},
    {1, "F16", 1, 2, StorageType::F16},
    {2, "Q4_0", 32, 18, StorageType::Q4_0},
    {3, "Q4_1", 32, 20, StorageType::Q4_1},
    {6, "Q5_0", 32, 22, StorageType::Q5_0},
    {7, "Q5_1", 32, 24, StorageType::Q5_1},
    {8, "Q8_0", 32, 34, StorageType::Q8_0},
    {9, "Q8_1", 32, 36, std::nullopt},
    {10, "Q2_K", kQK, 84, StorageType::Q2_K},
    {11, "Q3_K", kQK, 110, StorageType::Q3_K},
    {12, "Q4_K", kQK, 144, StorageType::Q4_K},
    {13, "Q5_K", kQK, 176, StorageType::Q5_K},
    {14, "Q6_K", kQK, 210, StorageType::Q6_K},
    {15, "Q8_K", kQK, 292, std::nullopt},
    {16, "IQ2_XXS", kQK, 66, std::nullopt},
    {17, "IQ2_XS", kQK, 74, std::nullopt},
    {18, "IQ3_XXS", kQK, 98, std::nullopt},
    {19, "IQ1_S", kQK, 50, std::nullopt},
    {20, "IQ4_NL", 32, 18, StorageType::IQ4_NL},
    {21, "IQ3_S", kQK, 110, std::nullopt},
    {22, "IQ2_S", kQK, 82, std::nullopt},
    {23, "IQ4_XS", kQK, 136, StorageType::IQ4_XS},
    {24, "I8", 1, 1, std::nullopt},
    {25, "I16", 1, 2, std::nullopt},
    {26, "I32", 1, 4, std::nullopt},
    {27, "I64", 1, 8, std::nullopt},
    {28, "F64", 1, 8, std::nullopt},
    {29, "IQ1_M", kQK, 56, std::nullopt},
    {30, "BF16", 1, 2, StorageType::BF16},
    {34, "TQ1_0", kQK, 54, std::nullopt},
    {35, "TQ2_0", kQK, 66, std::nullopt},
    {39, "MXFP4", 32, 17, std::nullopt},
    {40, "NVFP4", 64, 36, std::nullopt},
    {41, "Q1_0", 128, 18, std::nullopt},
};

// The non-linear 4-bit code book of IQ4_NL and IQ4_XS (ggml-common.h kvalues_iq4nl).
constexpr std::array<std::int8_t, 16> kIq4Values = {-127, -104, -83, -65, -49, -35, -22, -10,
                                                    1,    13,   25,  38,  53,  69,  89,  113};

float loadHalf(const std::uint8_t* bytes) {
    std::uint16_t bits = 0;
    std::memcpy(&bits, bytes, sizeof bits);
    return halfToFloat(bits);
}

std::uint32_t loadU32(const std::uint8_t* bytes) {
    std::uint32_t value = 0;
    std::memcpy(&value, bytes, sizeof value);
    return value;
}

// block_q4_0: d, qs[16]; element j < 16 is the low nibble of qs[j], j + 16 the high one.
void q4_0(const std::uint8_t* block, float* y) {
    const float d = loadHalf(block);
    const std::uint8_t* qs = block + 2;
    for (int j = 0; j < 16; ++j) {
        y[j] = static_cast<float>((qs[j] & 0x0F) - 8) * d;
        y[j + 16] = static_cast<float>((qs[j] >> 4) - 8) * d;
    }
}

// block_q4_1: d, m, qs[16]; y = d*q + m.
void q4_1(const std::uint8_t* block, float* y) {
    const float d = loadHalf(block);
    const float m = loadHalf(block + 2);
    const std::uint8_t* qs = block + 4;
    for (int j = 0; j < 16; ++j) {
        y[j] = static_cast<float>(qs[j] & 0x0F) * d + m;
        y[j + 16] = static_cast<float>(qs[j] >> 4) * d + m;
    }
}

// block_q5_0: d, qh (32 fifth bits), qs[16].
void q5_0(const std::uint8_t* block, float* y) {
    const float d = loadHalf(block);
    const std::uint32_t qh = loadU32(block + 2);
    const std::uint8_t* qs = block + 6;
    for (int j = 0; j < 16; ++j) {
        const int low = (qs[j] & 0x0F) | static_cast<int>(((qh >> j) & 1u) << 4);
        const int high = (qs[j] >> 4) | static_cast<int>(((qh >> (j + 16)) & 1u) << 4);
        y[j] = static_cast<float>(low - 16) * d;
        y[j + 16] = static_cast<float>(high - 16) * d;
    }
}

// block_q5_1: d, m, qh, qs[16]; y = d*q + m.
void q5_1(const std::uint8_t* block, float* y) {
    const float d = loadHalf(block);
    const float m = loadHalf(block + 2);
    const std::uint32_t qh = loadU32(block + 4);
    const std::uint8_t* qs = block + 8;
    for (int j = 0; j < 16; ++j) {
        const int low = (qs[j] & 0x0F) | static_cast<int>(((qh >> j) & 1u) << 4);
        const int high = (qs[j] >> 4) | static_cast<int>(((qh >> (j + 16)) & 1u) << 4);
        y[j] = static_cast<float>(low) * d + m;
        y[j + 16] = static_cast<float>(high) * d + m;
    }
}

// block_q8_0: d, qs[32] (int8).
void q8_0(const std::uint8_t* block, float* y) {
    const float d = loadHalf(block);
    for (int j = 0; j < 32; ++j) {
        y[j] = static_cast<float>(static_cast<std::int8_t>(block[2 + j])) * d;
    }
}

// block_q2_K: scales[16] (low nibble scale, high nibble min), qs[64], d, dmin. Element i
// is bits 2*s of qs[32*c + l] with c = i/128, s = (i%128)/32, l = i%32; group i/16.
void q2_K(const std::uint8_t* block, float* y) {
    const std::uint8_t* scales = block;
    const std::uint8_t* qs = block + 16;
    const float d = loadHalf(block + 80);
    const float dmin = loadHalf(block + 82);
    for (std::uint32_t i = 0; i < kQK; ++i) {
        const std::uint32_t c = i / 128, s = (i % 128) / 32, l = i % 32;
        const int q = (qs[32 * c + l] >> (2 * s)) & 3;
        const std::uint8_t sc = scales[i / 16];
        const float dl = d * static_cast<float>(sc & 0x0F);
        const float ml = dmin * static_cast<float>(sc >> 4);
        y[i] = dl * static_cast<float>(q) - ml;
    }
}

// block_q3_K: hmask[32], qs[64], scales[12] (sixteen 6-bit scales), d.
void q3_K(const std::uint8_t* block, float* y) {
    const std::uint8_t* hmask = block;
    const std::uint8_t* qs = block + 32;
    const std::uint8_t* scales = block + 96;
    const float d = loadHalf(block + 108);
    std::array<float, 16> dl{};
    for (std::uint32_t g = 0; g < 16; ++g) {
        const int low = g < 8 ? (scales[g] & 0x0F) : (scales[g - 8] >> 4);
        const int high = (scales[8 + g % 4] >> (2 * (g / 4))) & 3;
        dl[g] = d * static_cast<float>((low | (high << 4)) - 32);
    }
    for (std::uint32_t i = 0; i < kQK; ++i) {
        const std::uint32_t c = i / 128, s = (i % 128) / 32, l = i % 32;
        const int low = (qs[32 * c + l] >> (2 * s)) & 3;
        const int highBit = (hmask[l] >> (i / 32)) & 1;
        y[i] = dl[i / 16] * static_cast<float>(low - (highBit ? 0 : 4));
    }
}

// The 6-bit scales and mins of Q4_K/Q5_K (ggml-quants.c get_scale_min_k4).
void scaleMinK4(int j, const std::uint8_t* q, int& scale, int& min) {
    if (j < 4) {
        scale = q[j] & 63;
        min = q[j + 4] & 63;
    } else {
        scale = (q[j + 4] & 0x0F) | ((q[j - 4] >> 6) << 4);
        min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

// block_q4_K: d, dmin, scales[12], qs[128]; sub-block b = i/32 of 32 values,
// y = (d*sc)*q - (dmin*m).
void q4_K(const std::uint8_t* block, float* y) {
    const float d = loadHalf(block);
    const float dmin = loadHalf(block + 2);
    const std::uint8_t* scales = block + 4;
    const std::uint8_t* qs = block + 16;
    for (int b = 0; b < 8; ++b) {
        int sc = 0, m = 0;
        scaleMinK4(b, scales, sc, m);
        const float d1 = d * static_cast<float>(sc);
        const float m1 = dmin * static_cast<float>(m);
        const int shift = 4 * (b % 2);
        for (int l = 0; l < 32; ++l) {
            const int q = (qs[32 * (b / 2) + l] >> shift) & 0x0F;
            y[32 * b + l] = d1 * static_cast<float>(q) - m1;
        }
    }
}

// block_q5_K: d, dmin, scales[12], qh[32], qs[128]; the fifth bit of sub-block b is bit b
// of qh[l].
void q5_K(const std::uint8_t* block, float* y) {
    const float d = loadHalf(block);
    const float dmin = loadHalf(block + 2);
    const std::uint8_t* scales = block + 4;
    const std::uint8_t* qh = block + 16;
    const std::uint8_t* qs = block + 48;
    for (int b = 0; b < 8; ++b) {
        int sc = 0, m = 0;
        scaleMinK4(b, scales, sc, m);
        const float d1 = d * static_cast<float>(sc);
        const float m1 = dmin * static_cast<float>(m);
        const int shift = 4 * (b % 2);
        for (int l = 0; l < 32; ++l) {
            const int q = ((qs[32 * (b / 2) + l] >> shift) & 0x0F) | (((qh[l] >> b) & 1) << 4);
            y[32 * b + l] = d1 * static_cast<float>(q) - m1;
        }
    }
}

// block_q6_K: ql[128], qh[64], scales[16] (int8), d. Element i = 128*c + r: low 4 bits
// from ql[64*c + r%64] (high nibble when r >= 64), high 2 bits from qh[32*c + r%32] at
// bit 2*(r/32); y = (d*sc)*(q - 32).
void q6_K(const std::uint8_t* block, float* y) {
    const std::uint8_t* ql = block;
    const std::uint8_t* qh = block + 128;
    const std::uint8_t* scales = block + 192;
    const float d = loadHalf(block + 208);
    for (std::uint32_t i = 0; i < kQK; ++i) {
        const std::uint32_t c = i / 128, r = i % 128;
        const int low = (ql[64 * c + r % 64] >> (4 * (r / 64))) & 0x0F;
        const int high = (qh[32 * c + r % 32] >> (2 * (r / 32))) & 3;
        const float dl = d * static_cast<float>(static_cast<std::int8_t>(scales[i / 16]));
        y[i] = dl * static_cast<float>((low | (high << 4)) - 32);
    }
}

// block_iq4_nl: d, qs[16]; values from the non-linear code book.
void iq4_nl(const std::uint8_t* block, float* y) {
    const float d = loadHalf(block);
    const std::uint8_t* qs = block + 2;
    for (int j = 0; j < 16; ++j) {
        y[j] = d * static_cast<float>(kIq4Values[qs[j] & 0x0F]);
        y[j + 16] = d * static_cast<float>(kIq4Values[qs[j] >> 4]);
    }
}

// block_iq4_xs: d, scales_h (2 bits per sub-block), scales_l[4] (4 bits per sub-block),
// qs[128]; eight sub-blocks of 32 values, each laid out like an IQ4_NL block.
void iq4_xs(const std::uint8_t* block, float* y) {
    const float d = loadHalf(block);
    std::uint16_t scalesHigh = 0;
    std::memcpy(&scalesHigh, block + 2, sizeof scalesHigh);
    const std::uint8_t* scalesLow = block + 4;
    const std::uint8_t* qs = block + 8;
    for (int b = 0; b < 8; ++b) {
        const int low = (scalesLow[b / 2] >> (4 * (b % 2))) & 0x0F;
        const int high = (scalesHigh >> (2 * b)) & 3;
        const float dl = d * static_cast<float>((low | (high << 4)) - 32);
        for (int j = 0; j < 16; ++j) {
            y[32 * b + j] = dl * static_cast<float>(kIq4Values[qs[16 * b + j] & 0x0F]);
            y[32 * b + j + 16] = dl * static_cast<float>(kIq4Values[qs[16 * b + j] >> 4]);
        }
    }
}

using BlockFunction = void (*)(const std::uint8_t*, float*);

BlockFunction blockFunction(StorageType type) {
    switch (type) {
        case StorageType::Q4_0:
            return q4_0;
        case StorageType::Q4_1:
            return q4_1;
        case StorageType::Q5_0:
            return q5_0;
        case StorageType::Q5_1:
            return q5_1;
        case StorageType::Q8_0:
            return q8_0;
        case StorageType::Q2_K:
            return q2_K;
        case StorageType::Q3_K:
            return q3_K;
        case StorageType::Q4_K:
            return q4_K;
        case StorageType::Q5_K:
            return q5_K;
        case StorageType::Q6_K:
            return q6_K;
        case StorageType::IQ4_NL:
            return iq4_nl;
        case StorageType::IQ4_XS:
            return iq4_xs;
        default:
            return nullptr;
    }
}

}  // namespace

const GgmlType* findGgmlType(std::uint32_t id) {
    for (const GgmlType& type : kGgmlTypes) {
        if (type.id == id) {
            return &type;
        }
    }
    return nullptr;
}

const GgmlType* ggmlTypeOf(StorageType storage) {
    for (const GgmlType& type : kGgmlTypes) {
        if (type.storage == storage) {
            return &type;
        }
    }
    return nullptr;
}

void dequantizeGgml(StorageType type, std::span<const std::uint8_t> source, std::span<float> out) {
    const GgmlType* ggml = ggmlTypeOf(type);
    if (ggml == nullptr) {
        throw std::invalid_argument("dequantizeGgml: " + std::string(storageTypeName(type)) +
                                    " is not a GGML type");
    }
    if (source.size() % ggml->typeSize != 0 ||
        source.size() / ggml->typeSize * ggml->blockSize != out.size()) {
        throw std::invalid_argument("dequantizeGgml: " + std::to_string(source.size()) +
                                    " bytes of " + std::string(ggml->name) + " do not make " +
                                    std::to_string(out.size()) + " values");
    }
    if (ggml->blockSize == 1) {
        decodeToFloat(type, source.data(), out.data(), out.size());
        return;
    }
    const BlockFunction function = blockFunction(type);
    const std::size_t blocks = source.size() / ggml->typeSize;
    for (std::size_t b = 0; b < blocks; ++b) {
        function(source.data() + b * ggml->typeSize, out.data() + b * ggml->blockSize);
    }
}

}  // namespace storyreel::infer
