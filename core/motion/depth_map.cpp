#include "core/motion/depth_map.h"

#include "core/media/image_import.h"

#include <opencv2/imgproc.hpp>

namespace storyreel::motion {

cv::Mat loadDepthMap(const std::filesystem::path& file, cv::Size stillSize) {
    const cv::Mat image = media::importImage(file);
    cv::Mat grey;
    cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
    cv::Mat depth;
    grey.convertTo(depth, CV_32F, 1.0 / 255.0);
    cv::resize(depth, depth, stillSize, 0, 0, cv::INTER_AREA);
    cv::GaussianBlur(depth, depth, cv::Size(0, 0), std::max(1.0, stillSize.width * 0.004));
    return depth;
}

cv::Mat estimateDepth(const cv::Mat& stillBgr) {
    cv::Mat grey;
    cv::cvtColor(stillBgr, grey, cv::COLOR_BGR2GRAY);
    cv::Mat detail;
    cv::Laplacian(grey, detail, CV_32F, 3);
    detail = cv::abs(detail);
    cv::GaussianBlur(detail, detail, cv::Size(0, 0), stillBgr.cols * 0.03);
    cv::normalize(detail, detail, 0.0, 1.0, cv::NORM_MINMAX);
    cv::Mat depth(stillBgr.size(), CV_32F);
    for (int y = 0; y < depth.rows; ++y) {
        const float height = 0.15f + 0.7f * float(y) / float(std::max(1, depth.rows - 1));
        const float* d = detail.ptr<float>(y);
        float* out = depth.ptr<float>(y);
        for (int x = 0; x < depth.cols; ++x) {
            out[x] = 0.7f * height + 0.3f * d[x];
        }
    }
    cv::GaussianBlur(depth, depth, cv::Size(0, 0), stillBgr.cols * 0.015);
    return depth;
}

}  // namespace storyreel::motion
