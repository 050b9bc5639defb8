// The main of every test executable that needs no Qt event loop.
#include "tests/support/catch_session.h"

int main(int argc, char* argv[]) {
    return storyreel::test::runCatchSession(argc, argv);
}
