// Test support for the tiny Wan and HunyuanVideo layouts: GGUF files as city96's ComfyUI-GGUF
// converter (tools/convert.py, then tools/fix_5d_tensors.py) writes a Wan or HunyuanVideo DiT,
// and as llama.cpp writes a umT5 encoder: one quantised type for the large matrices, F16 where
// a row does not split into its blocks, F32 for 1-D and small (<= 1024 values) tensors, for
// Wan's `.modulation` and for the 5-D patch embedding. Q8_0 and Q4_K blocks are written here
// (ggml-quants.c layouts) and checked against the project's own dequantiser before they are
// written, so a file never holds blocks the reader decodes differently.
//
//   const GgufTensors dit = cityGgufTensors(tensors, GgufQuant::Q4_K, wanHighPrecisionKeys());
//   writeGguf(dir / "wan2.1-i2v-tiny-Q4_K_M.gguf", "wan", dit, 15);
//   NamedTensors dense = ggufDecoded(dit);   // the values the file decodes to
//
// Thread-safety: pure functions and file writes; test thread only.
#pragma once

#include "core/infer/weights/gguf_dequant.h"
#include "tests/core/infer/wan/tiny_wan_files.h"
#include "tests/core/infer/wan/tiny_wan_models.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace storyreel::test {

enum class GgufQuant { Q8_0, Q4_K };

// ggml type ids (ggml.h): F32 0, F16 1, Q8_0 8, Q4_K 12.
struct GgufTensor {
    std::string name;
    std::vector<std::int64_t> shape;  // logical, outermost first
    std::uint32_t type = 0;
    std::string bytes;
    at::Tensor decoded;  // float32 values the bytes decode to
};
using GgufTensors = std::vector<GgufTensor>;

inline std::uint16_t halfBits(float value) {
    const at::Tensor h = at::scalar_tensor(value).to(at::kHalf);
    std::uint16_t bits = 0;
    std::memcpy(&bits, h.data_ptr(), 2);
    return bits;
}

inline float halfValue(std::uint16_t bits) {
    return infer::halfToFloat(bits);
}

// One Q4_K super-block of 256 values (block_q4_K: d, dmin, scales[12], qs[128]): eight
// sub-blocks of 32 with a 6-bit scale and min each, y = d*sc*q - dmin*m, q in 0..15.
// `intended` receives the 256 values the block stands for, computed as ggml decodes them.
inline std::string quantiseQ4KBlock(const float* x, float* intended) {
    std::array<float, 8> scale{};
    std::array<float, 8> minimum{};
    for (int b = 0; b < 8; ++b) {
        float lo = 0.0f;
        float hi = 0.0f;
        for (int l = 0; l < 32; ++l) {
            lo = std::min(lo, x[32 * b + l]);
            hi = std::max(hi, x[32 * b + l]);
        }
        minimum[static_cast<std::size_t>(b)] = -lo;
        scale[static_cast<std::size_t>(b)] = (hi - lo) / 15.0f;
    }
    const float maxScale = *std::max_element(scale.begin(), scale.end());
    const float maxMin = *std::max_element(minimum.begin(), minimum.end());
    const std::uint16_t dBits = halfBits(maxScale / 63.0f);
    const std::uint16_t dminBits = halfBits(maxMin / 63.0f);
    const float d = halfValue(dBits);
    const float dmin = halfValue(dminBits);
    std::array<int, 8> sc{};
    std::array<int, 8> mn{};
    for (std::size_t b = 0; b < 8; ++b) {
        sc[b] = d > 0 ? std::clamp(static_cast<int>(std::lround(scale[b] / d)), 0, 63) : 0;
        mn[b] = dmin > 0 ? std::clamp(static_cast<int>(std::lround(minimum[b] / dmin)), 0, 63) : 0;
    }
    std::string block(144, '\0');
    std::memcpy(block.data(), &dBits, 2);
    std::memcpy(block.data() + 2, &dminBits, 2);
    auto* scales = reinterpret_cast<std::uint8_t*>(block.data() + 4);
    for (int j = 0; j < 4; ++j) {  // inverse of ggml-quants.c get_scale_min_k4
        scales[j] = static_cast<std::uint8_t>(sc[j] | ((sc[j + 4] >> 4) << 6));
        scales[j + 4] = static_cast<std::uint8_t>(mn[j] | ((mn[j + 4] >> 4) << 6));
        scales[j + 8] = static_cast<std::uint8_t>((sc[j + 4] & 0x0F) | ((mn[j + 4] & 0x0F) << 4));
    }
    auto* qs = reinterpret_cast<std::uint8_t*>(block.data() + 16);
    for (int b = 0; b < 8; ++b) {
        const float step = d * static_cast<float>(sc[static_cast<std::size_t>(b)]);
        const float offset = dmin * static_cast<float>(mn[static_cast<std::size_t>(b)]);
        for (int l = 0; l < 32; ++l) {
            const int q =
                step > 0
                    ? std::clamp(static_cast<int>(std::lround((x[32 * b + l] + offset) / step)), 0,
                                 15)
                    : 0;
            qs[32 * (b / 2) + l] |= static_cast<std::uint8_t>(q << (4 * (b % 2)));
            intended[32 * b + l] = step * static_cast<float>(q) - offset;
        }
    }
    return block;
}

