#include "core/infer/weights/gguf_dequant_torch.h"

#include "core/infer/weights/gguf_dequant.h"

#include <ATen/ATen.h>

#include <array>
#include <stdexcept>
#include <string>
#include <vector>

// Each block type below is unpacked as a [blocks, typeSize] uint8 matrix (one row per block,
// ggml-common.h block_* layouts) and evaluated in float32 in ggml's order
// (ggml-quants.c dequantize_row_*), e.g. Q4_K as (d*sc)*q - (dmin*m): products and
// differences are separate ATen operations, each rounded to float32, so nothing is fused
// and the results are the scalar dequantiser's (gguf_dequant.cpp) bit for bit. Integer
// offsets such as q - 8 are exact in float32 whichever side of the conversion they happen.

namespace storyreel::infer {

namespace {

using at::Tensor;

// Bytes [offset, offset + count) of every block: [blocks, count] uint8 (a view).
Tensor field(const Tensor& blocks, std::int64_t offset, std::int64_t count) {
    return blocks.narrow(1, offset, count);
}

// The float16 at `offset` of every block, as float32: [blocks, 1]. Exact, subnormals too.
Tensor halfField(const Tensor& blocks, std::int64_t offset) {
    return field(blocks, offset, 2).contiguous().view(at::kHalf).to(at::kFloat);
}

// The little-endian uint16 at `offset` of every block: [blocks, 1] int32.
Tensor u16Field(const Tensor& blocks, std::int64_t offset) {
    return field(blocks, offset, 2).contiguous().view(at::kShort).to(at::kInt).bitwise_and(0xFFFF);
}

// `count` fields of `bits` bits of every byte, lowest first, stacked on a new dimension
// `dim`: (bytes >> bits*k) & mask for k = 0..count-1.
Tensor bitFields(const Tensor& bytes, int bits, int count, std::int64_t dim) {
    std::vector<Tensor> fields;
    fields.reserve(static_cast<std::size_t>(count));
    const int mask = (1 << bits) - 1;
    for (int k = 0; k < count; ++k) {
        fields.push_back(at::bitwise_right_shift(bytes, bits * k).bitwise_and(mask));
    }
    return at::stack(fields, dim);
}

// Bit j of a per-block word, for j = first, first + step, ...: [blocks, count].
Tensor wordBits(const Tensor& word, std::int64_t first, std::int64_t count, std::int64_t step,
                int mask) {
    const Tensor shifts =
        at::arange(first, first + count * step, step, word.options().dtype(word.scalar_type()));
    return at::bitwise_right_shift(word, shifts).bitwise_and(mask);
}

Tensor floats(const Tensor& values) {
    return values.to(at::kFloat);
}

// The non-linear code book of IQ4_NL and IQ4_XS (ggml-common.h kvalues_iq4nl), on `device`.
Tensor iq4CodeBook(const c10::Device& device) {
    static const std::array<float, 16> kValues = {-127, -104, -83, -65, -49, -35, -22, -10,
                                                  1,    13,   25,  38,  53,  69,  89,  113};
    return at::from_blob(const_cast<float*>(kValues.data()), {16}, at::kFloat)
        .to(device, at::kFloat, /*non_blocking=*/false, /*copy=*/true);
}

// codeBook[index], in index's shape (index_select on the flat indices: faster than take).
Tensor lookUp(const Tensor& codeBook, const Tensor& index) {
    return codeBook.index_select(0, index.flatten()).view(index.sizes());
}

// block_q8_0: d, qs[32] int8. y = q * d.
Tensor q8_0(const Tensor& b) {
    return floats(field(b, 2, 32).view(at::kChar)) * halfField(b, 0);
}

// block_q4_0: d, qs[16]; element j < 16 is the low nibble of qs[j], j + 16 the high one.
Tensor q4_0(const Tensor& b) {
    const Tensor q = bitFields(field(b, 2, 16), 4, 2, 1).flatten(1);  // [n, 32]
    return (floats(q) - 8) * halfField(b, 0);
}

// block_q4_1: d, m, qs[16]; y = q * d + m.
Tensor q4_1(const Tensor& b) {
    const Tensor q = bitFields(field(b, 4, 16), 4, 2, 1).flatten(1);
    return floats(q) * halfField(b, 0) + halfField(b, 2);
}

// The 5-bit values of Q5_0/Q5_1: nibbles as Q4_0, fifth bit j of the little-endian uint32
// qh, i.e. bit j % 8 of its byte j / 8 (unpacked bytewise: uint8 operations are the cheap
// ones).
Tensor fiveBitValues(const Tensor& b, std::int64_t qhOffset, std::int64_t qsOffset) {
    const Tensor low = bitFields(field(b, qsOffset, 16), 4, 2, 1).flatten(1);
    const Tensor high = bitFields(field(b, qhOffset, 4), 1, 8, 2).flatten(1);
    return low.bitwise_or(at::bitwise_left_shift(high, 4));  // [n, 32]
}

// block_q5_0: d, qh, qs[16]; y = (q - 16) * d.
Tensor q5_0(const Tensor& b) {
    return (floats(fiveBitValues(b, 2, 6)) - 16) * halfField(b, 0);
}

// block_q5_1: d, m, qh, qs[16]; y = q * d + m.
Tensor q5_1(const Tensor& b) {
    return floats(fiveBitValues(b, 4, 8)) * halfField(b, 0) + halfField(b, 2);
}

// The 2-bit values of Q2_K/Q3_K: element 128*c + 32*s + l is bits 2s of qs[32c + l].
Tensor twoBitValues(const Tensor& qs) {
    const std::int64_t n = qs.size(0);
    return bitFields(qs.reshape({n, 2, 32}), 2, 4, 2).reshape({n, 256});
}

// block_q2_K: scales[16] (low nibble scale, high nibble min), qs[64], d, dmin; group of 16
// values g: y = (d*sc_g)*q - (dmin*m_g).
Tensor q2_K(const Tensor& b) {
    const std::int64_t n = b.size(0);
    const Tensor scales = field(b, 0, 16);
    const Tensor dl = halfField(b, 80) * floats(scales.bitwise_and(0x0F));
    const Tensor ml = halfField(b, 82) * floats(at::bitwise_right_shift(scales, 4));
    const Tensor q = floats(twoBitValues(field(b, 16, 64))).reshape({n, 16, 16});
    return (dl.unsqueeze(2) * q - ml.unsqueeze(2)).reshape({n, 256});
}

// block_q3_K: hmask[32], qs[64], scales[12] (sixteen 6-bit scales), d. Scale g: low 4 bits
// from scales[g % 8] (high nibble for g >= 8), high 2 bits from scales[8 + g % 4] at bit
// 2*(g / 4). Element i: 2 bits as Q2_K, minus 4 unless bit i/32 of hmask[i % 32] is set.
Tensor q3_K(const Tensor& b) {
    const std::int64_t n = b.size(0);
    const Tensor scaleBytes = field(b, 96, 12);
    const Tensor low = bitFields(scaleBytes.narrow(1, 0, 8), 4, 2, 1).reshape({n, 16});
    const Tensor high = bitFields(scaleBytes.narrow(1, 8, 4), 2, 4, 1).reshape({n, 16});
    const Tensor scales = floats(low.bitwise_or(at::bitwise_left_shift(high, 4))) - 32;
    const Tensor dl = halfField(b, 108) * scales;  // [n, 16]
    const Tensor highBit = bitFields(field(b, 0, 32), 1, 8, 1).reshape({n, 256});
    const Tensor q = floats(twoBitValues(field(b, 32, 64))) - floats(highBit.bitwise_xor(1)) * 4;
    return (dl.unsqueeze(2) * q.reshape({n, 16, 16})).reshape({n, 256});
}

// The eight 6-bit scales and mins of Q4_K/Q5_K (ggml-quants.c get_scale_min_k4) from
// scales[12] = a[4], b[4], c[4]: sub-blocks 0-3 take a & 63 and b & 63; 4-7 take the
// nibbles of c with the top two bits of a (scales) and b (mins) above them.
std::pair<Tensor, Tensor> scalesAndMinsK4(const Tensor& scaleBytes) {
    const Tensor a = scaleBytes.narrow(1, 0, 4);
    const Tensor b = scaleBytes.narrow(1, 4, 4);
    const Tensor c = scaleBytes.narrow(1, 8, 4);
    const auto top2 = [](const Tensor& x) {
        return at::bitwise_left_shift(at::bitwise_right_shift(x, 6), 4);
    };
    const Tensor scales = at::cat({a.bitwise_and(63), c.bitwise_and(0x0F).bitwise_or(top2(a))}, 1);
    const Tensor mins =
        at::cat({b.bitwise_and(63), at::bitwise_right_shift(c, 4).bitwise_or(top2(b))}, 1);
    return {floats(scales), floats(mins)};  // [n, 8] each
}

// The 4-bit values of Q4_K/Q5_K: element 32*sb + l of sub-block sb is nibble sb % 2 of
// qs[32*(sb/2) + l]. [n, 8, 32].
Tensor kNibbles(const Tensor& qs) {
    const std::int64_t n = qs.size(0);
    return bitFields(qs.reshape({n, 4, 32}), 4, 2, 2).reshape({n, 8, 32});
}

// Q4_K and Q5_K: y = (d*sc)*q - (dmin*m) per sub-block of 32.
Tensor kQuantValues(const Tensor& b, const Tensor& q) {
    const std::int64_t n = b.size(0);
    const auto [scales, mins] = scalesAndMinsK4(field(b, 4, 12));
    const Tensor d1 = halfField(b, 0) * scales;
    const Tensor m1 = halfField(b, 2) * mins;
    return (d1.unsqueeze(2) * floats(q) - m1.unsqueeze(2)).reshape({n, 256});
}

// block_q4_K: d, dmin, scales[12], qs[128].
Tensor q4_K(const Tensor& b) {
    return kQuantValues(b, kNibbles(field(b, 16, 128)));
}

// block_q5_K: d, dmin, scales[12], qh[32], qs[128]; the fifth bit of sub-block sb is bit
// sb of qh[l].
Tensor q5_K(const Tensor& b) {
    const Tensor high = bitFields(field(b, 16, 32), 1, 8, 1);  // [n, 8, 32]
    const Tensor q = kNibbles(field(b, 48, 128)).bitwise_or(at::bitwise_left_shift(high, 4));
    return kQuantValues(b, q);
}

// block_q6_K: ql[128], qh[64], scales[16] int8, d. Element 128*c + r: low 4 bits from
// ql[64c + r % 64] (high nibble when r >= 64), high 2 bits from qh[32c + r % 32] at bit
// 2*(r / 32); y = (d*sc)*(q - 32) per group of 16.
Tensor q6_K(const Tensor& b) {
    const std::int64_t n = b.size(0);
    const Tensor low = bitFields(field(b, 0, 128).reshape({n, 2, 64}), 4, 2, 2).reshape({n, 256});
    const Tensor high = bitFields(field(b, 128, 64).reshape({n, 2, 32}), 2, 4, 2).reshape({n, 256});
    const Tensor q = floats(low.bitwise_or(at::bitwise_left_shift(high, 4))) - 32;
    const Tensor dl = halfField(b, 208) * floats(field(b, 192, 16).view(at::kChar));
    return (dl.unsqueeze(2) * q.reshape({n, 16, 16})).reshape({n, 256});
}

// block_iq4_nl: d, qs[16]; y = d * kvalues[nibble], nibbles ordered as Q4_0.
Tensor iq4_nl(const Tensor& b) {
    const Tensor index = bitFields(field(b, 2, 16), 4, 2, 1).flatten(1).to(at::kLong);
    return halfField(b, 0) * lookUp(iq4CodeBook(b.device()), index);
}

// block_iq4_xs: d, scales_h (2 bits per sub-block), scales_l[4] (4 bits per sub-block),
// qs[128]; sub-block sb: dl = d * (scale - 32), its 32 values laid out like an IQ4_NL block
// in qs[16*sb ...].
Tensor iq4_xs(const Tensor& b) {
    const std::int64_t n = b.size(0);
    const Tensor low = bitFields(field(b, 4, 4), 4, 2, 2).reshape({n, 8}).to(at::kInt);
    const Tensor high = wordBits(u16Field(b, 2), 0, 8, 2, 3);
    const Tensor scales = floats(low.bitwise_or(at::bitwise_left_shift(high, 4))) - 32;
    const Tensor dl = halfField(b, 0) * scales;  // [n, 8]
    const Tensor index =
        bitFields(field(b, 8, 128).reshape({n, 8, 16}), 4, 2, 2).reshape({n, 8, 32});
    const Tensor values = lookUp(iq4CodeBook(b.device()), index.to(at::kLong));
    return (dl.unsqueeze(2) * values).reshape({n, 256});
}

using BlockFunction = Tensor (*)(const Tensor&);

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

// F32, F16, BF16: the bytes reinterpreted, then widened (exactly).
Tensor plainFloats(StorageType type, const Tensor& raw) {
    const Tensor bytes = raw.contiguous().reshape({-1});
    switch (type) {
        case StorageType::F16:
            return floats(bytes.view(at::kHalf));
        case StorageType::BF16:
            return floats(bytes.view(at::kBFloat16));
        default:
            return bytes.view(at::kFloat);
    }
}

std::int64_t elementCount(at::IntArrayRef shape) {
    std::int64_t count = 1;
    for (const std::int64_t dim : shape) {
        count *= dim;
    }
    return count;
}

}  // namespace

bool hasTorchDequantizer(StorageType type) {
    return type == StorageType::F32 || type == StorageType::F16 || type == StorageType::BF16 ||
           blockFunction(type) != nullptr;
}

at::Tensor dequantizeGgmlTorch(StorageType type, const at::Tensor& raw, at::IntArrayRef shape,
                               at::ScalarType dtype) {
    const GgmlType* ggml = ggmlTypeOf(type);
    if (ggml == nullptr || !hasTorchDequantizer(type)) {
        throw std::invalid_argument("dequantizeGgmlTorch: " + std::string(storageTypeName(type)) +
                                    " has no torch dequantiser");
    }
    if (raw.scalar_type() != at::kByte) {
        throw std::invalid_argument("dequantizeGgmlTorch: the raw blocks must be uint8, not " +
                                    std::string(c10::toString(raw.scalar_type())));
    }
    const std::int64_t blocks = raw.numel() / ggml->typeSize;
    if (raw.numel() % ggml->typeSize != 0 || blocks * ggml->blockSize != elementCount(shape)) {
        throw std::invalid_argument("dequantizeGgmlTorch: " + std::to_string(raw.numel()) +
                                    " bytes of " + std::string(ggml->name) + " do not make " +
                                    std::to_string(elementCount(shape)) + " values");
    }
    if (blocks == 0) {
        return at::empty(shape, raw.options().dtype(dtype));
    }
    Tensor values;
    if (ggml->blockSize == 1) {
        values = plainFloats(type, raw);
    } else {
        values = blockFunction(type)(raw.reshape({blocks, ggml->typeSize}));
    }
    // F32 blocks are a view of `raw`: copy, so that the result never aliases the blocks.
    const bool aliases = values.data_ptr() == raw.data_ptr();
    return values.reshape(shape).to(dtype, /*non_blocking=*/false, /*copy=*/aliases);
}

}  // namespace storyreel::infer
