#include "core/project/project_builder.h"

#include "core/base/user_error.h"
#include "core/project/project_loader.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using namespace storyreel::project;

namespace {

fs::path workFolder(const std::string& name) {
    const fs::path folder = fs::path(STORYREEL_TEST_BINARY_DIR) / "builder" / name;
    fs::remove_all(folder);
    fs::create_directories(folder);
    return folder;
}

fs::path writeImage(const fs::path& file, const std::string& content) {
    std::ofstream(file, std::ios::binary) << content;
    return file;
}

}  // namespace

TEST_CASE("A project made from images keeps their natural order and stores each once",
          "[project][new]") {
    const fs::path work = workFolder("from_images");
    const std::vector<fs::path> images = {
        writeImage(work / "shot_10.png", "ten"), writeImage(work / "shot_2.png", "two"),
        writeImage(work / "shot_1.png", "one"), writeImage(work / "copy_of_1.PNG", "one")};
    NewProjectOptions options;
    options.secondsPerShot = 3.0;
    const Project made =
        createProject(work / "film.storyreel", shotsFromImages(images), options, {});
    const Project loaded = loadProject(work / "film.storyreel");
    REQUIRE(loaded.shots.size() == 4);
    CHECK(loaded.title == "film");
    // copy_of_1 < shot_1 < shot_2 < shot_10; copy_of_1 and shot_1 share one media file.
    CHECK(loaded.shots[0].image.stem() == loaded.shots[1].image.stem());
    std::ifstream third(loaded.imagePath(loaded.shots[2]));
    CHECK(std::string(std::istreambuf_iterator<char>(third), {}) == "two");
    CHECK(loaded.shots[3].seconds == 3.0);
    CHECK(loaded.shots[3].preset == "animatic");
    CHECK(loaded.shots[0].seed == made.shots[0].seed);
    CHECK(std::distance(fs::directory_iterator(work / "film.storyreel/media"), {}) == 3);
}

TEST_CASE("A project made from a shot list keeps its prompts, presets and seeds",
          "[project][new]") {
    const fs::path work = workFolder("from_list");
    ShotSource shot{writeImage(work / "a.jpg", "a"), "push in", "quality", 2.5, 7, "blur"};
    const Project made = createProject(work / "list.storyreel", {shot}, {}, {});
    CHECK(made.shots[0].prompt == "push in");
    CHECK(made.shots[0].preset == "quality");
    CHECK(made.shots[0].seconds == 2.5);
    CHECK(made.shots[0].seed == 7);
    CHECK(made.shots[0].negativePrompt == "blur");
    CHECK(made.shots[0].image.extension() == ".jpg");
}

TEST_CASE("A failed creation leaves no folder behind and never touches an existing one",
          "[project][new]") {
    const fs::path work = workFolder("failures");
    const std::vector<fs::path> images = {writeImage(work / "good.png", "g"),
                                          writeImage(work / "bad.png", "b")};
    const ImageCheck refuseBad = [](const fs::path& image) {
        if (image.filename() == "bad.png") {
            throw storyreel::UserError::inFile(image, "not an image");
        }
    };
    CHECK_THROWS_WITH(createProject(work / "x.storyreel", shotsFromImages(images), {}, refuseBad),
                      Contains("bad.png: not an image"));
    CHECK_FALSE(fs::exists(work / "x.storyreel"));
    CHECK_FALSE(fs::exists(work / "x.storyreel.partial"));

    fs::create_directories(work / "taken.storyreel");
    CHECK_THROWS_WITH(createProject(work / "taken.storyreel", shotsFromImages(images), {}, {}),
                      Contains("already exists"));
    CHECK(fs::is_empty(work / "taken.storyreel"));
    CHECK_THROWS_WITH(createProject(work / "film", shotsFromImages(images), {}, {}),
                      Contains("must end in .storyreel"));
    CHECK_THROWS_WITH(createProject(work / "none.storyreel", {}, {}, {}),
                      Contains("needs at least one image"));
    CHECK_THROWS_WITH(
        createProject(work / "missing.storyreel", shotsFromImages({work / "nope.png"}), {}, {}),
        Contains("nope.png: not found"));
}
