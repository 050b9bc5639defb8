// Test support for the tiny Wan and HunyuanVideo layouts (tiny_wan_layouts.h,
// hunyuan/tiny_hunyuan_layouts.h): checkpoint files written the way the released ones are
// stored. safetensors with any stored dtype (F32, F16, BF16 and ComfyUI's F8_E4M3 with a
// scale_weight per layer) and a __metadata__ header, sharded safetensors with their
// *.safetensors.index.json (Hugging Face's weight_map), torch .pth state dicts, bare or
// wrapped in a dict (through tests/core/infer/weights/pth_writer), a small text file, and the
// rounding that makes random values exact in float16 (and bfloat16).
//
//   writeStored(dir / "dit.safetensors", storedAs(tensors, at::kHalf), {{"format", "pt"}});
//   writeSharded(dir, "diffusion_pytorch_model", storedAs(tensors, at::kFloat), 2);
//   writeStateDictPth(dir / "Wan2.1_VAE.pth", tensors, at::kFloat);
//   writeWrappedStateDictPth(dir / "pytorch_model.pt", "state_dict", "vae.", vae, at::kFloat);
//
// Thread-safety: writes the files it is given; test thread only.
#pragma once

#include "core/infer/weights/float_codecs.h"
#include "tests/core/infer/lora/safetensors_writer.h"
#include "tests/core/infer/weights/pth_writer.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace storyreel::test {

// Values exact in float16 (the Wan DiT) or in float16 and bfloat16 (the rest): bfloat16's 8
// significant bits fit float16's 11 wherever float16 is normal (|x| >= 2^-14).
inline at::Tensor exactInHalf(const at::Tensor& values) {
    return values.to(at::kHalf).to(at::kFloat);
}

inline at::Tensor exactInHalfAndBfloat16(const at::Tensor& values) {
    const at::Tensor rounded = values.to(at::kFloat).to(at::kBFloat16).to(at::kFloat);
    return at::where(rounded.abs() < std::ldexp(1.0, -14), at::zeros_like(rounded), rounded);
}

// One tensor as a file stores it: safetensors dtype name, logical shape, raw bytes.
struct StoredTensor {
    std::string name;
    std::string dtype;
    std::vector<std::int64_t> shape;
    std::string bytes;
};
using StoredTensors = std::vector<StoredTensor>;

inline std::string tensorBytes(const at::Tensor& tensor) {
    const at::Tensor values = tensor.contiguous().cpu();
    return {static_cast<const char*>(values.data_ptr()),
            static_cast<std::size_t>(values.numel() * values.element_size())};
}

inline StoredTensor storedAs(const std::string& name, const at::Tensor& tensor,
                             at::ScalarType type) {
    const at::Tensor values = tensor.to(type);
    return {name, safetensorsDtype(type), values.sizes().vec(), tensorBytes(values)};
}

inline StoredTensors storedAs(const NamedTensors& tensors, at::ScalarType type) {
    StoredTensors out;
    for (const auto& [name, tensor] : tensors) {
        out.push_back(storedAs(name, tensor, type));
    }
    return out;
}

inline std::string jsonQuoted(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

// The bytes of a .safetensors file holding `tensors` in order, `metadata` as __metadata__.
inline std::string safetensorsFileBytes(const StoredTensors& tensors,
                                        const std::map<std::string, std::string>& metadata) {
    std::string header = "{";
    if (!metadata.empty()) {
        header += "\"__metadata__\":{";
        bool first = true;
        for (const auto& [key, value] : metadata) {
            header += (first ? "" : ",") + jsonQuoted(key) + ":" + jsonQuoted(value);
            first = false;
        }
        header += "}";
    }
    std::uint64_t offset = 0;
    for (const StoredTensor& t : tensors) {
        header += (header.size() > 1 ? ",\"" : "\"") + t.name + "\":{\"dtype\":\"" + t.dtype +
                  "\",\"shape\":[";
        for (std::size_t d = 0; d < t.shape.size(); ++d) {
            header += (d ? "," : "") + std::to_string(t.shape[d]);
        }
        header += "],\"data_offsets\":[" + std::to_string(offset) + "," +
                  std::to_string(offset + t.bytes.size()) + "]}";
        offset += t.bytes.size();
    }
    header += "}";
    header.append((8 - header.size() % 8) % 8, ' ');
    std::string out;
    const std::uint64_t headerBytes = header.size();
    for (int i = 0; i < 8; ++i) {
        out += static_cast<char>((headerBytes >> (8 * i)) & 0xFF);
    }
    out += header;
    for (const StoredTensor& t : tensors) {
        out += t.bytes;
    }
    return out;
}

inline void writeText(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
        throw std::runtime_error("tiny models: cannot write " + path.string());
    }
}

inline void writeStored(const std::filesystem::path& path, const StoredTensors& tensors,
                        const std::map<std::string, std::string>& metadata = {}) {
    writeText(path, safetensorsFileBytes(tensors, metadata));
}

