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

// The newest project.json schema this build reads and writes (project_migration.cpp
// brings older files up to it).
inline constexpr int kSchemaVersion = 2;

// How the timeline enters a shot from the one before it.
enum class TransitionKind { Cut, Crossfade };

struct Transition {
    TransitionKind kind = TransitionKind::Cut;
    double seconds = 0.0;  // the crossfade's length; 0 for a cut
};

// One generated clip of a shot, with everything that produced it. Takes are never deleted
// silently: removing one is an explicit user action.
struct Take {
    std::string id;              // "take-1", unique within the shot
    std::filesystem::path file;  // relative to the project folder: "takes/shot-1/take-1.mkv"
    std::string engine;          // "animatic", "wan", "hunyuan"
    std::string model;           // the model's identity (file hash or name); empty for animatic
    std::string prompt;
    std::string negativePrompt;
    std::int64_t seed = 0;
    int steps = 0;
    double guidance = 0.0;
    double shift = 0.0;
    int width = 0;
    int height = 0;
    int frames = 0;
    double fps = 0.0;
    double secondsTaken = 0.0;  // wall time of the render
    std::string device;         // "cpu", "cuda:0 (NVIDIA H100)"
    std::string createdAt;      // ISO 8601, UTC

    double durationSeconds() const { return fps > 0.0 ? frames / fps : 0.0; }
};

// A shot's render settings beyond its preset; each zero or empty value means "the preset's
// default" (core/render/preset_defaults.h), so a project keeps following better defaults.
struct RenderSettings {
    std::string size;           // "", "project", "384p", "480p", "540p", "720p"
    double fps = 0.0;           // frames per second of the take
    int steps = 0;              // denoising steps (neural presets)
    double guidance = 0.0;      // classifier-free (Wan) or embedded (HunyuanVideo) guidance
    double shift = 0.0;         // the flow-matching sigma shift
    std::string memoryProfile;  // "": the application's choice
    bool seedLocked = true;     // false: every render draws a new seed (kept in its take)

    bool isDefault() const {
        return size.empty() && fps == 0.0 && steps == 0 && guidance == 0.0 && shift == 0.0 &&
               memoryProfile.empty() && seedLocked;
    }
    bool operator==(const RenderSettings&) const = default;
};

struct Shot {
    std::string id;               // stable across reorders ("shot-1")
    std::filesystem::path image;  // relative to the project folder
    std::string prompt;           // the motion prompt: "slow push in while the wind moves her hair"
    std::string negativePrompt;
    std::string preset = "animatic";  // "animatic", "fast" or "quality"
    double seconds = 4.0;
    std::int64_t seed = 0;
    std::string notes;
    RenderSettings render;
    std::vector<Take> takes;
    std::string activeTakeId;     // empty: no take chosen yet
    double trimInSeconds = 0.0;   // into the active take
    double trimOutSeconds = 0.0;  // 0: to the end of the take
    Transition transition;        // from the previous shot into this one

    const Take* activeTake() const;
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
