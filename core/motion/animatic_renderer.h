// Renders the Animatic engine's frames: the still seen through the camera path, with
// sub-pixel precision (the view is never rounded to whole pixels, so slow moves glide
// instead of stepping), area-filtered when the view shrinks the picture, and optional
// motion blur. The same inputs always give the same frames.
//
//   AnimaticRenderer renderer(still, parseMotionPrompt("slow push in"), options);
//   for (int i = 0; i < renderer.frameCount(); ++i) encoder.addFrame(renderer.frame(i));
//
// Thread-safety: frame() may be called from several threads at once.
#pragma once

#include "core/motion/camera_path.h"
#include "core/motion/motion_prompt.h"

#include <opencv2/core.hpp>

#include <cstdint>
#include <vector>

namespace storyreel::motion {

struct AnimaticOptions {
    int width = 1280;
    int height = 720;
    double fps = 24.0;
    int frames = 96;
    std::uint64_t seed = 0;     // handheld wobble
    double shutterAngle = 0.0;  // motion blur: 0 none, 180 film-like
    int blurSamples = 5;        // sub-frames averaged when blurring
    bool life = false;          // subtle breathing on static shots
    // 2.5D parallax: a depth map (CV_32F, the still's size, 0 far to 1 near; see
    // depth_map.h) and its strength. Near pixels travel (1 + strength/2) times as far as
    // the base move, far ones (1 - strength/2) times, on truck, pedestal, orbit and dolly.
    cv::Mat depth;
    double parallax = 1.0;
};

class AnimaticRenderer {
public:
    AnimaticRenderer(const cv::Mat& stillBgr, const MotionPlan& plan,
                     const AnimaticOptions& options);

    int frameCount() const { return options_.frames; }
    const CameraPath& path() const { return path_; }
    cv::Mat frame(int index) const;

private:
    cv::Mat view(const CameraPose& pose) const;
    cv::Mat parallaxView(const CameraPose& pose, std::size_t level, const cv::Matx23d& inverse,
                         double levelFactor) const;

    AnimaticOptions options_;
    std::vector<cv::Mat> pyramid_;       // the still, then halved with area filtering
    std::vector<cv::Mat> depthPyramid_;  // the depth map at the same levels, when given
    CameraPath path_;
};

}  // namespace storyreel::motion
