// Where the camera looks at each moment of a shot, from a motion plan: the centre of the
// view on the still, its zoom and its roll. Moves in a segment happen together with the
// segment's easing; segments follow one another and keep what came before. The whole path
// is then framed to stay inside the picture (centred on it, and zoomed in just enough).
//
//   CameraPath path(plan, {1920, 1080}, {1280, 720}, 5.0, seed);
//   CameraPose pose = path.at(2.5);
//
// Thread-safety: immutable after construction; at() may be called from any thread.
#pragma once

#include "core/motion/motion_prompt.h"

#include <cstdint>
#include <vector>

namespace storyreel::motion {

struct CameraPose {
    double centerX = 0.0;  // source pixels (pixel-centre coordinates)
    double centerY = 0.0;
    double viewWidth = 0.0;  // source pixels the output's width spans
    double rollDegrees = 0.0;
    // For parallax: how far the camera itself has travelled (truck, pedestal, orbit), in
    // source pixels, and how much of the zoom is a dolly (1: none). Pans, tilts and zooms
    // turn or magnify the view and move every depth alike, so they do not count.
    double travelX = 0.0;
    double travelY = 0.0;
    double dolly = 1.0;
};

struct Size2 {
    int width = 0;
    int height = 0;
};

class CameraPath {
public:
    // `life` adds a barely visible breathing zoom to shots that do not move.
    CameraPath(const MotionPlan& plan, Size2 source, Size2 output, double seconds,
               std::uint64_t seed, bool life = false);

    CameraPose at(double seconds) const;
    double seconds() const { return seconds_; }

private:
    struct Raw {
        double x = 0.0;  // offset of the view centre, in cover widths
        double y = 0.0;  // in cover heights
        double zoom = 1.0;
        double roll = 0.0;
        double travelX = 0.0;  // in cover widths
        double travelY = 0.0;  // in cover heights
        double dolly = 1.0;
    };
    Raw raw(double seconds) const;

    MotionPlan plan_;
    Size2 source_;
    Size2 output_;
    double seconds_;
    std::uint64_t seed_;
    bool life_;
    double coverWidth_ = 0.0;  // the largest output-shaped rectangle inside the source
    double coverHeight_ = 0.0;
    double fitZoom_ = 1.0;  // applied to every pose so the view stays inside the picture
    double offsetX_ = 0.0;  // recentring of the whole path
    double offsetY_ = 0.0;
};

}  // namespace storyreel::motion
