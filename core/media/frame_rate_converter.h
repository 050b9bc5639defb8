// Pictures of a clip at any time, for playing a take at another frame rate (Wan makes 16 fps,
// HunyuanVideo 24-25, projects often 24): by repeating the nearest earlier frame, by
// blending the two frames around the time, or by motion-compensated interpolation that
// moves both frames along their optical flow (OpenCV DIS) to meet in between.
//
//   FrameRateConverter converter(frames, 16.0, FrameRateMethod::MotionCompensated);
//   cv::Mat picture = converter.at(1.0 / 24.0);   // between source frames 0 and 1
//
// Thread-safety: one thread per converter (it caches the last flow it computed).
#pragma once

#include "core/media/frame_rate_method.h"

#include <opencv2/core.hpp>

#include <cstddef>
#include <functional>
#include <vector>

namespace storyreel::media {

class FrameRateConverter {
public:
    // `frames` must outlive the converter; all of one size and type (8-bit BGR).
    FrameRateConverter(const std::vector<cv::Mat>& frames, double sourceFps,
                       FrameRateMethod method);
    // Frames fetched on demand (a decoder that seeks), for clips too long to hold in memory;
    // at() asks for at most the two source frames around the time.
    using FrameFetch = std::function<cv::Mat(std::size_t index)>;
    FrameRateConverter(FrameFetch fetch, std::size_t frameCount, double sourceFps,
                       FrameRateMethod method);

    // The picture at `seconds` from the clip's first frame; clamped to the clip.
    cv::Mat at(double seconds);

private:
    void computeFlows(std::size_t index);

    FrameFetch fetch_;
    std::size_t frameCount_;
    double sourceFps_;
    FrameRateMethod method_;
    std::size_t flowIndex_ = static_cast<std::size_t>(-1);  // pair whose flows are cached
    cv::Mat forward_;                                       // flow from frame i to i+1
    cv::Mat backward_;                                      // flow from frame i+1 to i
};

}  // namespace storyreel::media
