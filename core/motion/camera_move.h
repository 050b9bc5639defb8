// The vocabulary of classical camera moves the Animatic engine renders, with the words a
// motion prompt uses for each ("push in", "dolly", "pan left").
//
//   std::optional<CameraMoveKind> kind = cameraMoveFromWord("push");  // CameraMoveKind::Push
//   std::string_view name = cameraMoveName(CameraMoveKind::Orbit);      // "orbit"
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace storyreel::motion {

enum class CameraMoveKind { Static, Pan, Tilt, Zoom, Push, Dolly, Orbit, Shake, Parallax };

std::string_view cameraMoveName(CameraMoveKind kind);
std::vector<CameraMoveKind> allCameraMoves();

// Case-insensitive; accepts the move's name and the words filmmakers use for it.
std::optional<CameraMoveKind> cameraMoveFromWord(std::string_view word);

}  // namespace storyreel::motion
