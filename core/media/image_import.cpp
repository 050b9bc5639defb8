#include "core/media/image_import.h"

#include "core/base/user_error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <webp/demux.h>

#include <fstream>
#include <string>
#include <vector>

namespace storyreel::media {
namespace {

// libjpeg fills a truncated JPEG with grey and only warns; the missing end marker tells.
bool jpegIsComplete(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    const std::streamoff size = in.tellg();
    const std::streamoff tail = std::min<std::streamoff>(size, 4096);
    std::vector<char> bytes(static_cast<std::size_t>(tail));
    in.seekg(size - tail);
    in.read(bytes.data(), tail);
    for (std::size_t i = bytes.size(); i >= 2; --i) {
        if (static_cast<unsigned char>(bytes[i - 2]) == 0xFF &&
            static_cast<unsigned char>(bytes[i - 1]) == 0xD9) {
            return true;
        }
    }
    return false;
}

cv::Mat toEightBit(const cv::Mat& image) {
    if (image.depth() == CV_8U) {
        return image;
    }
    cv::Mat converted;
    const double scale = image.depth() == CV_16U   ? 1.0 / 257.0
                         : image.depth() == CV_32F ? 255.0
                                                   : 1.0;
    image.convertTo(converted, CV_8U, scale);
    return converted;
}

cv::Mat flattenAlpha(const cv::Mat& bgra, const std::array<std::uint8_t, 3>& backgroundRgb) {
    cv::Mat bgr(bgra.size(), CV_8UC3);
    const cv::Vec3f background(backgroundRgb[2], backgroundRgb[1], backgroundRgb[0]);
    for (int y = 0; y < bgra.rows; ++y) {
        const auto* in = bgra.ptr<cv::Vec4b>(y);
        auto* out = bgr.ptr<cv::Vec3b>(y);
        for (int x = 0; x < bgra.cols; ++x) {
            const float alpha = in[x][3] / 255.0f;
            for (int c = 0; c < 3; ++c) {
                out[x][c] = cv::saturate_cast<std::uint8_t>(in[x][c] * alpha +
                                                            background[c] * (1.0f - alpha));
            }
        }
    }
    return bgr;
}

cv::Mat toBgr(const cv::Mat& image, const std::array<std::uint8_t, 3>& backgroundRgb) {
    const cv::Mat eight = toEightBit(image);
    cv::Mat bgr;
    switch (eight.channels()) {
        case 1:
            cv::cvtColor(eight, bgr, cv::COLOR_GRAY2BGR);
            return bgr;
        case 2: {  // grey + alpha
            std::vector<cv::Mat> planes;
            cv::split(eight, planes);
            cv::Mat bgra;
            cv::merge(std::vector<cv::Mat>{planes[0], planes[0], planes[0], planes[1]}, bgra);
            return flattenAlpha(bgra, backgroundRgb);
        }
        case 4:
            return flattenAlpha(eight, backgroundRgb);
        default:
            return eight;
    }
}

// EXIF orientations 2-8 as flips and rotations (JPEG gets this from OpenCV already).
cv::Mat applyOrientation(const cv::Mat& image, int orientation) {
    cv::Mat out;
    switch (orientation) {
        case 2:
            cv::flip(image, out, 1);
            return out;
        case 3:
            cv::rotate(image, out, cv::ROTATE_180);
            return out;
        case 4:
            cv::flip(image, out, 0);
            return out;
        case 5:
            cv::transpose(image, out);
            return out;
        case 6:
            cv::rotate(image, out, cv::ROTATE_90_CLOCKWISE);
            return out;
        case 7:
            cv::transpose(image, out);
            cv::flip(out, out, -1);
            return out;
        case 8:
            cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE);
            return out;
        default:
            return image;
    }
}

// OpenCV's WebP reader refuses animations; libwebp's animation decoder gives frame one.
cv::Mat firstWebpFrame(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    WebPData data{reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()};
    WebPAnimDecoderOptions options;
    WebPAnimDecoderOptionsInit(&options);
    options.color_mode = MODE_BGRA;
    WebPAnimDecoder* decoder = WebPAnimDecoderNew(&data, &options);
    if (!decoder) {
        return {};
    }
    WebPAnimInfo info;
    std::uint8_t* pixels = nullptr;
    int timestamp = 0;
    cv::Mat frame;
    if (WebPAnimDecoderGetInfo(decoder, &info) &&
        WebPAnimDecoderGetNext(decoder, &pixels, &timestamp)) {
        frame = cv::Mat(static_cast<int>(info.canvas_height), static_cast<int>(info.canvas_width),
                        CV_8UC4, pixels)
                    .clone();
    }
    WebPAnimDecoderDelete(decoder);
    return frame;
}

}  // namespace

ImageHeader checkImportable(const std::filesystem::path& file, const ImageImportOptions& options) {
    importImage(file, options);
    return readImageHeader(file);
}

cv::Mat importImage(const std::filesystem::path& file, const ImageImportOptions& options) {
    const ImageHeader header = readImageHeader(file);
    const std::int64_t pixels = std::int64_t(header.width) * header.height;
    if (pixels > options.maxPixels) {
        throw UserError::inFile(
            file, "the image is " + std::to_string(header.width) + "x" +
                      std::to_string(header.height) + " (" + std::to_string(pixels / 1'000'000) +
                      " megapixels), over the limit of " +
                      std::to_string(options.maxPixels / 1'000'000) + " megapixels");
    }
    if (header.format == "JPEG" && !jpegIsComplete(file)) {
        throw UserError::inFile(file, "the JPEG is truncated (no end marker)");
    }
    // JPEG: let OpenCV apply EXIF orientation and convert CMYK/grey. Others: keep depth
    // and alpha (IMREAD_UNCHANGED), which we then normalise ourselves.
    const int flags = header.format == "JPEG" ? cv::IMREAD_COLOR : cv::IMREAD_UNCHANGED;
    cv::Mat image;
    try {
        image = header.animated ? firstWebpFrame(file) : cv::imread(file.string(), flags);
    } catch (const cv::Exception& error) {
        throw UserError::inFile(file, std::string("the image cannot be decoded: ") + error.what());
    }
    if (image.empty()) {
        throw UserError::inFile(file,
                                "the " + header.format + " image data is damaged or truncated");
    }
    const cv::Mat bgr = toBgr(image, options.backgroundRgb);
    return header.format == "JPEG" ? bgr : applyOrientation(bgr, header.orientation);
}

}  // namespace storyreel::media
