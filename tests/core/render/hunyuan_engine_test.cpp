// The HunyuanVideo-I2V engine behind Fast (core/render/hunyuan_engine.h): the released
// defaults, its estimate before a run, the licence it refuses to run without, and what it
// says of a models folder that lacks files.
#include "core/render/hunyuan_engine.h"

#include "core/base/user_error.h"

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using namespace storyreel;
using Catch::Matchers::Contains;

TEST_CASE("The Fast preset carries HunyuanVideo-I2V's released defaults", "[render][hunyuan]") {
    const render::RenderRequest request = render::hunyuanPresetRequest();
    CHECK(request.steps == 50);
    CHECK(request.frames == 129);
    CHECK(request.fps == 24.0);
    CHECK(request.resolution == "720p");
    CHECK(request.guidance == 1.0);  // no classifier-free guidance
    CHECK(request.embeddedGuidance == 6.0);
    CHECK(request.stableMotion);
    CHECK(request.shift == 7.0);
}

TEST_CASE("HunyuanVideo engine refuses to run until its licence is acknowledged",
          "[render][hunyuan]") {
    const fs::path work = fs::path(STORYREEL_TEST_BINARY_DIR) / "hunyuan_engine_licence";
    fs::remove_all(work);
    fs::create_directories(work / "models");
    REQUIRE(cv::imwrite((work / "still.png").string(), cv::Mat(64, 96, CV_8UC3)));
    render::RenderRequest request = render::hunyuanPresetRequest();
    request.image = work / "still.png";
    request.device = "cpu";
    request.memoryProfile = "cpu";
    const CancelToken cancel;
    // Refused before anything is looked at: the empty folder is not mentioned.
    render::HunyuanEngine refusing({work / "models", false});
    REQUIRE_THROWS_WITH(refusing.render(request, {}, cancel), Contains("United Kingdom") &&
                                                                  Contains("--accept-license") &&
                                                                  !Contains("incomplete"));
    // Accepted: the engine goes on and names what the folder lacks.
    render::HunyuanEngine accepting({work / "models", true});
    REQUIRE_THROWS_WITH(accepting.render(request, {}, cancel),
                        Contains("incomplete") && Contains("LLaVA") && Contains("tokenizer"));
}

TEST_CASE("HunyuanVideo engine estimates a run before it starts", "[render][hunyuan]") {
    const fs::path work = fs::path(STORYREEL_TEST_BINARY_DIR) / "hunyuan_engine_estimate";
    fs::remove_all(work);
    fs::create_directories(work);
    REQUIRE(cv::imwrite((work / "still.png").string(), cv::Mat(720, 1280, CV_8UC3)));
    render::HunyuanEngine engine({work, false});  // estimates need no licence
    render::RenderRequest request = render::hunyuanPresetRequest();
    request.image = work / "still.png";
    request.device = "cpu";
    request.memoryProfile = "cpu";
    request.resolution = "540p";
    const render::Estimate full = engine.estimate(request);
    CHECK(full.peakGpuBytes == 0);  // the CPU
    CHECK(full.seconds > 0.0);
    request.resolution = "360p";
    CHECK(engine.estimate(request).seconds < full.seconds);
    request.frames = 40;
    REQUIRE_THROWS_WITH(engine.estimate(request), Contains("4n+1"));
    request.frames = 129;
    request.resolution = "1080p";
    REQUIRE_THROWS_WITH(engine.estimate(request), Contains("1080p"));
}
