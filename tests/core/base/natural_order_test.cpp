#include "core/base/natural_order.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

TEST_CASE("Names sort as people count: shot_2 before shot_10", "[base][natural]") {
    std::vector<std::string> names = {"shot_10.png", "Shot_2.png",   "shot_1.png", "shot_02b.png",
                                      "intro.png",   "shot_100.png", "shot_9.png"};
    std::sort(names.begin(), names.end(), storyreel::naturalLess);
    CHECK(names == std::vector<std::string>{"intro.png", "shot_1.png", "Shot_2.png", "shot_02b.png",
                                            "shot_9.png", "shot_10.png", "shot_100.png"});
    CHECK_FALSE(storyreel::naturalLess("a", "a"));
    CHECK(storyreel::naturalLess("a", "ab"));
}
