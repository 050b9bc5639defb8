#include "core/infer/weights/safetensors_writer.h"

#include "core/base/atomic_file.h"

#include <ATen/ATen.h>

#include <cstdint>
#include <cstdio>
#include <stdexcept>

namespace storyreel::infer {
namespace {

const char* dtypeName(at::ScalarType type) {
    switch (type) {
        case at::kFloat:
            return "F32";
        case at::kHalf:
            return "F16";
        case at::kBFloat16:
            return "BF16";
        case at::kDouble:
            return "F64";
        case at::kLong:
            return "I64";
        case at::kInt:
            return "I32";
        case at::kByte:
            return "U8";
        default:
            throw std::invalid_argument(std::string("safetensors writer: dtype ") +
                                        c10::toString(type) + " is not supported");
    }
}

std::string jsonString(const std::string& text) {
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            quoted += '\\';
            quoted += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
            quoted += escaped;
        } else {
            quoted += c;
        }
    }
    return quoted + "\"";
}

}  // namespace

std::string safetensorsBytes(const NamedTensorList& tensors,
                             const std::map<std::string, std::string>& metadata) {
    std::string header = "{";
    if (!metadata.empty()) {
        header += "\"__metadata__\":{";
        bool first = true;
        for (const auto& [key, value] : metadata) {
            header += (first ? "" : ",") + jsonString(key) + ":" + jsonString(value);
            first = false;
        }
        header += "}";
    }
    std::vector<at::Tensor> data;
    std::uint64_t offset = 0;
    for (const auto& [name, tensor] : tensors) {
        const at::Tensor values = tensor.contiguous().cpu();
        const std::uint64_t bytes = values.numel() * values.element_size();
        header += (header.size() > 1 ? "," : "") + jsonString(name) + ":{\"dtype\":\"" +
                  dtypeName(values.scalar_type()) + "\",\"shape\":[";
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

    std::string file;
    file.reserve(8 + header.size() + offset);
    const std::uint64_t headerBytes = header.size();
    for (int i = 0; i < 8; ++i) {
        file += static_cast<char>((headerBytes >> (8 * i)) & 0xFF);
    }
    file += header;
    for (const at::Tensor& values : data) {
        file.append(static_cast<const char*>(values.data_ptr()),
                    values.numel() * values.element_size());
    }
    return file;
}

void writeSafetensorsFile(const std::filesystem::path& file, const NamedTensorList& tensors,
                          const std::map<std::string, std::string>& metadata) {
    writeFileAtomically(file, safetensorsBytes(tensors, metadata));
}

}  // namespace storyreel::infer
