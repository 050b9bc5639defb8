#include "core/media/image_import.h"

#include "core/base/user_error.h"

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>
#include <webp/encode.h>
#include <webp/mux.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using namespace storyreel::media;

namespace {

fs::path folder() {
    const fs::path path = fs::path(STORYREEL_TEST_BINARY_DIR) / "images";
    fs::create_directories(path);
    return path;
}

// A picture whose every pixel differs, so flips and rotations show.
cv::Mat gradient(int width, int height, int channels = 3) {
    cv::Mat image(height, width, CV_8UC(channels));
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            for (int c = 0; c < channels; ++c) {
                image.ptr<std::uint8_t>(y)[x * channels + c] =
                    static_cast<std::uint8_t>((x * 5 + y * 3 + c * 60) % 256);
            }
        }
    }
    return image;
}

fs::path writeBytes(const std::string& name, const std::string& bytes) {
    const fs::path file = folder() / name;
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
}

std::string readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

fs::path writeImage(const std::string& name, const cv::Mat& image,
                    const std::vector<int>& params = {}) {
    const fs::path file = folder() / name;
    REQUIRE(cv::imwrite(file.string(), image, params));
    return file;
}

// A JPEG with an EXIF block whose Orientation tag says `orientation`.
fs::path jpegWithOrientation(const std::string& name, const cv::Mat& image, int orientation) {
    std::vector<std::uint8_t> jpeg;
    REQUIRE(cv::imencode(".jpg", image, jpeg, {cv::IMWRITE_JPEG_QUALITY, 100}));
    const std::string tiff = std::string("MM\0*\0\0\0\x08", 8) + std::string("\0\x01", 2) +
                             std::string("\x01\x12\0\x03\0\0\0\x01", 8) + std::string(1, '\0') +
                             std::string(1, char(orientation)) + std::string("\0\0", 2) +
                             std::string(4, '\0');
    const std::string payload = std::string("Exif\0\0", 6) + tiff;
    const std::size_t length = payload.size() + 2;
    const std::string app1 =
        std::string("\xFF\xE1") + char(length >> 8) + char(length & 0xFF) + payload;
    const std::string bytes(jpeg.begin(), jpeg.end());
    return writeBytes(name, bytes.substr(0, 2) + app1 + bytes.substr(2));
}

}  // namespace

TEST_CASE("Headers give the size and format of every supported kind", "[media][image]") {
    const cv::Mat image = gradient(37, 21);
    const std::vector<std::pair<std::string, std::vector<int>>> files = {
        {"size.png", {}},
        {"size.jpg", {}},
        {"size.bmp", {}},
        {"size.tiff", {}},
        {"size_lossy.webp", {cv::IMWRITE_WEBP_QUALITY, 80}},
        {"size_lossless.webp", {cv::IMWRITE_WEBP_QUALITY, 101}}};
    for (const auto& [name, params] : files) {
        INFO(name);
        const ImageHeader header = readImageHeader(writeImage(name, image, params));
        CHECK(header.width == 37);
        CHECK(header.height == 21);
        const cv::Mat imported = importImage(folder() / name);
        CHECK(imported.type() == CV_8UC3);
        CHECK(imported.size() == image.size());
    }
}

TEST_CASE("PNG pixels come through exactly and 16-bit is scaled to 8", "[media][image]") {
    const cv::Mat image = gradient(16, 9);
    CHECK(cv::norm(importImage(writeImage("exact.png", image)), image, cv::NORM_INF) == 0);
    cv::Mat deep;
    image.convertTo(deep, CV_16U, 257.0);
    CHECK(cv::norm(importImage(writeImage("deep.png", deep)), image, cv::NORM_INF) == 0);
    cv::Mat grey = gradient(16, 9, 1);
    const cv::Mat fromGrey = importImage(writeImage("grey.png", grey));
    REQUIRE(fromGrey.type() == CV_8UC3);
    CHECK(fromGrey.at<cv::Vec3b>(4, 7)[0] == grey.at<std::uint8_t>(4, 7));
    CHECK(fromGrey.at<cv::Vec3b>(4, 7)[2] == grey.at<std::uint8_t>(4, 7));
}

