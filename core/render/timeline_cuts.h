// Internal to the timeline writers: where each clip is visible when crossfades are drawn
// as transitions centred on the edit point (OTIO, FCPXML) or at the start of the overlap
// (EDL, MLT). Derived from the plan so every writer cuts at the same frames.
#pragma once

#include "core/render/timeline_plan.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace storyreel::render {

// Frames of the crossfade into clip i before its edit point (the rest come after).
inline long fadeBeforeCut(const TimelinePlan& plan, std::size_t i) {
    return i < plan.clips.size() ? plan.clips[i].fadeIn / 2 : 0;
}

inline long fadeAfterCut(const TimelinePlan& plan, std::size_t i) {
    return i < plan.clips.size() ? plan.clips[i].fadeIn - fadeBeforeCut(plan, i) : 0;
}

// The part of clip i shown between its edit points, in record frames, and where that
// part starts in the source.
struct VisiblePart {
    long recordIn = 0;
    long frames = 0;
    long sourceIn = 0;
};

inline VisiblePart visiblePart(const TimelinePlan& plan, std::size_t i) {
    const PlannedClip& clip = plan.clips[i];
    const long head = fadeBeforeCut(plan, i);
    const long tail = fadeAfterCut(plan, i + 1);
    return {clip.recordIn + head, clip.frames - head - tail, clip.sourceIn + head};
}

// The frame rate as an exact fraction: 24 -> 24/1, 23.976 -> 24000/1001.
inline void rateFraction(double fps, long& numerator, long& denominator) {
    if (std::abs(fps - std::round(fps)) < 1e-6) {
        numerator = std::lround(fps);
        denominator = 1;
    } else {
        numerator = std::lround(fps * 1001.0);
        denominator = 1001;
    }
}

}  // namespace storyreel::render
