#include "core/motion/camera_move.h"

#include <catch2/catch.hpp>

using namespace storyreel::motion;

TEST_CASE("Camera moves are found by name and by the words filmmakers use", "[motion]") {
    CHECK(cameraMoveFromWord("Push") == CameraMoveKind::Push);
    CHECK(cameraMoveFromWord("tracking") == CameraMoveKind::Dolly);
    CHECK(cameraMoveFromWord("HANDHELD") == CameraMoveKind::Shake);
    CHECK(cameraMoveFromWord("arc") == CameraMoveKind::Orbit);
    CHECK_FALSE(cameraMoveFromWord("banana").has_value());
    CHECK_FALSE(cameraMoveFromWord("").has_value());
}

TEST_CASE("Every camera move's name finds the move again", "[motion]") {
    const auto moves = allCameraMoves();
    CHECK(moves.size() == 9);
    for (const CameraMoveKind kind : moves) {
        CHECK(cameraMoveFromWord(cameraMoveName(kind)) == kind);
    }
}