TEST_CASE("Transparent pixels are flattened onto the chosen background", "[media][image]") {
    cv::Mat bgra(4, 4, CV_8UC4, cv::Scalar(0, 0, 255, 0));  // clear red
    bgra.at<cv::Vec4b>(0, 0) = {255, 0, 0, 255};            // opaque blue
    bgra.at<cv::Vec4b>(1, 1) = {0, 0, 0, 128};              // half black
    ImageImportOptions options;
    options.backgroundRgb = {0, 200, 0};  // green
    const cv::Mat flat = importImage(writeImage("alpha.png", bgra), options);
    CHECK(flat.at<cv::Vec3b>(0, 0) == cv::Vec3b(255, 0, 0));
    CHECK(flat.at<cv::Vec3b>(3, 3) == cv::Vec3b(0, 200, 0));
    CHECK(flat.at<cv::Vec3b>(1, 1)[1] == Approx(100).margin(2));
}

TEST_CASE("A JPEG's EXIF orientation turns the picture upright", "[media][image]") {
    const cv::Mat wide = gradient(40, 20);
    const fs::path file = jpegWithOrientation("rotated.jpg", wide, 6);
    CHECK(readImageHeader(file).orientation == 6);
    const cv::Mat upright = importImage(file);
    CHECK(upright.cols == 20);
    CHECK(upright.rows == 40);
    CHECK(importImage(jpegWithOrientation("upright.jpg", wide, 1)).cols == 40);
}

// A 6x4 CMYK JPEG of pure red (C0 M100 Y100 K0) with Adobe's marker, as ImageMagick writes
// it (OpenCV cannot write CMYK); ImageMagick's own sRGB conversion of it is 255,0,0.
const char kCmykRedJpeg[] =
    "\xff\xd8\xff\xee\x00\x0e\x41\x64\x6f\x62\x65\x00\x64\x00\x00\x00\x00\x02\xff\xdb"
    "\x00\x43\x00\x02\x01\x01\x01\x01\x01\x02\x01\x01\x01\x02\x02\x02\x02\x02\x04\x03"
    "\x02\x02\x02\x02\x05\x04\x04\x03\x04\x06\x05\x06\x06\x06\x05\x06\x06\x06\x07\x09"
    "\x08\x06\x07\x09\x07\x06\x06\x08\x0b\x08\x09\x0a\x0a\x0a\x0a\x0a\x06\x08\x0b\x0c"
    "\x0b\x0a\x0c\x09\x0a\x0a\x0a\xff\xdb\x00\x43\x01\x02\x02\x02\x02\x02\x02\x05\x03"
    "\x03\x05\x0a\x07\x06\x07\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a"
    "\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a"
    "\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\xff\xc0\x00\x14"
    "\x08\x00\x04\x00\x06\x04\x01\x11\x00\x02\x11\x01\x03\x11\x01\x04\x11\x00\xff\xc4"
    "\x00\x15\x00\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08"
    "\x09\xff\xc4\x00\x14\x10\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\xff\xc4\x00\x15\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x08\x0a\xff\xc4\x00\x14\x11\x01\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\xff\xda\x00\x0e\x04\x01\x00\x02\x11\x03\x11\x04"
    "\x00\x00\x3f\x00\x66\x15\x89\xff\x00\x5f\xc7\xff\xd9";

TEST_CASE("A CMYK JPEG arrives as the right RGB colours", "[media][image]") {
    const fs::path file =
        writeBytes("cmyk.jpg", std::string(kCmykRedJpeg, sizeof kCmykRedJpeg - 1));
    const cv::Mat image = importImage(file);
    REQUIRE(image.size() == cv::Size(6, 4));
    const cv::Scalar mean = cv::mean(image);
    CHECK(mean[0] < 4);    // blue
    CHECK(mean[1] < 4);    // green
    CHECK(mean[2] > 250);  // red
}

