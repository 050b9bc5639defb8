// SafetensorsFile: one .safetensors file, memory-mapped. The constructor reads and checks
// the header as strictly as the reference reader (huggingface/safetensors tensor.rs,
// read_metadata and Metadata::validate) and reports duplicate names itself; tensor data is
// read only when asked for.
//
//   SafetensorsFile file("umt5.safetensors");             // throws UserError
//   const TensorInfo* info = file.find("shared.weight");
//   at::Tensor w = file.tensor(*info);                    // float32, decoded now
//
// Thread-safety: immutable after construction; const methods from any thread.
#pragma once

#include "core/infer/weights/mapped_file.h"
#include "core/infer/weights/tensor_info.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace storyreel::infer {

class SafetensorsFile {
public:
    // The reference reader's cap on the JSON header.
    static constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;

    explicit SafetensorsFile(const std::filesystem::path& path);

    const std::filesystem::path& path() const { return file_.path(); }
    // In file (data offset) order. offsetBytes is from the start of the file.
    const std::vector<TensorInfo>& tensors() const { return tensors_; }
    const TensorInfo* find(std::string_view name) const;
    // __metadata__ (string -> string); empty when the header has none.
    const std::map<std::string, std::string>& metadata() const { return metadata_; }

    std::span<const std::uint8_t> rawBytes(const TensorInfo& info) const;
    // The stored values as a float32 tensor of the stored shape (fp8 decoded as is, without
    // any scale; integers and F64 converted).
    at::Tensor tensor(const TensorInfo& info) const;

private:
    void parseHeader(std::string_view header, std::uint64_t dataStart);
    void validateLayout(std::uint64_t dataBytes);

    MappedFile file_;
    std::vector<TensorInfo> tensors_;
    std::unordered_map<std::string, std::size_t> byName_;
    std::map<std::string, std::string> metadata_;
    std::uint64_t dataStart_ = 0;
};

}  // namespace storyreel::infer
