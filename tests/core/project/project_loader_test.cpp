#include "core/project/project_loader.h"

#include "core/base/user_error.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using storyreel::project::loadProject;

namespace {

// A fresh NAME.storyreel folder under the test binary dir with the given project.json.
fs::path writeProject(const std::string& name, const std::string& json) {
    const fs::path folder =
        fs::path(STORYREEL_TEST_BINARY_DIR) / "projects" / (name + ".storyreel");
    fs::remove_all(folder);
    fs::create_directories(folder);
    std::ofstream(folder / "project.json", std::ios::binary) << json;
    return folder;
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("A project loads its settings and shots in order", "[project][load]") {
    const fs::path folder = writeProject("two_shots", R"({
        "schema": 1, "title": "Harbour", "fps": 25, "width": 1920, "height": 1080,
        "defaultPreset": "quality",
        "shots": [
            {"id": "a", "image": "media/one.png", "prompt": "slow push in", "seconds": 3.5,
             "seed": 42, "preset": "fast"},
            {"id": "b", "image": "media/two.png", "prompt": "pan left", "notes": "dusk"}
        ]})");
    const auto project = loadProject(folder);
    CHECK(project.title == "Harbour");
    CHECK(project.fps == 25.0);
    CHECK(project.width == 1920);
    CHECK(project.defaultPreset == "quality");
    REQUIRE(project.shots.size() == 2);
    CHECK(project.shots[0].prompt == "slow push in");
    CHECK(project.shots[0].seed == 42);
    CHECK(project.shots[0].preset == "fast");
    CHECK(project.shots[1].seconds == 4.0);
    CHECK(project.shots[1].notes == "dusk");
    CHECK(project.imagePath(project.shots[1]) == folder / "media/two.png");
    CHECK(project.totalSeconds() == 7.5);
    CHECK(loadProject(folder / "project.json").shots.size() == 2);
}

TEST_CASE("Broken project files are refused with the file and the problem", "[project][load]") {
    struct Case {
        const char* name;
        const char* json;
        const char* message;
    };
    const Case cases[] = {
        {"truncated", R"({"schema": 1, "title": "x", "shots": [)", "not valid JSON at line 1"},
        {"empty", "", "the file is empty"},
        {"future", R"({"schema": 99, "title": "x"})", "saved by a newer Storyreel (schema 99"},
        {"no_title", R"({"schema": 1})", "missing 'title'"},
        {"bad_fps", R"({"schema": 1, "title": "x", "fps": "fast"})", "'fps' has the wrong type"},
        {"zero_fps", R"({"schema": 1, "title": "x", "fps": 0})", "'fps' must be between"},
        {"shot_no_image", R"({"schema": 1, "title": "x", "shots": [{"prompt": "p"}]})",
         "shot 1: missing 'image'"},
        {"escape", R"({"schema": 1, "title": "x", "shots": [{"image": "../../etc/passwd"}]})",
         "must be a path inside the project folder"},
        {"negative", R"({"schema": 1, "title": "x", "shots": [{"image": "a.png", "seconds": -1}]})",
         "'seconds' must be between 0 and 600"},
        {"array", "[1, 2]", "expected a JSON object"},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        const fs::path folder = writeProject(c.name, c.json);
        const std::string before = readFile(folder / "project.json");
        CHECK_THROWS_WITH(loadProject(folder), Contains("project.json") && Contains(c.message));
        CHECK(readFile(folder / "project.json") == before);
    }
}

TEST_CASE("A JSON syntax error reports its line", "[project][load]") {
    const fs::path folder = writeProject("line3", "{\n  \"schema\": 1,\n  \"title\": oops\n}");
    CHECK_THROWS_WITH(loadProject(folder), Contains("line 3"));
}

TEST_CASE("A missing folder or a plain file is not taken for a project", "[project][load]") {
    const fs::path base = fs::path(STORYREEL_TEST_BINARY_DIR) / "projects";
    fs::create_directories(base);
    CHECK_THROWS_WITH(loadProject(base / "nowhere.storyreel"), Contains("no such project"));
    std::ofstream(base / "file.storyreel") << "x";
    CHECK_THROWS_WITH(loadProject(base / "file.storyreel"), Contains("not a project folder"));
    const fs::path emptyFolder = base / "no_json.storyreel";
    fs::create_directories(emptyFolder);
    CHECK_THROWS_WITH(loadProject(emptyFolder), Contains("cannot be read"));
}
