// The model files a user installed, as the UI and the CLI see them (torch-free: the registry
// in core/infer/registry does the work): what one checkpoint holds and which model it is,
// what a models folder provides for each preset, and whether the files are complete and
// intact.
//
//   const ModelFolderInfo folder = inspectModelFolder("/data/models");
//   for (const ModelPresetInfo& preset : folder.presets) show(preset.name, preset.complete);
//   const ModelVerifyInfo check = verifyModels("/data/models", false);   // check.ok
//
// Thread-safety: reads files; call from one thread per folder (not the UI thread: a full
// read of a 14B checkpoint takes minutes).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace storyreel::render {

struct ModelTensorRow {
    std::string name;
    std::string dtype;  // "BF16", "F8_E4M3FN", "Q4_K", ...
    std::vector<std::int64_t> shape;
    std::uint64_t sizeBytes = 0;
};

enum class ModelFileStatus { Recognised, Unrecognised, Unreadable };

struct ModelFileInfo {
    std::filesystem::path path;
    ModelFileStatus status = ModelFileStatus::Unrecognised;
    std::string format;  // "safetensors", "sharded safetensors", "GGUF", "torch .pth"
    std::string error;   // Unreadable: why
    std::string family;  // "Wan 2.1 DiT (video transformer)", ...
    std::string variant;
    bool knownVariant = false;
    std::string layout;  // "official", "ComfyUI repackaged", "diffusers", "GGUF"
    std::string licence;
    bool scaledFp8 = false;
    std::vector<std::string> notes;
    std::map<std::string, std::int64_t> config;
    std::size_t tensorCount = 0;
    std::uint64_t sizeBytes = 0;
    std::vector<ModelTensorRow> tensors;  // inspectModelFile only
};

struct ModelComponentInfo {
    std::string role;    // "transformer", "VAE", ...
    std::string family;  // what it must be
    bool optional = false;
    std::vector<std::filesystem::path> found;
    std::vector<std::pair<std::filesystem::path, std::string>> unsuitable;  // file, why
};

struct ModelPresetInfo {
    std::string id;  // "quality", "fast-wan", "fast"
    std::string name;
    std::string licence;
    bool complete = false;
    std::vector<ModelComponentInfo> components;
};

struct ModelFolderInfo {
    std::filesystem::path folder;
    std::vector<ModelFileInfo> files;
    std::vector<ModelPresetInfo> presets;
};

struct ModelIssue {
    bool isError = true;  // false: a warning
    // "unreadable", "unrecognised", "missing-shard", "not-in-shard",
    // "missing-tensor", "wrong-shape", "out-of-range", "non-finite", "preset-incomplete".
    std::string code;
    std::filesystem::path file;
    std::string tensor;  // preset-incomplete: the preset id
    std::string detail;
    std::string message;  // English, complete
};

struct ModelVerifyInfo {
    ModelFolderInfo folder;
    std::vector<ModelIssue> issues;
    bool ok = false;  // no error and (for a folder) at least one preset complete
};

// Never throws for a bad file: its status and error say what is wrong.
ModelFileInfo inspectModelFile(const std::filesystem::path& path);
// Throws UserError when the folder does not exist.
ModelFolderInfo inspectModelFolder(const std::filesystem::path& folder);
// A folder (every checkpoint and every preset) or one file. Throws UserError when the path
// does not exist.
ModelVerifyInfo verifyModels(const std::filesystem::path& path, bool fullRead);

}  // namespace storyreel::render
