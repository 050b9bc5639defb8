#include "core/motion/camera_move.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace storyreel::motion {
namespace {

struct MoveWords {
    CameraMoveKind kind;
    std::string_view name;
    std::array<std::string_view, 4> synonyms;  // empty entries are unused
};

constexpr std::array<MoveWords, 9> kMoves = {{
    {CameraMoveKind::Static, "static", {"still", "locked", "hold", ""}},
    {CameraMoveKind::Pan, "pan", {"pans", "panning", "sweep", ""}},
    {CameraMoveKind::Tilt, "tilt", {"tilts", "tilting", "crane", ""}},
    {CameraMoveKind::Zoom, "zoom", {"zooms", "zooming", "", ""}},
    {CameraMoveKind::Push, "push", {"pushes", "push-in", "creep", ""}},
    {CameraMoveKind::Dolly, "dolly", {"track", "tracking", "truck", ""}},
    {CameraMoveKind::Orbit, "orbit", {"arc", "circle", "orbiting", ""}},
    {CameraMoveKind::Shake, "shake", {"handheld", "shaky", "wobble", ""}},
    {CameraMoveKind::Parallax, "parallax", {"layers", "depth", "2.5d", ""}},
}};

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

}  // namespace

std::string_view cameraMoveName(CameraMoveKind kind) {
    for (const MoveWords& move : kMoves) {
        if (move.kind == kind) {
            return move.name;
        }
    }
    return "static";
}

std::vector<CameraMoveKind> allCameraMoves() {
    std::vector<CameraMoveKind> kinds;
    for (const MoveWords& move : kMoves) {
        kinds.push_back(move.kind);
    }
    return kinds;
}

std::optional<CameraMoveKind> cameraMoveFromWord(std::string_view word) {
    const std::string lower = lowercase(word);
    if (lower.empty()) {
        return std::nullopt;
    }
    for (const MoveWords& move : kMoves) {
        if (lower == move.name ||
            std::find(move.synonyms.begin(), move.synonyms.end(), lower) != move.synonyms.end()) {
            return move.kind;
        }
    }
    return std::nullopt;
}

}  // namespace storyreel::motion
