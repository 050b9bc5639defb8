#include "core/render/take_renderer.h"

#include "core/base/cancel_token.h"
#include "core/project/project_builder.h"

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using namespace storyreel;

TEST_CASE("Renders queued from the same snapshot make distinct takes", "[render][takes]") {
    const fs::path work = fs::path(STORYREEL_TEST_BINARY_DIR) / "take_renderer";
    fs::remove_all(work);
    fs::create_directories(work);
    REQUIRE(cv::imwrite((work / "still.png").string(), cv::Mat(36, 64, CV_8UC3, cv::Scalar(90))));
    project::NewProjectOptions options;
    options.width = 64;
    options.height = 36;
    project::ShotSource source{work / "still.png", "slow push in", "animatic", 0.25, 7, ""};
    const project::Project snapshot =
        project::createProject(work / "film.storyreel", {source}, options, {});

    // The worker renders job after job from the snapshot taken when they were queued.
    const project::Take first = render::renderAnimaticTake(snapshot, 0, {}, CancelToken());
    const project::Take second = render::renderAnimaticTake(snapshot, 0, {}, CancelToken());
    CHECK(first.id == "take-1");
    CHECK(second.id == "take-2");
    CHECK(fs::exists(snapshot.folder / first.file));
    CHECK(fs::exists(snapshot.folder / second.file));
    CHECK(first.frames == 6);
}
