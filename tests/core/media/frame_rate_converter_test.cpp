#include "core/media/frame_rate_converter.h"

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

using namespace storyreel::media;

namespace {

// A soft bright disc on a textured background, at horizontal position x.
cv::Mat discAt(int x) {
    cv::Mat frame(240, 320, CV_8UC3);
    for (int row = 0; row < frame.rows; ++row) {
        for (int col = 0; col < frame.cols; ++col) {
            const auto v = static_cast<std::uint8_t>(30 + ((col / 8 + row / 8) % 2) * 20);
            frame.at<cv::Vec3b>(row, col) = {v, v, v};
        }
    }
    cv::circle(frame, {x, 120}, 12, cv::Scalar::all(250), cv::FILLED, cv::LINE_AA);
    cv::GaussianBlur(frame, frame, cv::Size(0, 0), 1.0);
    return frame;
}

// Column of the bright disc's centre, from pixels above 200.
double discCentre(const cv::Mat& frame) {
    cv::Mat grey;
    cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY);
    const cv::Moments m = cv::moments(grey > 200, true);
    return m.m00 > 0 ? m.m10 / m.m00 : -1.0;
}

}  // namespace

TEST_CASE("Frame rates convert by repeating, blending or following the motion", "[media][fps]") {
    // DIS flow needs a frame several times larger than the motion: 24 px across 320 px.
    const std::vector<cv::Mat> frames = {discAt(100), discAt(124)};  // 16 fps source
    const double halfway = 0.5 / 16.0;

    FrameRateConverter repeat(frames, 16.0, FrameRateMethod::Repeat);
    CHECK(cv::norm(repeat.at(halfway), frames[0], cv::NORM_INF) == 0);
    CHECK(cv::norm(repeat.at(1.0 / 16.0), frames[1], cv::NORM_INF) == 0);
    CHECK(cv::norm(repeat.at(5.0), frames[1], cv::NORM_INF) == 0);  // clamped to the end

    FrameRateConverter blend(frames, 16.0, FrameRateMethod::Blend);
    cv::Mat average;
    cv::addWeighted(frames[0], 0.5, frames[1], 0.5, 0.0, average);
    CHECK(cv::norm(blend.at(halfway), average, cv::NORM_INF) <= 1);
    CHECK(discCentre(blend.at(halfway)) < 0);  // two half-bright ghosts, no bright disc

    FrameRateConverter motion(frames, 16.0, FrameRateMethod::MotionCompensated);
    const cv::Mat between = motion.at(halfway);
    CHECK(discCentre(between) == Approx(112).margin(2));
    CHECK(discCentre(motion.at(0.25 / 16.0)) == Approx(106).margin(2));
    CHECK(cv::norm(motion.at(0.0), frames[0], cv::NORM_INF) == 0);
}
