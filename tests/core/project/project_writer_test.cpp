#include "core/project/project_writer.h"

#include "core/base/atomic_file.h"
#include "core/base/user_error.h"
#include "core/project/project_loader.h"

#include <catch2/catch.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using namespace storyreel::project;

namespace {

fs::path freshProjectFolder(const std::string& name) {
    const fs::path folder = fs::path(STORYREEL_TEST_BINARY_DIR) / "saves" / (name + ".storyreel");
    fs::remove_all(folder);
    fs::create_directories(folder);
    return folder;
}

Project sampleProject(const fs::path& folder) {
    Project project;
    project.folder = folder;
    project.title = "Harbour at night — «nuit»";
    project.fps = 25;
    project.width = 1920;
    project.height = 1080;
    project.defaultPreset = "quality";
    Shot shot;
    shot.id = "shot-1";
    shot.image = "media/ab12.png";
    shot.prompt = "slow push in, \"quoted\" words, commas, and a newline\nhere";
    shot.negativePrompt = "blurry";
    shot.seconds = 3.5;
    shot.seed = 4294967297;
    Take take;
    take.id = "take-1";
    take.file = "takes/shot-1/take-1.mkv";
    take.engine = "wan";
    take.model = "wan2.1-i2v-14b-480p-Q4_K_M";
    take.prompt = shot.prompt;
    take.seed = shot.seed;
    take.steps = 30;
    take.guidance = 5.0;
    take.shift = 3.0;
    take.width = 832;
    take.height = 480;
    take.frames = 81;
    take.fps = 16;
    take.secondsTaken = 412.5;
    take.device = "cuda:0 (NVIDIA H100)";
    take.createdAt = "2026-11-25T10:00:00Z";
    shot.takes = {take};
    shot.activeTakeId = "take-1";
    shot.trimInSeconds = 0.5;
    shot.trimOutSeconds = 4.5;
    Shot second = shot;
    second.id = "shot-2";
    second.takes.clear();
    second.activeTakeId.clear();
    second.trimInSeconds = second.trimOutSeconds = 0.0;
    second.transition = {TransitionKind::Crossfade, 0.75};
    second.render.size = "720p";
    second.render.steps = 8;
    second.render.guidance = 1.0;
    second.render.memoryProfile = "12gb";
    second.render.seedLocked = false;
    project.shots = {shot, second};
    return project;
}

}  // namespace

TEST_CASE("A saved project loads back identical, takes and timeline included", "[project][save]") {
    const Project original = sampleProject(freshProjectFolder("round_trip"));
    saveProject(original);
    const Project loaded = loadProject(original.folder);
    CHECK(projectJsonText(loaded) == projectJsonText(original));
    REQUIRE(loaded.shots.size() == 2);
    REQUIRE(loaded.shots[0].activeTake() != nullptr);
    CHECK(loaded.shots[0].activeTake()->durationSeconds() == Approx(81.0 / 16.0));
    CHECK(loaded.shots[0].seed == 4294967297);
    CHECK(loaded.shots[1].transition.kind == TransitionKind::Crossfade);
    CHECK(loaded.shots[1].transition.seconds == 0.75);
    CHECK(loaded.shots[1].render == original.shots[1].render);
    CHECK(loaded.shots[0].render.isDefault());  // written only when set
    CHECK(projectJsonText(loaded).find("\"render\"") ==
          projectJsonText(loaded).rfind("\"render\""));
    CHECK(loaded.title == original.title);
}

TEST_CASE("Saving keeps the previous save as project.json.bak", "[project][save]") {
    Project project = sampleProject(freshProjectFolder("backup"));
    saveProject(project);
    project.title = "Second version";
    saveProject(project);
    const fs::path backup = storyreel::backupPathFor(projectFile(project.folder));
    REQUIRE(fs::exists(backup));
    fs::copy_file(backup, project.folder / "restored.json");
    CHECK(loadProject(project.folder).title == "Second version");
    // A damaged project.json says where the last good save is.
    std::ofstream(projectFile(project.folder)) << "{ \"schema\": 2, ";
    CHECK_THROWS_WITH(loadProject(project.folder), Contains("project.json.bak"));
}

TEST_CASE("A schema 1 project is migrated and saved as the current schema", "[project][save]") {
    const fs::path folder = freshProjectFolder("schema1");
    std::ofstream(folder / "project.json") << R"({"schema": 1, "title": "Old",
        "shots": [{"image": "media/a.png", "prompt": "tilt up"}]})";
    Project project = loadProject(folder);
    REQUIRE(project.shots.size() == 1);
    CHECK(project.shots[0].takes.empty());
    CHECK(project.shots[0].transition.kind == TransitionKind::Cut);
    saveProject(project);
    std::ifstream in(folder / "project.json");
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    CHECK_THAT(text, Contains("\"schema\": " + std::to_string(kSchemaVersion)));
    CHECK(loadProject(folder).shots[0].prompt == "tilt up");
}

TEST_CASE("Takes and trims that contradict each other are refused", "[project][load]") {
    const char* cases[][2] = {
        {R"([{"image": "a.png", "activeTake": "take-9"}])", "'take-9' is not among its takes"},
        {R"([{"image": "a.png", "takes": [{"id": "t", "file": "x.mkv", "engine": "wan"},
                                          {"id": "t", "file": "y.mkv", "engine": "wan"}]}])",
         "two takes are called 't'"},
        {R"([{"image": "a.png", "takes": [{"id": "t", "file": "/etc/x", "engine": "wan"}]}])",
         "must be a path inside the project folder"},
        {R"([{"image": "a.png", "takes": [{"id": "t", "engine": "wan"}]}])", "missing 'file'"},
        {R"([{"image": "a.png", "trimIn": 3, "trimOut": 2}])", "trims must satisfy"},
        {R"([{"image": "a.png", "transition": {"kind": "wipe"}}])", "'wipe' is not 'cut'"},
        {R"([{"image": "a.png", "render": {"size": "4k"}}])", "'size' must be project"},
        {R"([{"image": "a.png", "render": {"steps": -2}}])", "must be positive"},
        {R"([{"image": "a.png", "render": {"seedLocked": "yes"}}])",
         "'seedLocked' has the wrong type"},
    };
    for (const auto& [shots, message] : cases) {
        INFO(shots);
        const fs::path folder = freshProjectFolder("bad_takes");
        std::ofstream(folder / "project.json")
            << std::string(R"({"schema": 2, "title": "x", "shots": )") + shots + "}";
        CHECK_THROWS_WITH(loadProject(folder),
                          Contains("project.json: shot 1") && Contains(message));
    }
}

// The process is killed at random moments while it saves over and over; every time, the
// project must load with the content of one complete save.
TEST_CASE("A save killed at any point leaves a loadable project", "[project][save]") {
    const fs::path folder = freshProjectFolder("killed");
    Project project = sampleProject(folder);
    saveProject(project);
    for (int round = 0; round < 25; ++round) {
        const pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            for (int i = 0;; ++i) {
                project.title = "save " + std::to_string(i);
                project.shots[0].notes = std::string(20000 + (i % 7) * 3000, 'n');
                saveProject(project);
            }
        }
        std::this_thread::sleep_for(std::chrono::microseconds(300 + round * 397 % 5000));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        INFO("round " << round);
        const Project loaded = loadProject(folder);
        CHECK(loaded.shots.size() == 2);
        CHECK((loaded.title.starts_with("save ") || loaded.title == project.title));
    }
}
