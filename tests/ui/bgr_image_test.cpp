#include "ui/bgr_image.h"

#include <catch2/catch.hpp>
#include <opencv2/core.hpp>

using storyreel::ui::imageFromBgr;

TEST_CASE("A BGR frame becomes an RGB QImage that owns its pixels", "[ui][image]") {
    // A 3x2 frame, pure blue then pure red (in OpenCV's BGR order), cut from a wider buffer
    // so that its rows are not contiguous.
    cv::Mat wide(2, 5, CV_8UC3, cv::Scalar(0, 0, 0));
    cv::Mat frame = wide(cv::Rect(1, 0, 3, 2));
    frame.at<cv::Vec3b>(0, 0) = {255, 0, 0};
    frame.at<cv::Vec3b>(1, 2) = {0, 0, 255};
    frame.at<cv::Vec3b>(0, 1) = {10, 20, 30};
    const QImage image = imageFromBgr(frame);
    REQUIRE(image.size() == QSize(3, 2));
    CHECK(image.format() == QImage::Format_RGB888);
    wide.setTo(cv::Scalar(7, 7, 7));  // the image is a copy: changing the frame changes nothing
    CHECK(image.pixelColor(0, 0) == QColor(0, 0, 255));
    CHECK(image.pixelColor(2, 1) == QColor(255, 0, 0));
    CHECK(image.pixelColor(1, 0) == QColor(30, 20, 10));
    CHECK(image.pixelColor(1, 1) == QColor(0, 0, 0));
}

TEST_CASE("An empty frame becomes a null image", "[ui][image]") {
    CHECK(imageFromBgr(cv::Mat()).isNull());
}
