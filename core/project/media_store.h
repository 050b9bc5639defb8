// Copies images into a project's media/ folder under names made from their content
// (SHA-256), so the same picture imported twice is stored once and renaming or moving the
// original never breaks the project.
//
//   fs::path relative = importMedia(project.folder, "/home/me/boards/shot_1.png");
//   // "media/3a7bd3e2360a3d29eea436fcfb7e44c7.png"
//
// Thread-safety: one import into a given project at a time.
#pragma once

#include <filesystem>

namespace storyreel::project {

// Returns the path relative to the project folder; throws UserError naming the file.
std::filesystem::path importMedia(const std::filesystem::path& projectFolder,
                                  const std::filesystem::path& source);

}  // namespace storyreel::project
