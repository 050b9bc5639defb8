#include "core/infer/registry/opened_checkpoint.h"

#include "core/base/user_error.h"

#include <fstream>
#include <iterator>

namespace storyreel::infer {

OpenedCheckpoint openCheckpointAs(const std::filesystem::path& path, ModelFamily family) {
    OpenedCheckpoint opened;
    opened.file = openCheckpoint(path);
    opened.recognition = recogniseModel(opened.file->tensors(), opened.file->metadata(),
                                        opened.file->architecture());
    if (opened.recognition.family != family) {
        throw UserError::inFile(
            path, "is not a " + std::string(modelFamilyName(family)) + " (its tensors look like " +
                      std::string(modelFamilyName(opened.recognition.family)) + ")");
    }
    opened.view = std::make_unique<InternalView>(*opened.file, opened.recognition.family,
                                                 opened.recognition.layout);
    return opened;
}

const OpenedCheckpoint& OpenedCheckpoints::open(const std::filesystem::path& path,
                                                ModelFamily family) {
    kept_.push_back(std::make_unique<OpenedCheckpoint>(openCheckpointAs(path, family)));
    return *kept_.back();
}

double storedBytesPerParameter(const CheckpointFile& file) {
    double bytes = 0.0;
    double count = 0.0;
    for (const TensorInfo& info : file.tensors()) {
        bytes += static_cast<double>(info.sizeBytes);
        count += static_cast<double>(info.numel());
    }
    return count > 0.0 ? bytes / count : 2.0;
}

std::string readTextFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw UserError::inFile(path, "cannot be read");
    }
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace storyreel::infer
