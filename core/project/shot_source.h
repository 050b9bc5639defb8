// What a new shot is made from: an image on disk and the settings a shot list gives it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace storyreel::project {

struct ShotSource {
    std::filesystem::path image;
    std::string prompt;
    std::string preset;  // empty: the project's default
    std::optional<double> seconds;
    std::optional<std::int64_t> seed;
    std::string negativePrompt;
};

// The preset ids a project file may name ("animatic", "fast", "fast-wan", "quality").
bool isKnownPresetId(std::string_view id);

}  // namespace storyreel::project
