#include "core/render/animatic_engine.h"

#include "core/base/user_error.h"
#include "core/media/video_decoder.h"
#include "core/render/engine_catalog.h"

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using namespace storyreel;

namespace {

render::RenderRequest request(const std::string& name, const char* prompt, int frames) {
    const fs::path folder = fs::path(STORYREEL_TEST_BINARY_DIR) / "animatic";
    fs::create_directories(folder);
    cv::Mat still(360, 640, CV_8UC3);
    cv::RNG(5).fill(still, cv::RNG::UNIFORM, 0, 256);
    REQUIRE(cv::imwrite((folder / (name + ".png")).string(), still));
    render::RenderRequest r;
    r.image = folder / (name + ".png");
    r.prompt = prompt;
    r.frames = frames;
    r.fps = 24;
    r.width = 320;
    r.height = 180;
    return r;
}

}  // namespace

TEST_CASE("The Animatic engine renders the frames it is asked for, reporting each",
          "[render][animatic]") {
    render::AnimaticEngine engine;
    int reported = 0;
    const render::Frames frames = engine.render(
        request("frames", "slow push in", 6), [&reported](const Progress& p) { reported = p.step; },
        CancelToken());
    REQUIRE(frames.frames.size() == 6);
    CHECK(frames.fps == 24);
    CHECK(frames.frames[0].width == 320);
    CHECK(frames.frames[0].rgb.size() == 320u * 180u * 3u);
    CHECK(frames.frames[0].rgb != frames.frames[5].rgb);
    CHECK(reported == 6);
    CHECK(engine.estimate(request("estimate", "pan left", 48)).peakGpuBytes == 0);
    CHECK(render::findPreset("animatic")->available);
}

TEST_CASE("Cancelling the Animatic engine stops it within one frame", "[render][animatic]") {
    render::AnimaticEngine engine;
    CancelToken cancel;
    int rendered = 0;
    CHECK_THROWS_AS(engine.render(
                        request("cancel", "pan right", 50),
                        [&](const Progress& p) {
                            rendered = p.step;
                            if (p.step == 3) {
                                cancel.requestCancel();
                            }
                        },
                        cancel),
                    Cancelled);
    CHECK(rendered == 3);
}

TEST_CASE("The Animatic engine writes MP4s and PNG folders whole or not at all",
          "[render][animatic]") {
    const render::RenderRequest r = request("file", "tilt up", 12);
    const fs::path mp4 = r.image.parent_path() / "tilt.mp4";
    fs::remove(mp4);
    render::animateToFile(r, mp4, {}, {}, CancelToken());
    media::VideoDecoder decoder(mp4);
    CHECK(decoder.width() == 320);
    const fs::path folder = r.image.parent_path() / "tilt_frames";
    fs::remove_all(folder);
    render::animateToFile(r, folder, {}, {}, CancelToken());
    CHECK(std::distance(fs::directory_iterator(folder), {}) == 12);
    CHECK_THROWS_WITH(render::animateToFile(r, folder, {}, {}, CancelToken()),
                      Contains("already exists"));
    render::RenderRequest missing = r;
    missing.image = r.image.parent_path() / "none.png";
    CHECK_THROWS_WITH(
        render::animateToFile(missing, r.image.parent_path() / "none.mp4", {}, {}, CancelToken()),
        Contains("none.png"));
    CHECK_FALSE(fs::exists(r.image.parent_path() / "none.mp4"));
}
