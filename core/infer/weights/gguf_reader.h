// GgufReader: a GGUF v2/v3 file (llama.cpp gguf.md), memory-mapped. The constructor reads
// the metadata and tensor infos and checks them the way ggml's gguf_init_from_file does
// (every count and length bounded by the bytes left, offsets aligned and contiguous, no
// duplicates, types known and dequantisable); tensor data stays in the map until asked.
// Logical shapes follow ComfyUI-GGUF (loader.py get_orig_shape): the metadata key
// `comfy.gguf.orig_shape.<name>` when present, else the GGUF dims reversed.
//
//   GgufReader reader("wan2.1-i2v-14b-Q4_K_M.gguf");     // throws UserError
//   const GgufTensorInfo& info = reader.info("blocks.0.self_attn.q.weight");
//   at::Tensor w = reader.tensor(info.tensor.name);       // float32, dequantised now
//
// Thread-safety: immutable after construction; const methods from any thread.
#pragma once

#include "core/infer/weights/gguf_value.h"
#include "core/infer/weights/mapped_file.h"
#include "core/infer/weights/tensor_info.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace storyreel::infer {

struct GgufTensorInfo {
    // Name, storage type (the GGML type), logical shape, absolute offset and byte size.
    TensorInfo tensor;
    std::uint32_t ggmlType = 0;
    // The stored dims in GGUF order (ne[0], the contiguous row length, first).
    std::vector<std::uint64_t> dims;
};

class GgufReader {
public:
    // ggml caps n_dims at 4; ComfyUI-GGUF files carry 5-D patch embeddings.
    static constexpr std::uint32_t kMaxDims = 8;

    explicit GgufReader(const std::filesystem::path& path);

    const std::filesystem::path& path() const { return file_.path(); }
    std::uint32_t version() const { return version_; }
    std::uint64_t alignment() const { return alignment_; }

    // Key/value pairs in file order.
    const std::vector<std::pair<std::string, GgufValue>>& metadata() const { return metadata_; }
    const GgufValue* find(std::string_view key) const;

    // In file order.
    const std::vector<GgufTensorInfo>& tensors() const { return tensors_; }
    bool contains(std::string_view name) const;
    // Throws UserError for an unknown name.
    const GgufTensorInfo& info(std::string_view name) const;
    std::span<const std::uint8_t> rawBytes(std::string_view name) const;
    // After copying rawBytes out: lets the kernel drop those pages (MappedFile::dropPages).
    void dropPages(std::span<const std::uint8_t> bytes) const noexcept;
    // Dequantised to float32, in the logical shape.
    at::Tensor tensor(std::string_view name) const;

private:
    class Parser;

    MappedFile file_;
    std::uint32_t version_ = 0;
    std::uint64_t alignment_ = 32;
    std::vector<std::pair<std::string, GgufValue>> metadata_;
    std::unordered_map<std::string, std::size_t> metadataIndex_;
    std::vector<GgufTensorInfo> tensors_;
    std::unordered_map<std::string, std::size_t> tensorIndex_;
};

}  // namespace storyreel::infer