// The tensor in `type` (F32, F16, Q8_0 or Q4_K) with its decoded values, as the project's
// dequantiser reads them back.
inline GgufTensor ggufTensor(const std::string& name, const at::Tensor& tensor,
                             std::uint32_t type) {
    const at::Tensor values = tensor.to(at::kFloat).contiguous();
    GgufTensor out{name, values.sizes().vec(), type, {}, {}};
    if (type == 0) {
        out.bytes = tensorBytes(values);
        out.decoded = values.clone();
        return out;
    }
    if (type == 1) {
        const at::Tensor half = values.to(at::kHalf);
        out.bytes = tensorBytes(half);
        out.decoded = half.to(at::kFloat);
        return out;
    }
    at::Tensor intended;
    if (type == 8) {
        const Q8Blocks q8 = quantiseQ8(values);
        out.bytes = q8.bytes;
        intended = q8.decoded;
    } else if (type == 12) {
        intended = at::empty_like(values);
        const float* x = values.data_ptr<float>();
        for (std::int64_t at = 0; at < values.numel(); at += 256) {
            out.bytes += quantiseQ4KBlock(x + at, intended.data_ptr<float>() + at);
        }
    } else {
        throw std::invalid_argument("ggufTensor: type " + std::to_string(type));
    }
    out.decoded = at::empty_like(values);
    const infer::GgmlType* ggml = infer::findGgmlType(type);
    infer::dequantizeGgml(
        *ggml->storage,
        std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(out.bytes.data()),
                                      out.bytes.size()),
        std::span<float>(out.decoded.data_ptr<float>(),
                         static_cast<std::size_t>(out.decoded.numel())));
    // The reader must decode the blocks to the values the writer meant, and those must lie
    // within a quantisation step of the tensor (Q8_0: max|x| / 127 of a block, Q4_K about
    // a sixth of a sub-block's range once its 6-bit scale and min are rounded).
    if (!at::allclose(out.decoded, intended, 1e-6, 1e-7)) {
        throw std::runtime_error("ggufTensor: the reader decodes " + name +
                                 " differently from the blocks written");
    }
    const double worst = (out.decoded - values).abs().max().item<double>();
    const double range = values.abs().max().item<double>();
    const double bound = (type == 8 ? 1.0 / 127.0 : 1.0 / 7.0) * range;
    if (worst > bound) {
        throw std::runtime_error("ggufTensor: " + name + " decodes " + std::to_string(worst) +
                                 " away from its values (bound " + std::to_string(bound) + ")");
    }
    return out;
}

// city96's choice of type per DiT tensor (tools/convert.py handle_tensors, then
// fix_5d_tensors.py): F32 for 1-D and small (<= 1024 values) tensors, for the names holding
// one of the architecture's keys_hiprec (ModelWan: ".modulation"; ModelHyVid: none) and for
// the 5-D patch embedding; `quant` where the last dimension splits into its blocks; F16
// otherwise.
inline const std::vector<std::string>& wanHighPrecisionKeys() {
    static const std::vector<std::string> keys = {".modulation"};
    return keys;
}

inline std::uint32_t cityGgufType(const std::string& name, const at::Tensor& tensor,
                                  GgufQuant quant, const std::vector<std::string>& highPrecision) {
    const bool keptPrecise =
        std::any_of(highPrecision.begin(), highPrecision.end(),
                    [&](const std::string& key) { return name.find(key) != std::string::npos; });
    if (tensor.dim() <= 1 || tensor.numel() <= 1024 || keptPrecise || tensor.dim() > 4) {
        return 0;
    }
    const std::int64_t block = quant == GgufQuant::Q8_0 ? 32 : 256;
    if (tensor.size(-1) % block != 0) {
        return 1;
    }
    return quant == GgufQuant::Q8_0 ? 8 : 12;
}

inline GgufTensors cityGgufTensors(const NamedTensors& tensors, GgufQuant quant,
                                   const std::vector<std::string>& highPrecision) {
    GgufTensors out;
    for (const auto& [name, tensor] : tensors) {
        out.push_back(ggufTensor(name, tensor, cityGgufType(name, tensor, quant, highPrecision)));
    }
    return out;
}

inline NamedTensors ggufDecoded(const GgufTensors& tensors) {
    NamedTensors out;
    for (const GgufTensor& t : tensors) {
        out.emplace_back(t.name, t.decoded);
    }
    return out;
}

// A GGUF v3 file: general.architecture, general.quantization_version 2 and
// general.file_type (llama.cpp's LLAMA_FTYPE: 7 MOSTLY_Q8_0, 15 MOSTLY_Q4_K_M), then the
// tensors, 32-byte aligned, dims innermost first.
inline void writeGguf(const std::filesystem::path& path, const std::string& architecture,
                      const GgufTensors& tensors, std::uint32_t fileType) {
    constexpr std::uint64_t kAlignment = 32;
    std::string header = "GGUF";
    putU32(header, 3);
    putU64(header, tensors.size());
    putU64(header, 3);
    putString(header, "general.architecture");
    putU32(header, 8);  // GGUF_TYPE_STRING
    putString(header, architecture);
    putString(header, "general.quantization_version");
    putU32(header, 4);  // GGUF_TYPE_UINT32
    putU32(header, 2);
    putString(header, "general.file_type");
    putU32(header, 4);
    putU32(header, fileType);
    std::string data;
    for (const GgufTensor& t : tensors) {
        data.append((kAlignment - data.size() % kAlignment) % kAlignment, '\0');
        putString(header, t.name);
        putU32(header, static_cast<std::uint32_t>(t.shape.size()));
        for (auto d = t.shape.rbegin(); d != t.shape.rend(); ++d) {
            putU64(header, static_cast<std::uint64_t>(*d));
        }
        putU32(header, t.type);
        putU64(header, data.size());
        data += t.bytes;
    }
    header.append((kAlignment - header.size() % kAlignment) % kAlignment, '\0');
    writeText(path, header + data);
}

}  // namespace storyreel::test
