#include "core/render/timeline_frames.h"

#include "core/media/video_encoder.h"

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <random>

namespace fs = std::filesystem;
using namespace storyreel;

namespace {

// A take whose frame i has brightness base + i, so a picture tells where it came from.
project::Shot takeShot(const fs::path& folder, const std::string& id, int base, int frames) {
    media::VideoEncoderSettings settings;
    settings.width = 32;
    settings.height = 32;
    settings.fps = 24;
    settings.codec = media::VideoCodec::Ffv1Mkv;
    fs::create_directories(folder / "takes");
    {
        media::VideoEncoder encoder(folder / "takes" / (id + ".mkv"), settings);
        for (int i = 0; i < frames; ++i) {
            encoder.addFrame(cv::Mat(32, 32, CV_8UC3, cv::Scalar::all(base + i)));
        }
        encoder.finish();
    }
    project::Shot shot;
    shot.id = id;
    project::Take take;
    take.id = "take-1";
    take.file = fs::path("takes") / (id + ".mkv");
    take.fps = 24;
    take.frames = frames;
    shot.takes = {take};
    shot.activeTakeId = "take-1";
    shot.seconds = frames / 24.0;
    return shot;
}

}  // namespace

TEST_CASE("Timeline frames in any order equal the frames read in order", "[render][timeline]") {
    const fs::path folder = fs::path(STORYREEL_TEST_BINARY_DIR) / "timeline_frames.storyreel";
    fs::remove_all(folder);
    project::Project film;
    film.folder = folder;
    film.fps = 24;
    film.width = 32;
    film.height = 32;
    film.shots = {takeShot(folder, "a", 10, 24), takeShot(folder, "b", 100, 24),
                  takeShot(folder, "c", 200, 12)};
    film.shots[1].trimInSeconds = 0.25;  // b starts at its frame 6
    film.shots[2].transition = {project::TransitionKind::Crossfade, 0.25};

    render::TimelineFrames inOrder(render::planTimeline(film, false), 32, 32,
                                   media::FrameRateMethod::Repeat);
    REQUIRE(inOrder.frameCount() == 24 + 18 + 12 - 6);
    std::vector<double> expected;
    for (long frame = 0; frame < inOrder.frameCount(); ++frame) {
        expected.push_back(cv::mean(inOrder.at(frame))[0]);
    }
    CHECK(expected[0] == Approx(10).margin(1));
    CHECK(expected[24] == Approx(106).margin(1));  // the trim: b's frame 6
    // The crossfade's middle is between b's end and c's start.
    CHECK(expected[38] > 130);
    CHECK(expected[38] < 190);

    // A preview keeps two clips decoded and jumps around the timeline.
    render::TimelineFrames scrubbed(render::planTimeline(film, false), 32, 32,
                                    media::FrameRateMethod::Repeat,
                                    render::TimelineFrames::Access::Random, 2);
    std::vector<long> order(static_cast<std::size_t>(inOrder.frameCount()));
    std::iota(order.begin(), order.end(), 0L);
    std::shuffle(order.begin(), order.end(), std::mt19937(7));
    for (const long frame : order) {
        INFO("frame " << frame);
        CHECK(cv::mean(scrubbed.at(frame))[0] == expected[static_cast<std::size_t>(frame)]);
    }
    // Past either end, the nearest frame.
    CHECK(cv::mean(scrubbed.at(-5))[0] == expected.front());
    CHECK(cv::mean(scrubbed.at(1000))[0] == expected.back());
}
