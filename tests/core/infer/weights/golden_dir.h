// Where the shared golden data lives (DESIGN.md "Reference material"): the environment
// variable STORYREEL_GOLDEN_DIR when set, else ../shared/golden beside the source tree
// (the compile definition STORYREEL_GOLDEN_DEFAULT, set in tests/CMakeLists.txt).
//
//   const std::filesystem::path gguf = storyreel::test::goldenDir() / "gguf";
//
// Thread-safety: reads the environment; call from the test thread.
#pragma once

#include <cstdlib>
#include <filesystem>

namespace storyreel::test {

inline std::filesystem::path goldenDir() {
    if (const char* fromEnvironment = std::getenv("STORYREEL_GOLDEN_DIR");
        fromEnvironment != nullptr && *fromEnvironment != '\0') {
        return fromEnvironment;
    }
    return STORYREEL_GOLDEN_DEFAULT;
}

}  // namespace storyreel::test
