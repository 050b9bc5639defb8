#include "core/render/take_renderer.h"

#include "core/base/cancel_token.h"
#include "core/project/project_builder.h"
#include "core/render/preset_defaults.h"

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

TEST_CASE("An Animatic take follows the shot's size and frame rate", "[render][takes]") {
    const fs::path work = fs::path(STORYREEL_TEST_BINARY_DIR) / "take_renderer_size";
    fs::remove_all(work);
    fs::create_directories(work);
    REQUIRE(cv::imwrite((work / "still.png").string(), cv::Mat(90, 160, CV_8UC3, cv::Scalar(90))));
    project::NewProjectOptions options;
    options.width = 1280;
    options.height = 720;
    project::ShotSource source{work / "still.png", "pan left", "animatic", 0.5, 7, ""};
    project::Project film = project::createProject(work / "film.storyreel", {source}, options, {});
    film.shots[0].render.size = "384p";
    film.shots[0].render.fps = 12;
    const project::Take take = render::renderAnimaticTake(film, 0, {}, CancelToken());
    CHECK(take.width == 682);
    CHECK(take.height == 384);
    CHECK(take.fps == 12);
    CHECK(take.frames == 6);
    const render::FrameSize quality = [&] {
        project::Shot shot = film.shots[0];
        shot.preset = "quality";
        shot.render = {};
        return render::renderSize(film, shot);
    }();
    CHECK(quality.width == 848);  // 480p at 16:9 in multiples of 16
    CHECK(quality.height == 480);
}
