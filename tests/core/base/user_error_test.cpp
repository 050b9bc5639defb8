#include "core/base/user_error.h"

#include <catch2/catch.hpp>

TEST_CASE("A user error about a file names the file first", "[base][error]") {
    const storyreel::UserError error =
        storyreel::UserError::inFile("/tmp/film.storyreel/project.json", "not valid JSON");
    CHECK(std::string(error.what()) == "/tmp/film.storyreel/project.json: not valid JSON");
}
