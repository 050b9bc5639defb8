// Runs the Catch2 session; the one entry point for test mains (see catch_impl.cpp).
#pragma once

namespace storyreel::test {

int runCatchSession(int argc, char* argv[]);

}  // namespace storyreel::test
