#include "core/render/engine_catalog.h"

#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/hy_models_folder.h"
#include "core/infer/models/wan/wan_models_folder.h"
#include "core/render/wan_engine.h"

#include <mutex>
#include <utility>

namespace storyreel::render {
namespace {

// Whether the files for `preset` are in `modelsDir`, and if not, why.
void checkModelFiles(PresetInfo& preset, const std::filesystem::path& modelsDir) {
    const bool hunyuan = preset.id == "fast";
    if (modelsDir.empty()) {
        preset.available = false;
        preset.unavailableReason =
            std::string(
                "not available yet: no models folder is set (choose one in the model "
                "manager, or set STORYREEL_MODELS_DIR), so the ") +
            (hunyuan ? "HunyuanVideo-I2V" : "Wan 2.1 I2V") + " files cannot be found";
        return;
    }
    try {
        if (hunyuan) {
            infer::hunyuan::findHunyuanModelFiles(modelsDir);
        } else {
            infer::wan::findWanModelFiles(modelsDir, preset.id);
        }
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
        {"fast", "HunyuanVideo-I2V", true, false, "", true},
        {"fast-wan", "Wan 2.1 I2V 14B + step-distillation LoRA", true, false, "", true},
        {"quality", "Wan 2.1 I2V 14B", true, false, "", true},
    };
    for (PresetInfo& preset : presets) {
        if (preset.needsGpu) {
            checkModelFiles(preset, modelsDir);
        }
    }
    return presets;
}

namespace {

// The catalog of the environment's models folder, shared by the UI and the render worker.
struct CachedCatalog {
    std::mutex mutex;
    bool valid = false;
    std::filesystem::path folder;
    std::vector<PresetInfo> presets;
};

CachedCatalog& cachedCatalog() {
    static CachedCatalog cache;
    return cache;
}

}  // namespace

std::vector<PresetInfo> presetCatalog() {
    CachedCatalog& cache = cachedCatalog();
    const std::filesystem::path folder = modelsDirFromEnvironment();
    const std::lock_guard lock(cache.mutex);
    if (!cache.valid || cache.folder != folder) {
        cache.presets = presetCatalog(folder);
        cache.folder = folder;
        cache.valid = true;
    }
    return cache.presets;
}

std::optional<PresetInfo> findPreset(std::string_view id) {
    for (PresetInfo& preset : presetCatalog()) {
        if (preset.id == id) {
            return std::move(preset);
        }
    }
    return std::nullopt;
}

void refreshPresetCatalog() {
    CachedCatalog& cache = cachedCatalog();
    const std::lock_guard lock(cache.mutex);
    cache.valid = false;
}

}  // namespace storyreel::render
