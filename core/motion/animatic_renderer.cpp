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
      depthPyramid_(options.depth.empty() ? std::vector<cv::Mat>{}
                                          : buildPyramid(options.depth, options.width)),
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
    if (!depthPyramid_.empty() && options_.parallax > 0.0) {
        return parallaxView(pose, level, inverse, levelFactor);
    }
    cv::Mat out;
    // Bilinear on purpose: measured on a moving sine, OpenCV's bilinear warp places content
    // within 0.01 px of where it should be at every sub-pixel offset, while its cubic and
    // Lanczos kernels err by up to 0.06 and 0.03 px depending on the offset, which shows as
    // jitter in slow moves (tests/core/motion/animatic_renderer_test.cpp).
    cv::warpAffine(pyramid_[level], out, inverse, cv::Size(options_.width, options_.height),
                   cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
    return out;
}

// Each output pixel samples the still where the base view looks, moved further along the
// camera's travel the nearer that point is. Sampling backwards leaves no holes; the soft
// depth map keeps edges from smearing.
cv::Mat AnimaticRenderer::parallaxView(const CameraPose& pose, std::size_t level,
                                       const cv::Matx23d& inverse, double levelFactor) const {
    cv::Mat mapX(options_.height, options_.width, CV_32F);
    cv::Mat mapY(options_.height, options_.width, CV_32F);
    for (int v = 0; v < options_.height; ++v) {
        auto* x = mapX.ptr<float>(v);
        auto* y = mapY.ptr<float>(v);
        for (int u = 0; u < options_.width; ++u) {
            x[u] = static_cast<float>(inverse(0, 0) * u + inverse(0, 1) * v + inverse(0, 2));
            y[u] = static_cast<float>(inverse(1, 0) * u + inverse(1, 1) * v + inverse(1, 2));
        }
    }
    cv::Mat depth;
    cv::remap(depthPyramid_[level], depth, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    const double cx = (pose.centerX + 0.5) * levelFactor - 0.5;
    const double cy = (pose.centerY + 0.5) * levelFactor - 0.5;
    const double travelX = pose.travelX * levelFactor;
    const double travelY = pose.travelY * levelFactor;
    const double dollyIn = 1.0 - 1.0 / pose.dolly;  // 0 without a dolly
    for (int v = 0; v < options_.height; ++v) {
        auto* x = mapX.ptr<float>(v);
        auto* y = mapY.ptr<float>(v);
        const auto* d = depth.ptr<float>(v);
        for (int u = 0; u < options_.width; ++u) {
            const double nearness = (d[u] - 0.5) * options_.parallax;
            x[u] += static_cast<float>(nearness * (travelX + (x[u] - cx) * dollyIn));
            y[u] += static_cast<float>(nearness * (travelY + (y[u] - cy) * dollyIn));
        }
    }
    cv::Mat out;
    cv::remap(pyramid_[level], out, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
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
