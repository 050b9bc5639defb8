// Writes small .safetensors files for tests (the format of huggingface/safetensors: an
// 8-byte little-endian header length, a JSON header padded with spaces to 8 bytes, then the
// tensors' bytes back to back). The project reads safetensors but never writes them, so
// the writer lives with the tests that need files they can shape freely.
//
//   writeSafetensors(dir / "lora.safetensors",
//                    {{"x.lora_down.weight", at::randn({4, 48})}, {"x.alpha",
//                    at::scalar_tensor(8.0)}});
//
// Thread-safety: writes the file it is given; call from the test thread.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace storyreel::test {

using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

inline std::string safetensorsDtype(at::ScalarType type) {
    switch (type) {
        case at::kFloat:
            return "F32";
        case at::kHalf:
            return "F16";
        case at::kBFloat16:
            return "BF16";
        default:
            throw std::invalid_argument("writeSafetensors: only F32, F16 and BF16");
    }
}

// Tensors in the order given; float32 unless they are float16 or bfloat16 already. Assumes
// a little-endian host, as the golden data does.
inline void writeSafetensors(const std::filesystem::path& path, const NamedTensors& tensors) {
    std::string header = "{";
    std::vector<at::Tensor> data;
    std::uint64_t offset = 0;
    for (const auto& [name, tensor] : tensors) {
        at::Tensor values = tensor.contiguous().cpu();
        if (values.scalar_type() != at::kHalf && values.scalar_type() != at::kBFloat16) {
            values = values.to(at::kFloat);
        }
        const std::uint64_t bytes = values.numel() * values.element_size();
        header += (data.empty() ? "\"" : ",\"") + name + "\":{\"dtype\":\"" +
                  safetensorsDtype(values.scalar_type()) + "\",\"shape\":[";
        for (std::int64_t dim = 0; dim < values.dim(); ++dim) {
            header += (dim ? "," : "") + std::to_string(values.size(dim));
        }
        header += "],\"data_offsets\":[" + std::to_string(offset) + "," +
                  std::to_string(offset + bytes) + "]}";
        offset += bytes;
        data.push_back(values);
    }
    header += "}";
    header.append((8 - header.size() % 8) % 8, ' ');
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    const std::uint64_t headerBytes = header.size();
    for (int i = 0; i < 8; ++i) {
        out.put(static_cast<char>((headerBytes >> (8 * i)) & 0xFF));
    }
    out << header;
    for (const at::Tensor& values : data) {
        out.write(static_cast<const char*>(values.data_ptr()),
                  static_cast<std::streamsize>(values.numel() * values.element_size()));
    }
    if (!out) {
        throw std::runtime_error("writeSafetensors: cannot write " + path.string());
    }
}

}  // namespace storyreel::test
