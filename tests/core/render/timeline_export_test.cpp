#include "core/render/timeline_export.h"

#include "core/base/user_error.h"
#include "core/media/video_decoder.h"
#include "core/media/video_encoder.h"

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using namespace storyreel;

namespace {

fs::path freshProject(const std::string& name) {
    const fs::path folder = fs::path(STORYREEL_TEST_BINARY_DIR) / "exports" / (name + ".storyreel");
    fs::remove_all(folder);
    fs::create_directories(folder / "media");
    return folder;
}

project::Shot stillShot(const fs::path& folder, const std::string& name, cv::Size size,
                        cv::Scalar colour, double seconds) {
    REQUIRE(cv::imwrite((folder / "media" / name).string(), cv::Mat(size, CV_8UC3, colour)));
    project::Shot shot;
    shot.id = name;
    shot.image = fs::path("media") / name;
    shot.seconds = seconds;
    return shot;
}

std::vector<cv::Mat> decodeAll(const fs::path& file) {
    media::VideoDecoder decoder(file);
    std::vector<cv::Mat> frames;
    cv::Mat frame;
    while (decoder.read(frame)) {
        frames.push_back(frame.clone());
    }
    return frames;
}

double meanGreen(const cv::Mat& frame, cv::Rect area) {
    return cv::mean(frame(area))[1];
}

}  // namespace

TEST_CASE("Stills export as a timeline with cuts, crossfades and letterboxing",
          "[render][export]") {
    const fs::path folder = freshProject("stills");
    project::Project film;
    film.folder = folder;
    film.title = "Stills";
    film.fps = 24;
    film.width = 160;
    film.height = 90;
    film.shots = {stillShot(folder, "dark.png", {160, 90}, {0, 40, 0}, 1.0),
                  stillShot(folder, "bright.png", {160, 90}, {0, 220, 0}, 1.0),
                  stillShot(folder, "square.png", {90, 90}, {0, 120, 0}, 0.5)};
    film.shots[1].transition = {project::TransitionKind::Crossfade, 0.5};
    const fs::path out = folder / "film.mp4";
    render::TimelineExportOptions options;
    CHECK_THROWS_WITH(render::exportTimelineMp4(film, out, options, {}, CancelToken()),
                      Contains("shots without a take: 1, 2, 3"));
    CHECK_FALSE(fs::exists(out));

    options.usePlaceholders = true;
    int reported = 0;
    render::exportTimelineMp4(
        film, out, options, [&reported](const Progress& p) { reported = p.step; }, CancelToken());
    const auto frames = decodeAll(out);
    // 1 s + 1 s + 0.5 s, less the 0.5 s overlap of the crossfade: 2 s at 24 fps.
    REQUIRE(frames.size() == 48);
    CHECK(reported == 48);
    const cv::Rect centre(70, 35, 20, 20);
    CHECK(meanGreen(frames[2], centre) == Approx(40).margin(4));
    CHECK(meanGreen(frames[18], centre) == Approx(40 + (220 - 40) * 0.5).margin(12));
    CHECK(meanGreen(frames[30], centre) == Approx(220).margin(4));
    // The square shot is pillarboxed: black bars left and right.
    CHECK(meanGreen(frames[46], centre) == Approx(120).margin(4));
    CHECK(meanGreen(frames[46], cv::Rect(2, 30, 20, 30)) < 6);
    CHECK(fs::exists(out.string() + ".json"));
}

TEST_CASE("A take at another frame rate is trimmed and converted to the project's",
          "[render][export]") {
    const fs::path folder = freshProject("take");
    fs::create_directories(folder / "takes");
    media::VideoEncoderSettings settings;
    settings.width = 64;
    settings.height = 64;
    settings.fps = 12;
    {
        media::VideoEncoder take(folder / "takes/t.mp4", settings);
        for (int i = 0; i < 12; ++i) {  // brightness tells the frame: 20, 40, ... 240
            take.addFrame(cv::Mat(64, 64, CV_8UC3, cv::Scalar::all(20 * (i + 1))));
        }
        take.finish();
    }
    project::Project film;
    film.folder = folder;
    film.title = "Take";
    film.fps = 24;
    film.width = 64;
    film.height = 64;
    project::Shot shot = stillShot(folder, "s.png", {64, 64}, {0, 0, 0}, 4.0);
    project::Take take;
    take.id = "t";
    take.file = "takes/t.mp4";
    take.engine = "wan";
    take.fps = 12;
    take.frames = 12;
    shot.takes = {take};
    shot.activeTakeId = "t";
    shot.trimInSeconds = 0.25;   // from source frame 3 (brightness 80)
    shot.trimOutSeconds = 0.75;  // to before frame 9
    film.shots = {shot};
    const fs::path out = folder / "take.mp4";
    render::TimelineExportOptions options;
    options.frameRateMethod = media::FrameRateMethod::Repeat;
    render::exportTimelineMp4(film, out, options, {}, CancelToken());
    const auto frames = decodeAll(out);
    REQUIRE(frames.size() == 12);  // 6 source frames at 12 fps = 0.5 s = 12 frames at 24 fps
    CHECK(cv::mean(frames[0])[0] == Approx(80).margin(4));
    CHECK(cv::mean(frames[1])[0] == Approx(80).margin(4));  // repeated
    CHECK(cv::mean(frames[2])[0] == Approx(100).margin(4));
    CHECK(cv::mean(frames[11])[0] == Approx(180).margin(4));
    std::ifstream sidecar(out.string() + ".json");
    const std::string text((std::istreambuf_iterator<char>(sidecar)), {});
    CHECK_THAT(text, Contains("\"engine\": \"wan\""));

    options.frameRateMethod = media::FrameRateMethod::Blend;
    render::exportTimelineMp4(film, out, options, {}, CancelToken());
    const auto blended = decodeAll(out);
    REQUIRE(blended.size() == 12);
    CHECK(cv::mean(blended[0])[0] == Approx(80).margin(4));
    CHECK(cv::mean(blended[1])[0] == Approx(90).margin(4));  // halfway between 80 and 100
}

TEST_CASE("A cancelled export leaves no file", "[render][export]") {
    const fs::path folder = freshProject("cancel");
    project::Project film;
    film.folder = folder;
    film.title = "Cancel";
    film.width = 64;
    film.height = 64;
    film.shots = {stillShot(folder, "a.png", {64, 64}, {9, 9, 9}, 2.0)};
    CancelToken cancel;
    render::TimelineExportOptions options;
    options.usePlaceholders = true;
    const fs::path out = folder / "never.mp4";
    CHECK_THROWS_AS(render::exportTimelineMp4(
                        film, out, options,
                        [&cancel](const Progress& p) {
                            if (p.step == 5) {
                                cancel.requestCancel();
                            }
                        },
                        cancel),
                    Cancelled);
    CHECK_FALSE(fs::exists(out));
    CHECK_FALSE(fs::exists(out.string() + ".partial"));
}
