// CheckpointFile: one model checkpoint, whatever its container, seen the same way: the list
// of its tensors (TensorInfo) and a way to read one. The registry recognises models from
// that list alone, so a new container (torch .pth) plugs in with one adapter.
// openCheckpoint() chooses the container by content, never by file name: a safetensors
// header, the GGUF magic, a *.safetensors.index.json of a sharded checkpoint.
//
//   std::unique_ptr<CheckpointFile> file = openCheckpoint("wan2.1_i2v_480p_14B.safetensors");
//   for (const TensorInfo& info : file->tensors()) use(info.name, info.shape);
//   at::Tensor w = file->read("blocks.0.self_attn.q.weight");   // float32, scaled fp8 applied
//
// Thread-safety: immutable after opening; const methods from any thread.
#pragma once

#include "core/infer/weights/quantized_tensor.h"
#include "core/infer/weights/tensor_info.h"

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer {

enum class CheckpointFormat {
    Safetensors,         // one .safetensors file
    ShardedSafetensors,  // a *.safetensors.index.json and its shards
    Gguf,
    Pth,  // a torch.save zip archive (PyTorch >= 1.6; the legacy pickle is refused by name)
};

// "safetensors", "sharded safetensors", "GGUF", "torch .pth".
std::string_view checkpointFormatName(CheckpointFormat format);

// The container of `path` judged from its first bytes; nullopt when it is none of the above
// (or cannot be read).
std::optional<CheckpointFormat> sniffCheckpointFormat(const std::filesystem::path& path);

// A tensor a sharded index names that cannot be listed: its shard is missing or unreadable,
// or the shard does not hold it.
struct UnlistedTensor {
    std::string name;
    std::filesystem::path shard;
    std::string problem;  // "the shard file is missing", the reader's message, ...
};

class CheckpointFile {
public:
    virtual ~CheckpointFile() = default;

    const std::filesystem::path& path() const { return path_; }
    CheckpointFormat format() const { return format_; }

    // Every tensor that could be listed, sorted by name. offsetBytes is within fileOf(name).
    const std::vector<TensorInfo>& tensors() const { return tensors_; }
    const TensorInfo* find(std::string_view name) const;
    bool contains(std::string_view name) const { return find(name) != nullptr; }

    // safetensors __metadata__ (or a sharded index's "metadata"); GGUF string values.
    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    // GGUF general.architecture ("wan", "hyvid", "t5encoder", "llama"); empty elsewhere.
    const std::string& architecture() const { return architecture_; }

    // Sharded checkpoints: every file the index names, and the tensors it names that could
    // not be listed. Single files: the file itself, and nothing.
    const std::vector<std::filesystem::path>& files() const { return files_; }
    const std::vector<UnlistedTensor>& unlisted() const { return unlisted_; }

    // The file that holds `name` (a shard of a sharded checkpoint).
    virtual std::filesystem::path fileOf(std::string_view /*name*/) const { return path_; }
    // Touches the stored bytes' range without decoding (bounds-checked against the file);
    // throws UserError naming the file and tensor when it lies outside.
    virtual void checkReadable(std::string_view name) const = 0;
    // The effective float32 values in the logical shape: GGUF dequantised, ComfyUI scaled
    // fp8 multiplied by its scale_weight. Throws UserError for an unknown name.
    virtual at::Tensor read(std::string_view name) const = 0;
    // The stored GGUF blocks of a tensor kept in a GGML block type (Q4_K, Q8_0, ...), as a
    // CPU QuantizedTensor in the logical shape; nullopt for every other tensor (float
    // types, other containers). Throws UserError for an unknown name.
    virtual std::optional<QuantizedTensor> quantized(std::string_view name) const;

protected:
    CheckpointFile(std::filesystem::path path, CheckpointFormat format);
    // Sorts tensors_ and indexes them; adapters call it once they filled the lists.
    void finishListing();

    std::vector<TensorInfo> tensors_;
    std::map<std::string, std::string> metadata_;
    std::string architecture_;
    std::vector<std::filesystem::path> files_;
    std::vector<UnlistedTensor> unlisted_;

private:
    std::filesystem::path path_;
    CheckpointFormat format_;
    std::map<std::string, std::size_t, std::less<>> byName_;
};

// Opens `path` by content. Throws UserError naming the file when it is not a checkpoint or
// is malformed.
std::unique_ptr<CheckpointFile> openCheckpoint(const std::filesystem::path& path);

}  // namespace storyreel::infer
