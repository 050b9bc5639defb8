// A golden case's weights file opened under the reference's names, as the HunyuanVideo text
// encoder tests need it: the checkpoint, its official-layout InternalView for `family`, and a
// ModuleWeights over it.
//
//   const HyTextWeights weights(golden.weights, ModelFamily::LlavaLlama3, config.describe());
//   LlavaTextEncoder encoder(config, weights.module);
//
// Thread-safety: test-thread only.
#pragma once

#include "core/infer/layers/module_weights.h"
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/weights/safetensors_reader.h"
#include "core/infer/weights/safetensors_writer.h"

#include <ATen/ATen.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>

namespace storyreel::test {

struct HyTextWeights {
    HyTextWeights(const std::filesystem::path& path, infer::ModelFamily family,
                  const std::string& configuration, infer::WeightLoadOptions options = {})
        : file(infer::openCheckpoint(path)),
          view(*file, family, infer::CheckpointLayout::Official),
          module(view, std::move(options), "HunyuanVideo text encoder test", configuration) {}
    std::unique_ptr<infer::CheckpointFile> file;
    infer::InternalView view;
    infer::ModuleWeights module;
};

// Writes the tensors of `source` to `target`, each passed through `edit` (which may return
// an undefined tensor to leave it out).
inline void rewriteWeights(
    const std::filesystem::path& source, const std::filesystem::path& target,
    const std::function<at::Tensor(const std::string&, const at::Tensor&)>& edit) {
    const infer::SafetensorsReader reader(source);
    infer::NamedTensorList tensors;
    for (const std::string& name : reader.names()) {
        at::Tensor value = edit(name, reader.tensor(name));
        if (value.defined()) {
            tensors.emplace_back(name, value);
        }
    }
    infer::writeSafetensorsFile(target, tensors);
}

}  // namespace storyreel::test
