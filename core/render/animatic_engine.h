// The Animatic preset's engine: classical camera motion over the still, parsed from the
// motion prompt, rendered on the CPU. It needs no GPU and no model.
//
//   AnimaticEngine engine;
//   Frames frames = engine.render(request, progress, cancel);
//   animateToFile(request, "shot.mp4", progress, cancel);   // streams, for long shots
//
// Thread-safety: render() may run on any one thread at a time per engine.
#pragma once

#include "core/render/engine.h"

#include <filesystem>
#include <string>
#include <vector>

namespace storyreel::render {

struct AnimaticExtras {
    double shutterAngle = 0.0;  // motion blur; 0: none
    bool life = false;          // a barely visible breathing zoom on static shots
    // 2.5D parallax: from the user's depth map (white = near), or the built-in estimate.
    std::filesystem::path depthMap;
    bool estimateDepth = false;
};

class AnimaticEngine : public Engine {
public:
    explicit AnimaticEngine(AnimaticExtras extras = {}) : extras_(extras) {}

    Estimate estimate(const RenderRequest& request) const override;
    Frames render(const RenderRequest& request, const ProgressSink& progress,
                  const CancelToken& cancel) override;

private:
    AnimaticExtras extras_;
};

// What the Animatic engine understood of a prompt, for messages and the UI's chips.
struct PromptReading {
    std::vector<std::string> understood;
    std::vector<std::string> ignored;
};
PromptReading readMotionPrompt(const std::string& prompt);

// Renders straight into a video (.mkv: lossless FFV1, the take intermediate; otherwise H.264
// MP4) or, when `out` has no extension, a new folder of PNG frames; nothing is left under
// the final name if it fails or is cancelled.
void animateToFile(const RenderRequest& request, const std::filesystem::path& out,
                   const AnimaticExtras& extras, const ProgressSink& progress,
                   const CancelToken& cancel);

}  // namespace storyreel::render
