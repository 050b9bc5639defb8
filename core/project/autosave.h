// Autosave and crash recovery. While a project has unsaved edits, the application writes
// them now and then to NAME.storyreel/project.autosave.json, never touching project.json
// (which changes only when the user saves). After a crash, opening the project finds an
// autosave newer than project.json and offers it; saving or discarding removes it.
//
//   writeAutosave(project);                          // every minute while modified
//   if (auto recovered = newerAutosave(folder)) ...  // when opening
//   removeAutosave(folder);                          // after a save, or on discard
//
// Thread-safety: one writer per project at a time.
#pragma once

#include "core/project/project.h"

#include <filesystem>
#include <optional>
#include <string>

namespace storyreel::project {

std::filesystem::path autosaveFile(const std::filesystem::path& folder);

// Written atomically: an autosave interrupted by the crash it is for leaves the last one.
void writeAutosave(const Project& project);

struct RecoveredProject {
    Project project;
    std::string savedAt;  // the autosave's modification time, local, "2026-12-01 14:05"
};

// The autosaved project when there is one newer than project.json. An autosave that cannot
// be read is left in place for the user (and nullopt returned): it may be all they have.
std::optional<RecoveredProject> newerAutosave(const std::filesystem::path& folder);

void removeAutosave(const std::filesystem::path& folder);

}  // namespace storyreel::project
