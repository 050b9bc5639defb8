// Catch2 2.13's implementation, compiled once for every test executable (it is slow to build).
// Catch 2 declares Session only where its implementation is compiled, so the mains call
// runCatchSession() instead of touching Catch::Session themselves.
#define CATCH_CONFIG_RUNNER
#include "tests/support/catch_session.h"

#include <catch2/catch.hpp>

namespace storyreel::test {

int runCatchSession(int argc, char* argv[]) {
    return Catch::Session().run(argc, argv);
}

}  // namespace storyreel::test
