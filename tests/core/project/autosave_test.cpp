#include "core/project/autosave.h"

#include "core/project/project_builder.h"
#include "core/project/project_copy.h"
#include "core/project/project_loader.h"
#include "core/project/project_writer.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;
using namespace storyreel::project;

namespace {

Project emptyProject(const std::string& name) {
    const fs::path work = fs::path(STORYREEL_TEST_BINARY_DIR) / "autosave" / name;
    fs::remove_all(work);
    fs::create_directories(work);
    return createEmptyProject(work / "film.storyreel", {});
}

// File times can be coarse: make sure the next write is seen as newer.
void tick() {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

}  // namespace

TEST_CASE("An autosave newer than the save is recovered, an older one is not",
          "[project][autosave]") {
    Project project = emptyProject("newer");
    CHECK_FALSE(newerAutosave(project.folder));
    tick();
    project.title = "Edited but not saved";
    writeAutosave(project);
    const auto recovered = newerAutosave(project.folder);
    REQUIRE(recovered);
    CHECK(recovered->project.title == "Edited but not saved");
    CHECK(recovered->project.folder == project.folder);
    CHECK(recovered->savedAt.size() == 16);
    // project.json itself was never touched.
    CHECK(loadProject(project.folder).title == "film");

    tick();
    saveProject(project);
    CHECK_FALSE(newerAutosave(project.folder));
    removeAutosave(project.folder);
    CHECK_FALSE(fs::exists(autosaveFile(project.folder)));
}

TEST_CASE("A damaged autosave is left alone and not offered", "[project][autosave]") {
    Project project = emptyProject("damaged");
    tick();
    std::ofstream(autosaveFile(project.folder)) << "{\"schema\": 2, \"tit";
    CHECK_FALSE(newerAutosave(project.folder));
    CHECK(fs::exists(autosaveFile(project.folder)));
}

TEST_CASE("Save As copies the media and takes to a new project that stands alone",
          "[project][save_as]") {
    Project project = emptyProject("save_as");
    fs::create_directories(project.folder / "media");
    fs::create_directories(project.folder / "takes/shot-1");
    std::ofstream(project.folder / "media/a.png") << "picture";
    std::ofstream(project.folder / "takes/shot-1/take-1.mkv") << "clip";
    project.title = "Copy";
    const fs::path target = project.folder.parent_path() / "copy.storyreel";
    const Project copy = saveProjectAs(project, target);
    CHECK(copy.folder == target);
    CHECK(loadProject(target).title == "Copy");
    CHECK(fs::file_size(target / "media/a.png") == 7);
    CHECK(fs::exists(target / "takes/shot-1/take-1.mkv"));
    CHECK_FALSE(fs::exists(fs::path(target) += ".partial"));
    CHECK_THROWS_WITH(saveProjectAs(project, target), Catch::Matchers::Contains("already exists"));
}
