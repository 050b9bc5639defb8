#include "core/render/take_renderer.h"

#include "core/base/cancel_token.h"
#include "core/base/user_error.h"
#include "core/project/project_builder.h"
#include "core/render/preset_defaults.h"

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace storyreel;

namespace {

// A new, empty folder under the test build tree holding still.png, a grey rows x cols image.
fs::path freshFolderWithStill(const std::string& name, int rows = 36, int cols = 64) {
    const fs::path work = fs::path(STORYREEL_TEST_BINARY_DIR) / name;
    fs::remove_all(work);
    fs::create_directories(work);
    REQUIRE(
        cv::imwrite((work / "still.png").string(), cv::Mat(rows, cols, CV_8UC3, cv::Scalar(90))));
    return work;
}

}  // namespace

TEST_CASE("Renders queued from the same snapshot make distinct takes", "[render][takes]") {
    const fs::path work = freshFolderWithStill("take_renderer");
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
    const fs::path work = freshFolderWithStill("take_renderer_size", 90, 160);
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
        shot.render.size = "480p";
        return render::renderSize(film, shot);
    }();
    CHECK(quality.width == 848);  // 480p at 16:9 in multiples of 16
    CHECK(quality.height == 480);
}

TEST_CASE("An Animatic take refuses a shot of another preset", "[render][takes]") {
    const fs::path work = freshFolderWithStill("take_renderer_refuse");
    project::ShotSource source{work / "still.png", "waves", "quality", 0.25, 7, ""};
    const project::Project film = project::createProject(work / "film.storyreel", {source}, {}, {});
    REQUIRE_THROWS_WITH(render::renderAnimaticTake(film, 0, {}, CancelToken()),
                        Catch::Contains("quality"));
}

TEST_CASE("Rendering a project's Animatic takes says where its other shots render",
          "[render][takes]") {
    const fs::path work = freshFolderWithStill("take_renderer_batch");
    project::NewProjectOptions options;
    options.width = 64;
    options.height = 36;
    project::Project film =
        project::createProject(work / "film.storyreel",
                               {{work / "still.png", "waves", "quality", 0.25, 7, ""},
                                {work / "still.png", "slow push in", "animatic", 0.25, 7, ""}},
                               options, {});
    const std::vector<render::TakeReport> reports =
        render::renderAnimaticTakes(film, {}, {}, CancelToken());
    REQUIRE(reports.size() == 2);
    CHECK(reports[0].shotNumber == 1);
    CHECK(reports[0].takeId.empty());
    CHECK_THAT(reports[0].message, Catch::StartsWith("skipped: its preset 'quality'") &&
                                       Catch::Contains("storyreel-cli generate"));
    CHECK(film.shots[0].takes.empty());
    CHECK(reports[1].takeId == "take-1");
    CHECK(film.shots[1].activeTakeId == "take-1");
    CHECK_THROWS_WITH(render::renderAnimaticTakes(film, {3}, {}, CancelToken()),
                      Catch::Contains("there is no shot 3"));
}

#ifdef STORYREEL_TINY_WAN_MODELS
TEST_CASE("A Quality shot renders a Wan take with progress and previews", "[render][takes][wan]") {
    const fs::path work = fs::path(STORYREEL_TEST_BINARY_DIR) / "take_renderer_wan";
    fs::remove_all(work);
    fs::create_directories(work);
    const std::string tool = STORYREEL_TINY_WAN_MODELS;
    REQUIRE(std::system(("'" + tool + "' '" + (work / "models").string() + "'").c_str()) == 0);
    cv::Mat still(36, 64, CV_8UC3);
    cv::randu(still, 0, 255);
    REQUIRE(cv::imwrite((work / "still.png").string(), still));
    project::NewProjectOptions options;
    options.width = 64;
    options.height = 36;
    project::ShotSource source{work / "still.png", "a slow zoom on the sea", "quality", 0.3, 5, ""};
    const project::Project film =
        project::createProject(work / "film.storyreel", {source}, options, {});

    int steps = 0;
    int previews = 0;
    const project::Take take = render::renderNeuralTake(
        film, 0, {work / "models", "cpu"},
        [&](const Progress& p) {
            if (p.phase == Phase::Denoising && p.step > 0) {
                ++steps;
                CHECK(p.etaSeconds >= 0.0);
            }
        },
        [&](const render::Frame& frame) {
            CHECK(frame.width == 8);  // the latent's width: 64 pixels / 8
            ++previews;
        },
        CancelToken());
    CHECK(steps == 40);
    CHECK(previews == 40);
    CHECK(take.engine == "quality");
    CHECK(take.frames == 5);
    CHECK(take.width == 64);
    CHECK(take.height == 32);
    CHECK(take.steps == 40);
    CHECK(take.device == "cpu");
    CHECK(fs::exists(film.folder / take.file));
    fs::path sidecar = film.folder / take.file;
    CHECK(fs::exists(sidecar.replace_extension(".json")));
    CHECK_FALSE(
        fs::exists(film.folder / "takes" / film.shots[0].id / "pending.latents.safetensors"));

    // Cancelled before the first step: nothing is written.
    CancelToken cancel;
    cancel.requestCancel();
    CHECK_THROWS_AS(render::renderNeuralTake(film, 0, {work / "models", "cpu"}, {}, {}, cancel),
                    Cancelled);
    CHECK_FALSE(fs::exists(film.folder / "takes" / film.shots[0].id / "take-2.mkv"));
}
#endif
