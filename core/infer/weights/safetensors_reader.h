// SafetensorsReader: the tensors of a safetensors checkpoint, whether one file or a Hugging
// Face sharded checkpoint (`*.safetensors.index.json`, whose weight_map names the shard of
// each tensor; a shard is opened the first time one of its tensors is asked for). Nothing
// is decoded until asked: tensor() returns float32, decoded on each call.
//
// ComfyUI "scaled fp8" checkpoints store a Linear's weight as fp8 `X.weight` with a float32
// scalar `X.scale_weight`; dequantized("X.weight") returns float32(weight) * scale_weight
// (ComfyUI comfy/ops.py scaled_fp8_ops), while tensor("X.weight") returns the raw values.
//
//   SafetensorsReader reader("model.safetensors.index.json");   // or a .safetensors file
//   for (const std::string& name : reader.names()) use(reader.info(name).shape);
//   at::Tensor w = reader.dequantized("blocks.0.ffn.0.weight");
//
// Thread-safety: const methods may be called from several threads; shards open under a lock.
#pragma once

#include "core/infer/weights/tensor_info.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace storyreel::infer {

class SafetensorsFile;

class SafetensorsReader {
public:
    // A .safetensors file (opened and checked now) or a *.safetensors.index.json (parsed now;
    // shards are opened lazily). Throws UserError naming the file and the problem.
    explicit SafetensorsReader(const std::filesystem::path& path);
    ~SafetensorsReader();

    SafetensorsReader(const SafetensorsReader&) = delete;
    SafetensorsReader& operator=(const SafetensorsReader&) = delete;

    const std::filesystem::path& path() const { return path_; }
    bool isSharded() const { return sharded_; }

    // Every tensor name, sorted.
    std::vector<std::string> names() const;
    bool contains(std::string_view name) const;
    // Opens the tensor's shard if needed. Throws UserError for an unknown name, a missing
    // shard or a tensor its shard does not hold. offsetBytes is within the shard file.
    const TensorInfo& info(std::string_view name) const;
    // The file that holds `name` (the shard for a sharded checkpoint).
    std::filesystem::path fileOf(std::string_view name) const;
    std::span<const std::uint8_t> rawBytes(std::string_view name) const;

    // The stored values as float32 in the stored shape (fp8 decoded without scaling).
    at::Tensor tensor(std::string_view name) const;

    // True when `name` is "X.weight" and "X.scale_weight" exists.
    bool hasScaleWeight(std::string_view name) const;
    // The effective float32 weight: tensor(name) * X.scale_weight when hasScaleWeight(name)
    // (one float32 multiply per value), else tensor(name).
    at::Tensor dequantized(std::string_view name) const;
    // The names a model sees after dequantisation: all but the `scaled_fp8` marker and the
    // `*.scale_weight` / `*.scale_input` tensors of scaled-fp8 layers. Sorted.
    std::vector<std::string> dequantizedNames() const;

    // __metadata__ of a single file; for a sharded checkpoint, the index's "metadata"
    // (numbers kept as written).
    const std::map<std::string, std::string>& metadata() const { return metadata_; }

private:
    void openIndex(const std::filesystem::path& indexPath);
    const SafetensorsFile& shard(std::size_t index) const;
    const TensorInfo& infoIn(const SafetensorsFile& file, std::string_view name) const;
    std::size_t shardIndexOf(std::string_view name) const;

    std::filesystem::path path_;
    bool sharded_ = false;
    std::vector<std::filesystem::path> shardPaths_;
    std::unordered_map<std::string, std::size_t> shardOf_;
    std::map<std::string, std::string> metadata_;
    mutable std::mutex mutex_;
    mutable std::vector<std::unique_ptr<SafetensorsFile>> shards_;
};

}  // namespace storyreel::infer
