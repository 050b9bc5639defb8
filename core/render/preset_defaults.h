// What each preset renders when a shot does not say otherwise: size, frame rate, steps,
// guidance and shift, as the reference scripts use them (Wan 2.1 generate.py: 16 fps, 40 steps,
// guidance 5.0, shift 3.0 at 480p and 5.0 above, at the project's size up to 720p;
// HunyuanVideo-I2V's sample script: 720p buckets, 24 fps, 50 steps, embedded guidance 6.0,
// shift 7.0 in its stable mode; the step-distilled Wan LoRAs: 4 steps, guidance 1, so one
// transformer pass per step). Also the size a shot renders at once its settings and the project are
// known.
//
//   const PresetDefaults defaults = presetDefaults("quality");
//   const FrameSize size = renderSize(project, shot);   // 832x480 for a 16:9 480p shot
//
// Thread-safety: pure functions.
#pragma once

#include "core/project/project.h"

#include <string>
#include <string_view>

namespace storyreel::render {

struct PresetDefaults {
    std::string size;          // "project", "480p", ...
    double fps = 0.0;          // 0: the project's
    bool usesSampler = false;  // steps, guidance, shift and memory apply
    int steps = 0;
    double guidance = 0.0;
    double shiftAt480p = 0.0;
    double shiftAbove480p = 0.0;
};

PresetDefaults presetDefaults(std::string_view presetId);

struct FrameSize {
    int width = 0;
    int height = 0;
};

// The shot's size: the project's, or the named height with the project's aspect, both
// sides even (video encoders need it) and, for neural presets, multiples of 16 (the VAE's
// 8x stride times the 2x2 patch).
FrameSize renderSize(const project::Project& project, const project::Shot& shot);
double renderFps(const project::Project& project, const project::Shot& shot);

}  // namespace storyreel::render
