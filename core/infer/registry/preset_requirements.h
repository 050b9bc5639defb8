// Which model files each engine preset needs, and what a models folder holds: every
// checkpoint in it (recursively) recognised by content, then, per preset, which of its
// components were found and which are missing, with the licence that applies.
//
//   const ModelsFolderScan scan = scanModelsFolder("/data/models");
//   for (const PresetStatus& p : scan.presets) show(p.preset.name, p.complete);
//
// Thread-safety: pure functions over the file system; call from one thread per folder.
#pragma once

#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/model_family.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer {

struct ComponentRequirement {
    std::string role;  // "transformer", "VAE", "text encoder", ...
    ModelFamily family = ModelFamily::Unknown;
    bool optional = false;
    bool needsImageToVideo = false;  // a DiT that takes an image (Wan: in_dim 36 + img_emb)
};

struct PresetRequirement {
    std::string id;    // as in core/render/engine_catalog: "quality", "fast", "fast-wan"
    std::string name;  // "Quality (Wan 2.1 I2V 14B)"
    std::string licence;
    std::vector<ComponentRequirement> components;
};

const std::vector<PresetRequirement>& presetRequirements();

enum class ScanStatus {
    Recognised,
    Unrecognised,  // a checkpoint of no model Storyreel knows
    Unreadable,    // malformed, truncated, not a checkpoint
};

struct ScannedFile {
    std::filesystem::path path;
    ScanStatus status = ScanStatus::Unrecognised;
    std::optional<CheckpointFormat> format;
    std::string error;  // Unreadable: the reader's message
    ModelRecognition recognition;
    std::size_t tensorCount = 0;
    std::uint64_t sizeBytes = 0;  // the file (all shards for a sharded checkpoint)
};

// Recognises one file (never throws: problems land in status and error).
ScannedFile scanModelFile(const std::filesystem::path& path);

struct ComponentStatus {
    ComponentRequirement requirement;
    std::vector<std::filesystem::path> found;
    // Files of the right family that do not fit, with why ("text-to-video: ...").
    std::vector<std::pair<std::filesystem::path, std::string>> unsuitable;
    bool satisfied() const { return !found.empty(); }
};

struct PresetStatus {
    PresetRequirement preset;
    std::vector<ComponentStatus> components;
    // Every non-optional component found.
    bool complete = false;
};

struct ModelsFolderScan {
    std::filesystem::path folder;
    std::vector<ScannedFile> files;  // sorted by path; shards of an index are not listed
    std::vector<PresetStatus> presets;
};

// Looks at .safetensors, *.safetensors.index.json, .gguf, .pth, .pt and .ckpt files below
// `folder`. Throws UserError when the folder does not exist.
ModelsFolderScan scanModelsFolder(const std::filesystem::path& folder);

// Per preset, from already scanned files.
std::vector<PresetStatus> presetStatuses(const std::vector<ScannedFile>& files);

// "transformer (Wan 2.1 DiT (video transformer), the image-to-video model)": a component
// as a message names it.
std::string describeComponent(const ComponentRequirement& requirement);

// What an engine says of a models folder that lacks files: "the `models` model files are
// incomplete in FOLDER (searched with its sub-folders): missing A; B. Found but not usable:
// C. Put the files in that folder; ...". `unsuitable` may be empty.
std::string incompleteModelsMessage(std::string_view models, const std::filesystem::path& folder,
                                    const std::vector<std::string>& missing,
                                    const std::vector<std::string>& unsuitable);

}  // namespace storyreel::infer
