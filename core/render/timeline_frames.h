// The pictures of a planned timeline, one output frame at a time: each clip's take decoded
// and fitted to the output size (or its still), converted from the take's rate, and two
// clips blended during a crossfade. The MP4/PNG export walks it in order; the preview asks
// for any frame while the user scrubs, keeping only a few clips decoded.
//
//   TimelineFrames frames(planTimeline(project, true), 640, 360, FrameRateMethod::Blend,
//                         TimelineFrames::Access::Random);
//   cv::Mat picture = frames.at(120);   // 8-bit BGR, 640x360
//
// Thread-safety: one thread at a time (it decodes and caches on demand). It never reads the
// plan's take pointers, so a plan may outlive the project it was made from.
#pragma once

#include "core/media/frame_rate_method.h"
#include "core/render/timeline_plan.h"

#include <opencv2/core.hpp>

#include <cstddef>
#include <limits>
#include <memory>
#include <vector>

namespace storyreel::render {

class TimelineFrames {
public:
    enum class Access {
        // Every frame of a take decoded once, in order: any rate conversion, including
        // motion-compensated (the export).
        Sequential,
        // Only the source frames a picture needs, by seeking (takes are intra-only FFV1):
        // fast at any position, for scrubbing. Motion compensation falls back to blending.
        Random,
    };
    // maxOpenClips bounds memory: clips beyond it are closed, least recently used first.
    TimelineFrames(TimelinePlan plan, int width, int height, media::FrameRateMethod method,
                   Access access = Access::Sequential,
                   std::size_t maxOpenClips = std::numeric_limits<std::size_t>::max());
    ~TimelineFrames();
    TimelineFrames(const TimelineFrames&) = delete;
    TimelineFrames& operator=(const TimelineFrames&) = delete;

    const TimelinePlan& plan() const { return plan_; }
    long frameCount() const { return plan_.totalFrames(); }

    // The picture at timeline frame `frame` (clamped to the timeline); throws UserError
    // naming a take or image that cannot be read.
    cv::Mat at(long frame);

    // Decodes every clip now (the export does, so a bad file stops it before encoding).
    void decodeAll();

    struct Clip;  // a planned clip with its decoded pictures

private:
    Clip& clip(std::size_t index);

    TimelinePlan plan_;
    int width_;
    int height_;
    media::FrameRateMethod method_;
    Access access_;
    std::size_t maxOpenClips_;
    std::vector<std::unique_ptr<Clip>> clips_;  // null until decoded
    std::vector<std::size_t> recentlyUsed_;     // decoded clip indices, most recent last
};

}  // namespace storyreel::render
