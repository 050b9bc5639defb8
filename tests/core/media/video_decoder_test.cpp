#include "core/media/video_decoder.h"

#include "core/base/user_error.h"
#include "core/media/video_encoder.h"

#include <catch2/catch.hpp>
#include <opencv2/core.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using namespace storyreel::media;

namespace {

fs::path encodeNumbered(const std::string& name, VideoCodec codec, int frames) {
    const fs::path file = fs::path(STORYREEL_TEST_BINARY_DIR) / "videos" / name;
    fs::create_directories(file.parent_path());
    VideoEncoderSettings settings;
    settings.codec = codec;
    settings.width = 64;
    settings.height = 48;
    settings.fps = 24;
    VideoEncoder encoder(file, settings);
    for (int i = 0; i < frames; ++i) {  // each frame's brightness says its number
        encoder.addFrame(cv::Mat(48, 64, CV_8UC3, cv::Scalar::all(40 + 4 * i)));
    }
    encoder.finish();
    return file;
}

}  // namespace

TEST_CASE("The FFV1 take intermediate is lossless", "[media][decode]") {
    const fs::path file = fs::path(STORYREEL_TEST_BINARY_DIR) / "videos" / "lossless.mkv";
    fs::create_directories(file.parent_path());
    cv::Mat noise(37, 53, CV_8UC3);  // odd size, every value: nothing hides loss
    cv::RNG(3).fill(noise, cv::RNG::UNIFORM, 0, 256);
    VideoEncoderSettings settings;
    settings.codec = VideoCodec::Ffv1Mkv;
    settings.width = 53;
    settings.height = 37;
    {
        VideoEncoder encoder(file, settings);
        encoder.addFrame(noise);
        encoder.addFrame(255 - noise);
        encoder.finish();
    }
    VideoDecoder decoder(file);
    cv::Mat frame;
    REQUIRE(decoder.read(frame));
    CHECK(cv::norm(frame, noise, cv::NORM_INF) == 0);
    REQUIRE(decoder.read(frame));
    CHECK(cv::norm(frame, 255 - noise, cv::NORM_INF) == 0);
    CHECK_FALSE(decoder.read(frame));
}

TEST_CASE("Seeking lands on the exact frame, forwards and back", "[media][decode]") {
    for (const auto& [name, codec, tolerance] :
         {std::tuple{"seek.mp4", VideoCodec::H264Mp4, 3.0},
          std::tuple{"seek.mkv", VideoCodec::Ffv1Mkv, 0.0}}) {
        INFO(name);
        VideoDecoder decoder(encodeNumbered(name, codec, 48));
        cv::Mat frame;
        for (const long index : {37L, 5L, 0L, 47L, 20L}) {
            INFO("frame " << index);
            REQUIRE(decoder.seek(index));
            REQUIRE(decoder.read(frame));
            CHECK(decoder.frameIndex() == index);
            CHECK(cv::mean(frame)[0] == Approx(40 + 4 * index).margin(tolerance));
        }
        REQUIRE(decoder.read(frame));  // reading goes on after a seek
        CHECK(decoder.frameIndex() == 21);
        decoder.seek(100);
        CHECK_FALSE(decoder.read(frame));
    }
}

TEST_CASE("Files that are not videos are refused with their name", "[media][decode]") {
    const fs::path file = fs::path(STORYREEL_TEST_BINARY_DIR) / "videos" / "notes.mp4";
    fs::create_directories(file.parent_path());
    std::FILE* out = std::fopen(file.c_str(), "w");
    std::fputs("not a video", out);
    std::fclose(out);
    CHECK_THROWS_WITH(VideoDecoder(file), Contains("notes.mp4: cannot be opened as a video"));
    CHECK_THROWS_WITH(VideoDecoder(file.string() + ".none"), Contains("cannot be opened"));
}
