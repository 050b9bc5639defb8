// The storyboard a user works on: a Project holds ordered Shots, each a still image with the
// motion prompt and settings that turn it into a moving shot.
//
//   Project project = loadProject("film.storyreel");
//   for (const Shot& shot : project.shots) render(project.imagePath(shot), shot.prompt);
//
// Thread-safety: plain values; share const copies between threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace storyreel::project {

// The newest project.json schema this build reads and writes.
inline constexpr int kSchemaVersion = 1;

struct Shot {
    std::string id;               // stable across reorders ("shot-1")
    std::filesystem::path image;  // relative to the project folder
    std::string prompt;           // the motion prompt: "slow push in while the wind moves her hair"
    std::string negativePrompt;
    std::string preset = "animatic";  // "animatic", "fast" or "quality"
    double seconds = 4.0;
    std::int64_t seed = 0;
    std::string notes;
};

struct Project {
    std::filesystem::path folder;  // NAME.storyreel
    std::string title;
    double fps = 24.0;
    int width = 1280;
    int height = 720;
    std::string defaultPreset = "animatic";
    std::vector<Shot> shots;

    std::filesystem::path imagePath(const Shot& shot) const { return folder / shot.image; }
    double totalSeconds() const;
};

// "NAME.storyreel/project.json" for a project folder.
std::filesystem::path projectFile(const std::filesystem::path& folder);

}  // namespace storyreel::project
