#include "core/render/engine_catalog.h"

#include "core/base/user_error.h"
#include "core/infer/models/wan/wan_models_folder.h"
#include "core/render/wan_engine.h"

namespace storyreel::render {
namespace {

// Whether the Wan files for `preset` are in `modelsDir`, and if not, why.
void checkWanFiles(PresetInfo& preset, const std::filesystem::path& modelsDir) {
    if (modelsDir.empty()) {
        preset.available = false;
        preset.unavailableReason =
            "not available yet: no models folder is set (choose one in the model manager, or "
            "set STORYREEL_MODELS_DIR), so the Wan 2.1 I2V files cannot be found";
        return;
    }
    try {
        infer::wan::findWanModelFiles(modelsDir, preset.id);
        preset.available = true;
        preset.unavailableReason.clear();
    } catch (const UserError& error) {
        preset.available = false;
        preset.unavailableReason = error.what();
    }
}

}  // namespace

std::vector<PresetInfo> presetCatalog(const std::filesystem::path& modelsDir) {
    std::vector<PresetInfo> presets = {
        {"animatic", "Animatic (OpenCV camera motion)", false, true, "", true},
        {"fast", "HunyuanVideo-I2V", true, false,
         "the HunyuanVideo-I2V engine is not available yet", false},
        {"fast-wan", "Wan 2.1 I2V 14B + step-distillation LoRA", true, false, "", true},
        {"quality", "Wan 2.1 I2V 14B", true, false, "", true},
    };
    for (PresetInfo& preset : presets) {
        if (preset.id == "fast-wan" || preset.id == "quality") {
            checkWanFiles(preset, modelsDir);
        }
    }
    return presets;
}

std::vector<PresetInfo> presetCatalog() {
    // Scanned once: findPreset hands out pointers into it.
    static const std::vector<PresetInfo> presets = presetCatalog(modelsDirFromEnvironment());
    return presets;
}

const PresetInfo* findPreset(std::string_view id) {
    static const std::vector<PresetInfo> presets = presetCatalog();
    for (const PresetInfo& preset : presets) {
        if (preset.id == id) {
            return &preset;
        }
    }
    return nullptr;
}

}  // namespace storyreel::render
