// The presets a user picks from and the engine behind each, with whether it can run and,
// if not, why. The neural presets (Wan 2.1's "quality" and "fast-wan", HunyuanVideo-I2V's
// "fast") run when this build has their engine (it does: LibTorch is always linked) and
// their files are in the models folder; otherwise the reason says which files are missing
// and where to put them. The UI and the CLI list presets from here.
//
//   for (const PresetInfo& preset : presetCatalog(modelsDir)) addItem(preset.id, preset.available);
//   std::optional<PresetInfo> quality = findPreset("quality");   // $STORYREEL_MODELS_DIR
//
// Thread-safety: returns values; may be called from any thread. presetCatalog(folder) reads
// the folder's checkpoint headers (fast, but not for the UI thread on a slow disk); the
// catalog of $STORYREEL_MODELS_DIR is kept and read again when that variable changes or
// after refreshPresetCatalog().
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::render {

struct PresetInfo {
    std::string id;         // "animatic", "fast", "fast-wan", "quality": stored in projects
    std::string engine;     // "Animatic (OpenCV)", "HunyuanVideo-I2V", "Wan 2.1 I2V 14B"
    bool needsGpu = false;  // neural engines need a CUDA GPU and model files
    bool available = false;
    std::string unavailableReason;  // empty when available
    // This build has the preset's engine; `available` also needs its model files.
    bool engineBuilt = false;
};

// The presets as they stand for the models in `modelsDir` (empty: no folder chosen).
std::vector<PresetInfo> presetCatalog(const std::filesystem::path& modelsDir);
// presetCatalog(modelsDirFromEnvironment()): the folder in $STORYREEL_MODELS_DIR, read when
// first asked for, again when the variable has changed, and after refreshPresetCatalog().
std::vector<PresetInfo> presetCatalog();
std::optional<PresetInfo> findPreset(std::string_view id);
// The models folder's files changed (the model manager saw new files): read it again.
void refreshPresetCatalog();

}  // namespace storyreel::render