// `stem`-0000N-of-0000M.safetensors and `stem`.safetensors.index.json in `dir`, the tensors
// dealt to `shards` files in order (as save_pretrained's max_shard_size splits them).
inline void writeSharded(const std::filesystem::path& dir, const std::string& stem,
                         const StoredTensors& tensors, int shards) {
    const auto shardName = [&](int i) {
        char name[64];
        std::snprintf(name, sizeof name, "-%05d-of-%05d.safetensors", i + 1, shards);
        return stem + name;
    };
    std::vector<StoredTensors> parts(static_cast<std::size_t>(shards));
    std::string weightMap;
    std::uint64_t totalBytes = 0;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const int shard = static_cast<int>(i * static_cast<std::size_t>(shards) / tensors.size());
        parts[static_cast<std::size_t>(shard)].push_back(tensors[i]);
        weightMap +=
            (i ? "," : "") + jsonQuoted(tensors[i].name) + ":" + jsonQuoted(shardName(shard));
        totalBytes += tensors[i].bytes.size();
    }
    for (int i = 0; i < shards; ++i) {
        writeStored(dir / shardName(i), parts[static_cast<std::size_t>(i)], {{"format", "pt"}});
    }
    writeText(dir / (stem + ".safetensors.index.json"),
              "{\"metadata\":{\"total_size\":" + std::to_string(totalBytes) + "},\"weight_map\":{" +
                  weightMap + "}}");
}

// torch.save(state_dict) with every tensor in `type` (the official Wan .pth files).
inline void writeStateDictPth(const std::filesystem::path& path, const NamedTensors& tensors,
                              at::ScalarType type) {
    PyDict dict;
    for (const auto& [name, tensor] : tensors) {
        dict.items.emplace_back(name, tensor.to(type).contiguous());
    }
    std::filesystem::create_directories(path.parent_path());
    writeFile(path, torchSave(dict));
}

// torch.save({outerKey: {innerPrefix + name: tensor}}) with every tensor in `type`: HunyuanVideo's
// official checkpoints wrap their state dicts (mp_rank_00_model_states.pt holds {"module": ...},
// vae/pytorch_model.pt {"state_dict": {"vae.<name>": ...}}).
inline void writeWrappedStateDictPth(const std::filesystem::path& path, const std::string& outerKey,
                                     const std::string& innerPrefix, const NamedTensors& tensors,
                                     at::ScalarType type) {
    auto inner = std::make_shared<PyDict>();
    for (const auto& [name, tensor] : tensors) {
        inner->items.emplace_back(innerPrefix + name, tensor.to(type).contiguous());
    }
    PyDict root;
    root.isStateDict = false;
    root.items = {{outerKey, inner}};
    std::filesystem::create_directories(path.parent_path());
    writeFile(path, torchSave(root));
}

// float8_e4m3fn bits of the representable value nearest to `value` (saturating at 448).
inline std::uint8_t toFp8E4M3FN(float value) {
    static const std::vector<float> positive = [] {
        std::vector<float> table;
        for (int bits = 0; bits < 0x7F; ++bits) {  // 0x7F is NaN
            table.push_back(infer::fp8E4M3FNToFloat(static_cast<std::uint8_t>(bits)));
        }
        return table;
    }();
    const float magnitude = std::min(std::fabs(value), positive.back());
    const auto upper = std::lower_bound(positive.begin(), positive.end(), magnitude);
    std::size_t index = static_cast<std::size_t>(upper - positive.begin());
    if (index > 0 && (index == positive.size() ||
                      magnitude - positive[index - 1] <= positive[index] - magnitude)) {
        --index;
    }
    return static_cast<std::uint8_t>(index | (value < 0 ? 0x80 : 0));
}

// ComfyUI "scaled fp8": `name` (a `.weight`) as float8_e4m3fn of weight / scale with
// scale = max|w| / 448, and `<layer>.scale_weight` the float32 scale, which the loader
// multiplies back. Returns the two tensors and the values they decode to.
struct ScaledFp8 {
    StoredTensor weight;
    StoredTensor scale;
    at::Tensor decoded;
};

inline ScaledFp8 scaledFp8(const std::string& name, const at::Tensor& tensor) {
    const at::Tensor values = tensor.to(at::kFloat).contiguous();
    const float scale = std::max(values.abs().max().item<float>(), 1e-12f) / 448.0f;
    ScaledFp8 out;
    out.weight = {name, "F8_E4M3", values.sizes().vec(), {}};
    out.decoded = at::empty_like(values);
    const float* x = values.data_ptr<float>();
    float* decoded = out.decoded.data_ptr<float>();
    for (std::int64_t i = 0; i < values.numel(); ++i) {
        const std::uint8_t bits = toFp8E4M3FN(x[i] / scale);
        out.weight.bytes += static_cast<char>(bits);
        decoded[i] = infer::fp8E4M3FNToFloat(bits) * scale;
    }
    const std::string layer = name.substr(0, name.size() - std::string(".weight").size());
    out.scale = storedAs(layer + ".scale_weight", at::scalar_tensor(scale), at::kFloat);
    return out;
}

}  // namespace storyreel::test
