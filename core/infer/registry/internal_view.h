// InternalView: a checkpoint seen under the model's internal names (the official reference's
// parameter names), whatever its layout: prefixes stripped, diffusers names renamed, split
// q/k/v concatenated back, swapped halves put back. Model code asks for
// "double_blocks.0.img_attn_qkv.weight" and never learns the file's layout.
//
//   const ModelRecognition r = recogniseModel(file.tensors(), file.metadata(),
//   file.architecture()); InternalView view(file, r.family, r.layout); at::Tensor qkv =
//   view.tensor("double_blocks.0.img_attn_qkv.weight");   // float32
//
// Thread-safety: immutable after construction; const methods from any thread as far as the
// CheckpointFile allows (it does).
#pragma once

#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/name_mapping.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer {

class InternalView {
public:
    // Keeps a reference to `file`, which must outlive the view.
    InternalView(const CheckpointFile& file, ModelFamily family, CheckpointLayout layout);

    const CheckpointFile& file() const { return file_; }

    // Internal names, sorted.
    std::vector<std::string> names() const;
    bool contains(std::string_view internalName) const;
    // The internal tensor's shape; throws UserError for an unknown name.
    std::vector<std::int64_t> shape(std::string_view internalName) const;
    // The file's tensors that make `internalName`, in part order.
    std::vector<std::string> sourcesOf(std::string_view internalName) const;
    MappingKind kindOf(std::string_view internalName) const;
    // Float32 values under the internal name. Throws UserError naming the file for an
    // unknown name or a concatenation with a part missing.
    at::Tensor tensor(std::string_view internalName) const;

    // The file's tensors that feed no internal name (scaled-fp8 bookkeeping excluded).
    const std::vector<std::string>& unmapped() const { return unmapped_; }

private:
    struct Entry {
        MappingKind kind = MappingKind::Rename;
        int parts = 1;
        int leadingOnes = 0;
        std::map<int, std::string> sources;  // part -> file tensor name
    };
    const Entry& entry(std::string_view internalName) const;

    const CheckpointFile& file_;
    std::map<std::string, Entry, std::less<>> entries_;
    std::vector<std::string> unmapped_;
};

}  // namespace storyreel::infer
