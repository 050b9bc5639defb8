// A checkpoint opened as a model set uses it: the file read by content, recognised by its
// tensors, and seen under the model's internal names, kept together so that the view lives
// as long as the model built from it. Shared by the engines' models-folder code (Wan,
// HunyuanVideo).
//
//   const OpenedCheckpoint dit = openCheckpointAs(path, ModelFamily::HunyuanDiT);  // UserError
//   HunyuanDiTConfig config = HunyuanDiTConfig::fromCheckpoint(*dit.view);
//   double bytes = storedBytesPerParameter(*dit.file);   // 2 for bf16, ~1.06 for Q8_0
//
//   OpenedCheckpoints opened;   // a model set's: keeps every file open as long as it lives
//   const OpenedCheckpoint& vae = opened.open(path, ModelFamily::HunyuanVAE);
//
// Thread-safety: opening reads files; the result is immutable.
#pragma once

#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/registry/model_family.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace storyreel::infer {

struct OpenedCheckpoint {
    std::unique_ptr<CheckpointFile> file;
    ModelRecognition recognition;
    std::unique_ptr<InternalView> view;
};

// Throws UserError naming the file when it is unreadable or holds another family.
OpenedCheckpoint openCheckpointAs(const std::filesystem::path& path, ModelFamily family);

// The checkpoints a model set was built from, kept open while it lives: a model may read
// its weights from a view after loading (GGUF blocks dequantised at use).
class OpenedCheckpoints {
public:
    // openCheckpointAs(path, family), kept; the reference stays valid as long as this.
    const OpenedCheckpoint& open(const std::filesystem::path& path, ModelFamily family);

private:
    std::vector<std::unique_ptr<OpenedCheckpoint>> kept_;
};

// Bytes a stored weight takes on average over the file's tensors (2.0 for an empty file).
double storedBytesPerParameter(const CheckpointFile& file);

// The whole file as text. Throws UserError naming it when it cannot be read.
std::string readTextFile(const std::filesystem::path& path);

}  // namespace storyreel::infer
