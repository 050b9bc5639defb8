#include "ui/bgr_image.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace storyreel::ui {

QImage imageFromBgr(const cv::Mat& bgr) {
    if (bgr.empty()) {
        return {};
    }
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    // The QImage only borrows `rgb`'s buffer: copy() before it goes.
    return QImage(rgb.data, rgb.cols, rgb.rows, static_cast<qsizetype>(rgb.step),
                  QImage::Format_RGB888)
        .copy();
}

}  // namespace storyreel::ui
