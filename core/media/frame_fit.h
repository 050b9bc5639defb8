// Fits a picture into the project's frame: scaled to fit whole, centred, with black bars
// (letterbox or pillarbox) where the aspect ratios differ.
//
//   cv::Mat frame = fitToFrame(still, 1280, 720);
//
// Thread-safety: pure function.
#pragma once

#include <opencv2/core.hpp>

namespace storyreel::media {

cv::Mat fitToFrame(const cv::Mat& bgr, int width, int height);

}  // namespace storyreel::media
