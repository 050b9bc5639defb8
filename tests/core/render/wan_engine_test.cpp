// The Wan engine behind Quality and Fast (Wan) (core/render/wan_engine.h): presets'
// defaults, its estimate before a run, and what it refuses.
#include "core/render/wan_engine.h"

#include "core/base/user_error.h"

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using namespace storyreel;
using Catch::Matchers::Contains;

TEST_CASE("Wan presets carry generate.py's and the distilled LoRA's defaults", "[render][wan]") {
    const render::RenderRequest quality = render::wanPresetRequest("quality");
    CHECK(quality.steps == 40);
    CHECK(quality.guidance == 5.0);
    CHECK(quality.shift == 3.0);
    CHECK(quality.frames == 81);
    CHECK(quality.fps == 16.0);
    CHECK(quality.width * quality.height == 832 * 480);
    const render::RenderRequest fast = render::wanPresetRequest("fast-wan");
    CHECK(fast.steps == 4);
    CHECK(fast.guidance == 1.0);
    CHECK(fast.shift == 5.0);
    REQUIRE_THROWS_WITH(render::WanEngine({"/models", "fast"}), Contains("fast-wan"));
}

TEST_CASE("Wan engine estimates a run before it starts", "[render][wan]") {
    const fs::path work = fs::path(STORYREEL_TEST_BINARY_DIR) / "wan_engine_estimate";
    fs::remove_all(work);
    fs::create_directories(work);
    REQUIRE(cv::imwrite((work / "still.png").string(), cv::Mat(720, 1280, CV_8UC3)));
    render::WanEngine engine({work, "quality"});
    render::RenderRequest request = render::wanPresetRequest("quality");
    request.image = work / "still.png";
    request.device = "cpu";
    request.memoryProfile = "cpu";
    const render::Estimate full = engine.estimate(request);
    CHECK(full.peakGpuBytes == 0);  // the CPU
    CHECK(full.seconds > 0.0);
    request.frames = 41;
    CHECK(engine.estimate(request).seconds < full.seconds);
    request.frames = 40;
    REQUIRE_THROWS_WITH(engine.estimate(request), Contains("4n+1"));
}
