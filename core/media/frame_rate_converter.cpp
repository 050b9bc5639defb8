#include "core/media/frame_rate_converter.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

#include <algorithm>
#include <cmath>

namespace storyreel::media {
namespace {

// Samples `image` at x - fraction * flow(x): the picture moved `fraction` of the way
// along the flow (backward warping, reading the flow at the destination).
cv::Mat warp(const cv::Mat& image, const cv::Mat& flow, float fraction) {
    cv::Mat map(flow.size(), CV_32FC2);
    for (int y = 0; y < flow.rows; ++y) {
        const auto* f = flow.ptr<cv::Vec2f>(y);
        auto* m = map.ptr<cv::Vec2f>(y);
        for (int x = 0; x < flow.cols; ++x) {
            m[x] = cv::Vec2f(x - fraction * f[x][0], y - fraction * f[x][1]);
        }
    }
    cv::Mat warped;
    cv::remap(image, warped, map, cv::noArray(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return warped;
}

}  // namespace

FrameRateConverter::FrameRateConverter(const std::vector<cv::Mat>& frames, double sourceFps,
                                       FrameRateMethod method)
    : FrameRateConverter([&frames](std::size_t index) { return frames[index]; }, frames.size(),
                         sourceFps, method) {}

FrameRateConverter::FrameRateConverter(FrameFetch fetch, std::size_t frameCount, double sourceFps,
                                       FrameRateMethod method)
    : fetch_(std::move(fetch)), frameCount_(frameCount), sourceFps_(sourceFps), method_(method) {}

void FrameRateConverter::computeFlows(std::size_t index) {
    if (flowIndex_ == index) {
        return;
    }
    cv::Mat first;
    cv::Mat second;
    cv::cvtColor(fetch_(index), first, cv::COLOR_BGR2GRAY);
    cv::cvtColor(fetch_(index + 1), second, cv::COLOR_BGR2GRAY);
    // DIS "medium": good flow for film motion at a fraction of Farneback's cost.
    const cv::Ptr<cv::DISOpticalFlow> dis =
        cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_MEDIUM);
    dis->calc(first, second, forward_);
    dis->calc(second, first, backward_);
    flowIndex_ = index;
}

cv::Mat FrameRateConverter::at(double seconds) {
    const double position = std::clamp(seconds * sourceFps_, 0.0, double(frameCount_ - 1));
    const auto index = static_cast<std::size_t>(std::floor(position + 1e-6));
    const double fraction = position - double(index);
    if (method_ == FrameRateMethod::Repeat || index + 1 >= frameCount_ || fraction < 1e-3) {
        return fetch_(std::min(index, frameCount_ - 1));
    }
    cv::Mat first = fetch_(index);
    cv::Mat second = fetch_(index + 1);
    if (method_ == FrameRateMethod::MotionCompensated) {
        computeFlows(index);
        // Frame i moves forward by `fraction`, frame i+1 back by the rest; both meet at t.
        first = warp(first, backward_, static_cast<float>(-fraction));
        second = warp(second, forward_, static_cast<float>(-(1.0 - fraction)));
    }
    cv::Mat blended;
    cv::addWeighted(first, 1.0 - fraction, second, fraction, 0.0, blended);
    return blended;
}

}  // namespace storyreel::media
