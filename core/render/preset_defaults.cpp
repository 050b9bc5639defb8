#include "core/render/preset_defaults.h"

#include <algorithm>
#include <cmath>

namespace storyreel::render {

PresetDefaults presetDefaults(std::string_view presetId) {
    // Wan: the project's size is the pixel budget (up to 720p), so a 480p project renders
    // generate.py's 832x480; the user picks 480p in a shot's settings to draft faster.
    if (presetId == "quality") {
        return {"project", 16.0, true, 40, 5.0, 3.0, 5.0};
    }
    if (presetId == "fast-wan") {
        return {"project", 16.0, true, 4, 1.0, 5.0, 5.0};
    }
    if (presetId == "fast") {
        return {"540p", 24.0, true, 50, 6.0, 7.0, 7.0};
    }
    return {"project", 0.0, false, 0, 0.0, 0.0, 0.0};  // Animatic
}

FrameSize renderSize(const project::Project& project, const project::Shot& shot) {
    const PresetDefaults defaults = presetDefaults(shot.preset);
    const std::string size = shot.render.size.empty() ? defaults.size : shot.render.size;
    if (size == "project" || project.width <= 0 || project.height <= 0) {
        return {project.width, project.height};
    }
    const int lines = std::stoi(size.substr(0, size.size() - 1));
    // The named size is the short side, as "480p" means for a portrait video too.
    const double aspect = double(project.width) / project.height;
    const int multiple = defaults.usesSampler ? 16 : 2;
    const auto round = [multiple](double value) {
        return std::max(multiple, static_cast<int>(std::lround(value / multiple)) * multiple);
    };
    return aspect >= 1.0 ? FrameSize{round(lines * aspect), round(lines)}
                         : FrameSize{round(lines), round(lines / aspect)};
}

double renderFps(const project::Project& project, const project::Shot& shot) {
    if (shot.render.fps > 0.0) {
        return shot.render.fps;
    }
    const double preset = presetDefaults(shot.preset).fps;
    return preset > 0.0 ? preset : project.fps;
}

}  // namespace storyreel::render