TEST_CASE("An animated WebP gives its first frame", "[media][image]") {
    WebPAnimEncoderOptions options;
    REQUIRE(WebPAnimEncoderOptionsInit(&options));
    WebPAnimEncoder* encoder = WebPAnimEncoderNew(40, 20, &options);
    REQUIRE(encoder != nullptr);
    int timestamp = 0;
    for (const cv::Scalar& colour : {cv::Scalar(0, 0, 255), cv::Scalar(255, 0, 0)}) {
        const cv::Mat frame(20, 40, CV_8UC4, colour + cv::Scalar(0, 0, 0, 255));
        WebPPicture picture;
        REQUIRE(WebPPictureInit(&picture));
        picture.width = 40;
        picture.height = 20;
        picture.use_argb = 1;
        REQUIRE(WebPPictureImportBGRA(&picture, frame.data, static_cast<int>(frame.step)));
        REQUIRE(WebPAnimEncoderAdd(encoder, &picture, timestamp, nullptr));
        WebPPictureFree(&picture);
        timestamp += 100;
    }
    REQUIRE(WebPAnimEncoderAdd(encoder, nullptr, timestamp, nullptr));
    WebPData data;
    WebPDataInit(&data);
    REQUIRE(WebPAnimEncoderAssemble(encoder, &data));
    const fs::path file = writeBytes(
        "animated.webp", std::string(reinterpret_cast<const char*>(data.bytes), data.size));
    WebPDataClear(&data);
    WebPAnimEncoderDelete(encoder);

    CHECK(readImageHeader(file).animated);
    const cv::Mat first = importImage(file);
    REQUIRE(first.size() == cv::Size(40, 20));
    CHECK(cv::mean(first)[2] > 240);  // red, the first frame
    CHECK(cv::mean(first)[0] < 15);
}

TEST_CASE("A multi-page TIFF gives its first page", "[media][image]") {
    const fs::path file = folder() / "pages.tiff";
    REQUIRE(
        cv::imwritemulti(file.string(), std::vector<cv::Mat>{gradient(8, 6), gradient(30, 20)}));
    CHECK(importImage(file).size() == cv::Size(8, 6));
}

TEST_CASE("Files that are not usable images are refused with the reason", "[media][image]") {
    const std::string png = readBytes(writeImage("whole.png", gradient(64, 64)));
    const std::string jpg = readBytes(writeImage("whole.jpg", gradient(64, 64)));
    std::string zeroWide = png;
    zeroWide.replace(16, 4, std::string(4, '\0'));
    std::string huge = png.substr(0, 33);
    huge.replace(16, 8, std::string("\x00\x00\x9c\x40\x00\x00\x9c\x40", 8));  // 40000x40000
    const std::vector<std::pair<fs::path, std::string>> cases = {
        {writeBytes("empty.png", ""), "the file is empty"},
        {writeBytes("notes.png", "shot list: push in, pan left"),
         "not an image Storyreel can read"},
        {writeBytes("cut.png", png.substr(0, png.size() / 2)), "damaged or truncated"},
        {writeBytes("cut_header.png", png.substr(0, 18)), "the header is truncated"},
        {writeBytes("cut.jpg", jpg.substr(0, jpg.size() * 2 / 3)), "the JPEG is truncated"},
        {writeBytes("zero.png", zeroWide), "the image has no pixels"},
        {writeBytes("huge.png", huge), "40000x40000 (1600 megapixels), over the limit of 64"},
    };
    for (const auto& [file, message] : cases) {
        INFO(file.filename().string());
        CHECK_THROWS_WITH(importImage(file),
                          Contains(file.filename().string()) && Contains(message));
    }
    CHECK_THROWS_WITH(importImage(folder() / "absent.png"), Contains("cannot be read"));
    ImageImportOptions small;
    small.maxPixels = 1000;
    CHECK_THROWS_WITH(checkImportable(folder() / "whole.png", small), Contains("over the limit"));
}
