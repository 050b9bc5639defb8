#include "core/project/shot_list_csv.h"

#include "core/base/user_error.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using storyreel::project::readShotListCsv;

namespace {

fs::path writeCsv(const std::string& name, const std::string& text) {
    const fs::path folder = fs::path(STORYREEL_TEST_BINARY_DIR) / "csv";
    fs::create_directories(folder);
    std::ofstream(folder / name, std::ios::binary) << text;
    return folder / name;
}

}  // namespace

TEST_CASE("A spreadsheet's shot list reads with quotes, commas and line breaks", "[project][csv]") {
    const fs::path csv =
        writeCsv("good.csv",
                 "\xEF\xBB\xBFimage,prompt,preset,seconds,seed,negative\r\n"
                 "boards/shot_1.png,\"slow push in, then \"\"hold\"\"\",quality,3.5,42,blurry\r\n"
                 "boards/shot_2.png,\"pan left\nacross the bay\",,4,,\r\n"
                 "\r\n");
    const auto shots = readShotListCsv(csv);
    REQUIRE(shots.size() == 2);
    CHECK(shots[0].image == csv.parent_path() / "boards/shot_1.png");
    CHECK(shots[0].prompt == "slow push in, then \"hold\"");
    CHECK(shots[0].preset == "quality");
    CHECK(shots[0].seconds == 3.5);
    CHECK(shots[0].seed == 42);
    CHECK(shots[0].negativePrompt == "blurry");
    CHECK(shots[1].prompt == "pan left\nacross the bay");
    CHECK(shots[1].preset.empty());
    CHECK_FALSE(shots[1].seed.has_value());
}

TEST_CASE("Columns may come in any order, without the optional ones", "[project][csv]") {
    const auto shots = readShotListCsv(
        writeCsv("reordered.csv", "Seconds,Preset,Prompt,Image\n2,fast,tilt up,a.png\n"));
    REQUIRE(shots.size() == 1);
    CHECK(shots[0].image.filename() == "a.png");
    CHECK(shots[0].prompt == "tilt up");
}

TEST_CASE("Every bad row of a shot list is reported with its line", "[project][csv]") {
    const fs::path csv = writeCsv("bad_rows.csv",
                                  "image,prompt,preset,seconds,seed\n"
                                  "a.png,fine,animatic,2,\n"
                                  ",no image,animatic,2,\n"
                                  "c.png,\"two\nlines\",ultra,2,\n"
                                  "d.png,bad seconds,fast,soon,\n"
                                  "e.png,bad seed,fast,3,-4\n");
    try {
        readShotListCsv(csv);
        FAIL("the bad rows were accepted");
    } catch (const storyreel::UserError& error) {
        const std::string message = error.what();
        CHECK_THAT(message, Contains("bad_rows.csv line 3: no image"));
        CHECK_THAT(message, Contains("line 4: unknown preset 'ultra'"));
        CHECK_THAT(message,
                   Contains("line 6: seconds must be a number from 0 to 600 (got 'soon')"));
        CHECK_THAT(message, Contains("line 7: seed must be a whole number"));
        CHECK_FALSE(message.find("line 2") != std::string::npos);
    }
}

TEST_CASE("A shot list without the needed header is refused", "[project][csv]") {
    CHECK_THROWS_WITH(readShotListCsv(writeCsv("no_seconds.csv", "image,prompt,preset\na,b,c\n")),
                      Contains("no_seconds.csv: line 1: the header has no 'seconds' column"));
    CHECK_THROWS_WITH(
        readShotListCsv(writeCsv("extra.csv", "image,prompt,preset,seconds,camera\n")),
        Contains("unknown column 'camera'"));
    CHECK_THROWS_WITH(readShotListCsv(writeCsv("empty.csv", "")),
                      Contains("the shot list is empty"));
    CHECK_THROWS_WITH(readShotListCsv(writeCsv("header_only.csv", "image,prompt,preset,seconds\n")),
                      Contains("has a header but no shots"));
    CHECK_THROWS_WITH(readShotListCsv(writeCsv(
                          "open_quote.csv", "image,prompt,preset,seconds\na.png,\"open,fast,2\n")),
                      Contains("line 2: a quoted field is never closed"));
    CHECK_THROWS_WITH(readShotListCsv(fs::path(STORYREEL_TEST_BINARY_DIR) / "csv/none.csv"),
                      Contains("none.csv: cannot be read"));
}
