// The presets a user picks from and the engine behind each, with whether this build can
// run it and, if not, why. The UI and the CLI list presets from here.
//
//   for (const PresetInfo& preset : presetCatalog()) addItem(preset.id, preset.available);
//   const PresetInfo* quality = findPreset("quality");
//
// Thread-safety: returns values; may be called from any thread.
#pragma once

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
};

std::vector<PresetInfo> presetCatalog();
const PresetInfo* findPreset(std::string_view id);

}  // namespace storyreel::render
