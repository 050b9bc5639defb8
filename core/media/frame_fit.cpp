#include "core/media/frame_fit.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace storyreel::media {

cv::Mat fitToFrame(const cv::Mat& bgr, int width, int height) {
    if (bgr.cols == width && bgr.rows == height) {
        return bgr;
    }
    const double scale = std::min(double(width) / bgr.cols, double(height) / bgr.rows);
    const int fittedWidth = std::clamp(int(std::lround(bgr.cols * scale)), 1, width);
    const int fittedHeight = std::clamp(int(std::lround(bgr.rows * scale)), 1, height);
    cv::Mat resized;
    // INTER_AREA keeps detail when shrinking; cubic looks better when enlarging.
    cv::resize(bgr, resized, cv::Size(fittedWidth, fittedHeight), 0, 0,
               scale < 1.0 ? cv::INTER_AREA : cv::INTER_CUBIC);
    cv::Mat frame(height, width, bgr.type(), cv::Scalar::all(0));
    resized.copyTo(frame(cv::Rect((width - fittedWidth) / 2, (height - fittedHeight) / 2,
                                  fittedWidth, fittedHeight)));
    return frame;
}

}  // namespace storyreel::media
