#include "core/base/log.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

TEST_CASE("Log messages reach the installed sink, then stderr again", "[base][log]") {
    std::vector<std::string> received;
    storyreel::setLogSink([&received](storyreel::LogLevel level, std::string_view message) {
        if (level == storyreel::LogLevel::Warning) {
            received.emplace_back(message);
        }
    });
    storyreel::log(storyreel::LogLevel::Warning, "converting F16 to F32");
    storyreel::log(storyreel::LogLevel::Info, "loaded");
    storyreel::setLogSink({});
    storyreel::log(storyreel::LogLevel::Warning, "to stderr, not the old sink");
    REQUIRE(received.size() == 1);
    CHECK(received[0] == "converting F16 to F32");
}
