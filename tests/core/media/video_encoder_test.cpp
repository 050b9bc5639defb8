#include "core/media/video_encoder.h"

#include "core/base/user_error.h"
#include "core/media/video_decoder.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using storyreel::media::VideoEncoder;
using storyreel::media::VideoEncoderSettings;

namespace {

fs::path videoFolder() {
    const fs::path folder = fs::path(STORYREEL_TEST_BINARY_DIR) / "videos";
    fs::create_directories(folder);
    return folder;
}

// A slow pan across drawn artwork (shapes with soft, anti-aliased edges), the content
// Storyreel encodes; saturated hard-edged noise is not what this quality bar is about.
cv::Mat movingFrame(int width, int height, int index) {
    static const cv::Mat artwork = [] {
        cv::Mat canvas(600, 800, CV_8UC3, cv::Scalar(200, 215, 225));
        cv::RNG rng(7);
        for (int i = 0; i < 40; ++i) {
            const cv::Scalar colour(rng.uniform(30, 230), rng.uniform(30, 230),
                                    rng.uniform(30, 230));
            cv::circle(canvas, {rng.uniform(0, 800), rng.uniform(0, 600)}, rng.uniform(10, 90),
                       colour, cv::FILLED, cv::LINE_AA);
        }
        cv::GaussianBlur(canvas, canvas, cv::Size(0, 0), 1.5);
        return canvas;
    }();
    return artwork(cv::Rect(index * 2, index, width, height)).clone();
}

std::string run(const std::string& command) {
    std::string output;
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[65536];
    std::size_t n = 0;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        output.append(buffer, n);
    }
    REQUIRE(pclose(pipe) == 0);
    return output;
}

nlohmann::json probe(const fs::path& file) {
    return nlohmann::json::parse(
        run("ffprobe -v error -count_frames -show_streams -show_format "
            "-of json '" +
            file.string() + "'"));
}

// Top-level MP4 boxes in order ("ftyp", "moov", "mdat", ...).
std::vector<std::string> topLevelBoxes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<std::string> boxes;
    unsigned char header[8];
    while (in.read(reinterpret_cast<char*>(header), 8)) {
        const std::uint64_t size =
            std::uint64_t(header[0]) << 24 | header[1] << 16 | header[2] << 8 | header[3];
        boxes.emplace_back(reinterpret_cast<char*>(header) + 4, 4);
        if (size < 8) {
            break;
        }
        in.seekg(static_cast<std::streamoff>(size - 8), std::ios::cur);
    }
    return boxes;
}

fs::path encode(const std::string& name, int width, int height, int frames) {
    const fs::path file = videoFolder() / name;
    fs::remove(file);
    VideoEncoderSettings settings;
    settings.width = width;
    settings.height = height;
    settings.fps = 24;
    settings.metadata = {{"title", "Harbour"},
                         {"comment", "AI-generated content (Storyreel test)"},
                         {"storyreel_parameters", "{\"seed\": 42}"}};
    VideoEncoder encoder(file, settings);
    for (int i = 0; i < frames; ++i) {
        encoder.addFrame(movingFrame(width, height, i));
    }
    encoder.finish();
    return file;
}

}  // namespace

TEST_CASE("An encoded MP4 is H.264 yuv420p BT.709 with faststart and metadata", "[media][encode]") {
    const fs::path file = encode("tags.mp4", 320, 240, 48);
    const nlohmann::json info = probe(file);
    const nlohmann::json& stream = info["streams"][0];
    CHECK(stream["codec_name"] == "h264");
    CHECK(stream["pix_fmt"] == "yuv420p");
    CHECK(stream["color_space"] == "bt709");
    CHECK(stream["color_primaries"] == "bt709");
    CHECK(stream["color_transfer"] == "bt709");
    CHECK(stream["r_frame_rate"] == "24/1");
    CHECK(stream["nb_read_frames"] == "48");
    CHECK(std::stod(info["format"]["duration"].get<std::string>()) == Approx(2.0).margin(0.05));
    CHECK(info["format"]["tags"]["title"] == "Harbour");
    CHECK(info["format"]["tags"]["comment"] == "AI-generated content (Storyreel test)");
    CHECK(info["format"]["tags"]["storyreel_parameters"] == "{\"seed\": 42}");
    const auto boxes = topLevelBoxes(file);
    const auto moov = std::find(boxes.begin(), boxes.end(), "moov");
    const auto mdat = std::find(boxes.begin(), boxes.end(), "mdat");
    REQUIRE(moov != boxes.end());
    REQUIRE(mdat != boxes.end());
    CHECK(moov < mdat);
}

TEST_CASE("Decoded frames match the source above 40 dB PSNR", "[media][encode]") {
    const int width = 320;
    const int height = 240;
    const fs::path file = encode("psnr.mp4", width, height, 24);
    storyreel::media::VideoDecoder decoder(file);
    CHECK(decoder.width() == width);
    CHECK(decoder.fps() == Approx(24.0));
    cv::Mat frame;
    int count = 0;
    while (decoder.read(frame)) {
        const double psnr = cv::PSNR(frame, movingFrame(width, height, count));
        INFO("frame " << count << ": " << psnr << " dB");
        CHECK(psnr > 40.0);
        ++count;
    }
    CHECK(count == 24);
}

TEST_CASE("Odd sizes are padded to even ones", "[media][encode]") {
    const nlohmann::json stream = probe(encode("odd.mp4", 321, 241, 3))["streams"][0];
    CHECK(stream["width"] == 322);
    CHECK(stream["height"] == 242);
}

TEST_CASE("An unfinished or failed encode leaves no file under the final name", "[media][encode]") {
    const fs::path file = videoFolder() / "abandoned.mp4";
    fs::remove(file);
    {
        VideoEncoderSettings settings;
        settings.width = 64;
        settings.height = 48;
        VideoEncoder encoder(file, settings);
        encoder.addFrame(movingFrame(64, 48, 0));
        CHECK_THROWS_WITH(encoder.addFrame(movingFrame(32, 48, 1)),
                          Contains("abandoned.mp4: frame 1 is 32x48, expected 64x48"));
    }
    CHECK_FALSE(fs::exists(file));
    CHECK_FALSE(fs::exists(file.string() + ".partial"));
    CHECK_THROWS_WITH(VideoEncoder(videoFolder() / "no/such/dir/x.mp4", {}),
                      Contains("x.mp4: cannot be created"));
}
