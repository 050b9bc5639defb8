#include "core/motion/animatic_renderer.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace storyreel::motion {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<cv::Mat> buildPyramid(const cv::Mat& still, int outputWidth) {
    std::vector<cv::Mat> levels = {still};
    // Halve while the picture is over twice the output: a view never needs more than 2:1
    // from the level it samples, which bilinear filtering handles without aliasing.
    while (levels.back().cols > 2 * outputWidth && levels.back().rows > 16) {
        cv::Mat half;
        cv::resize(levels.back(), half, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
        levels.push_back(half);
    }
    return levels;
}

}  // namespace

AnimaticRenderer::AnimaticRenderer(const cv::Mat& stillBgr, const MotionPlan& plan,
                                   const AnimaticOptions& options)
    : options_(options),
      pyramid_(buildPyramid(stillBgr, options.width)),
      path_(plan, {stillBgr.cols, stillBgr.rows}, {options.width, options.height},
            std::max(1, options.frames - 1) / options.fps, options.seed, options.life) {}

cv::Mat AnimaticRenderer::view(const CameraPose& pose) const {
    // Source pixels per output pixel; pick the pyramid level that keeps it under 2.
    double scale = pose.viewWidth / options_.width;
    std::size_t level = 0;
    while (scale >= 2.0 && level + 1 < pyramid_.size()) {
        scale /= 2.0;
        ++level;
    }
    const double levelFactor = std::ldexp(1.0, -static_cast<int>(level));
    // Pixel-centre coordinates scale about -0.5 between pyramid levels.
    const double cx = (pose.centerX + 0.5) * levelFactor - 0.5;
    const double cy = (pose.centerY + 0.5) * levelFactor - 0.5;
    const double angle = pose.rollDegrees * kPi / 180.0;
    const double c = std::cos(angle) * scale;
    const double s = std::sin(angle) * scale;
    const double u0 = (options_.width - 1) / 2.0;
    const double v0 = (options_.height - 1) / 2.0;
    // Output (u, v) -> source: rotate and scale about the output's centre, then move to the
    // view's centre. Never rounded: this is what keeps slow moves smooth.
    const cv::Matx23d inverse(c, -s, cx - c * u0 + s * v0, s, c, cy - s * u0 - c * v0);
    cv::Mat out;
    // Bilinear on purpose: measured on a moving sine, OpenCV's bilinear warp places content
    // within 0.01 px of where it should be at every sub-pixel offset, while its cubic and
    // Lanczos kernels err by up to 0.06 and 0.03 px depending on the offset, which shows as
    // jitter in slow moves (tests/core/motion/animatic_renderer_test.cpp).
    cv::warpAffine(pyramid_[level], out, inverse, cv::Size(options_.width, options_.height),
                   cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
    return out;
}

cv::Mat AnimaticRenderer::frame(int index) const {
    const double t = index / options_.fps;
    if (options_.shutterAngle <= 0.0 || options_.blurSamples < 2) {
        return view(path_.at(t));
    }
    // Average sub-frames across the open shutter, centred on the frame's time.
    const double open = options_.shutterAngle / 360.0 / options_.fps;
    cv::Mat sum(options_.height, options_.width, CV_32FC3, cv::Scalar::all(0));
    for (int k = 0; k < options_.blurSamples; ++k) {
        const double offset = open * (double(k) / (options_.blurSamples - 1) - 0.5);
        cv::Mat sample;
        view(path_.at(t + offset)).convertTo(sample, CV_32FC3);
        sum += sample;
    }
    cv::Mat out;
    sum.convertTo(out, CV_8UC3, 1.0 / options_.blurSamples);
    return out;
}

}  // namespace storyreel::motion
