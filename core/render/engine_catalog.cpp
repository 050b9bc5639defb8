#include "core/render/engine_catalog.h"

namespace storyreel::render {
namespace {

// The neural engines have not landed yet; their entries say so.
const std::vector<PresetInfo>& catalog() {
    static const std::vector<PresetInfo> presets = {
        {"animatic", "Animatic (OpenCV camera motion)", false, true, ""},
        {"fast", "HunyuanVideo-I2V", true, false,
         "the HunyuanVideo-I2V engine is not available yet"},
        {"fast-wan", "Wan 2.1 I2V 14B + step-distillation LoRA", true, false,
         "the Wan 2.1 engine is not available yet"},
        {"quality", "Wan 2.1 I2V 14B", true, false, "the Wan 2.1 engine is not available yet"},
    };
    return presets;
}

}  // namespace

std::vector<PresetInfo> presetCatalog() {
    return catalog();
}

const PresetInfo* findPreset(std::string_view id) {
    for (const PresetInfo& preset : catalog()) {
        if (preset.id == id) {
            return &preset;
        }
    }
    return nullptr;
}

}  // namespace storyreel::render
