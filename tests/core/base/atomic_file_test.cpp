#include "core/base/atomic_file.h"

#include "core/base/user_error.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using storyreel::BackupPolicy;
using storyreel::writeFileAtomically;

namespace {

std::string readAll(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

fs::path freshFolder(const char* name) {
    const fs::path folder = fs::path(STORYREEL_TEST_BINARY_DIR) / "atomic" / name;
    fs::remove_all(folder);
    fs::create_directories(folder);
    return folder;
}

}  // namespace

TEST_CASE("An atomic write replaces the file and keeps the previous version", "[base][atomic]") {
    const fs::path file = freshFolder("replace") / "project.json";
    writeFileAtomically(file, "first", BackupPolicy::KeepPrevious);
    CHECK(readAll(file) == "first");
    CHECK_FALSE(fs::exists(storyreel::backupPathFor(file)));
    writeFileAtomically(file, "second", BackupPolicy::KeepPrevious);
    writeFileAtomically(file, "third", BackupPolicy::KeepPrevious);
    CHECK(readAll(file) == "third");
    CHECK(readAll(storyreel::backupPathFor(file)) == "second");
    CHECK_FALSE(fs::exists(file.string() + ".tmp"));
    writeFileAtomically(file, "fourth");
    CHECK(readAll(storyreel::backupPathFor(file)) == "second");
}

TEST_CASE("A failed atomic write names the file and leaves no temporary", "[base][atomic]") {
    const fs::path folder = freshFolder("fail");
    const fs::path missing = folder / "no-such-folder" / "out.json";
    CHECK_THROWS_WITH(writeFileAtomically(missing, "x"),
                      Catch::Matchers::Contains("out.json.tmp: cannot be created"));
    // A folder in the way of the target: the old content (a folder) stays.
    fs::create_directories(folder / "taken");
    CHECK_THROWS_AS(writeFileAtomically(folder / "taken", "x"), storyreel::UserError);
    CHECK(fs::is_directory(folder / "taken"));
    CHECK_FALSE(fs::exists(folder / "taken.tmp"));
}
