#include "core/project/shot_import.h"

#include "core/base/user_error.h"
#include "core/project/project_builder.h"
#include "core/project/project_loader.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using namespace storyreel::project;

namespace {

fs::path workFolder(const std::string& name) {
    const fs::path folder = fs::path(STORYREEL_TEST_BINARY_DIR) / "shot_import" / name;
    fs::remove_all(folder);
    fs::create_directories(folder);
    return folder;
}

fs::path writeImage(const fs::path& file, const std::string& content) {
    std::ofstream(file, std::ios::binary) << content;
    return file;
}

}  // namespace

TEST_CASE("An empty project is saved with its settings and can be opened", "[project][new]") {
    const fs::path work = workFolder("empty");
    NewProjectOptions options;
    options.title = "Harbour";
    options.fps = 25.0;
    options.width = 854;
    options.height = 480;
    createEmptyProject(work / "harbour.storyreel", options);
    const Project loaded = loadProject(work / "harbour.storyreel");
    CHECK(loaded.title == "Harbour");
    CHECK(loaded.shots.empty());
    CHECK(loaded.fps == 25.0);
    CHECK(loaded.width == 854);
    CHECK_THROWS_WITH(createEmptyProject(work / "harbour.storyreel", options),
                      Contains("already exists"));
    CHECK_THROWS_WITH(createEmptyProject(work / "harbour", options), Contains(".storyreel"));
}

TEST_CASE("Imported shots get fresh ids after the project's highest and copied media",
          "[project][new]") {
    const fs::path work = workFolder("import");
    Project project = createEmptyProject(work / "film.storyreel", {});
    project.shots.push_back({});
    project.shots.back().id = "shot-7";
    project.shots.push_back({});
    project.shots.back().id = "shot-intro";
    CHECK(nextShotId(project) == "shot-8");

    const std::vector<Shot> added =
        importShots(project,
                    shotsFromImages({writeImage(work / "b_10.png", "ten"),
                                     writeImage(work / "b_9.png", "nine")}),
                    {}, 2.5);
    REQUIRE(added.size() == 2);
    CHECK(added[0].id == "shot-8");
    CHECK(added[1].id == "shot-9");
    CHECK(added[0].seconds == 2.5);
    CHECK(added[0].preset == "animatic");
    std::ifstream first(project.imagePath(added[0]));
    CHECK(std::string(std::istreambuf_iterator<char>(first), {}) == "nine");
}

TEST_CASE("An image the check refuses stops the import with its message", "[project][new]") {
    const fs::path work = workFolder("refused");
    const Project project = createEmptyProject(work / "film.storyreel", {});
    const auto refuse = [](const fs::path& file) {
        if (file.extension() == ".txt") {
            throw storyreel::UserError::inFile(file, "not an image");
        }
    };
    CHECK_THROWS_WITH(importShots(project,
                                  shotsFromImages({writeImage(work / "a.png", "a"),
                                                   writeImage(work / "notes.txt", "x")}),
                                  refuse),
                      Contains("notes.txt: not an image"));
}
