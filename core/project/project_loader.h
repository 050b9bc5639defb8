// Reads a project folder's project.json. Every problem becomes a UserError naming the file
// and what is wrong; the file is never modified.
//
//   Project project = loadProject("film.storyreel");          // the folder
//   Project same = loadProject("film.storyreel/project.json");  // or the file in it
//
// Thread-safety: may be called from any thread.
#pragma once

#include "core/project/project.h"

#include <filesystem>

namespace storyreel::project {

Project loadProject(const std::filesystem::path& folderOrFile);

// The project in `folder` as described by another file of it (the autosave).
Project loadProjectFrom(const std::filesystem::path& folder, const std::filesystem::path& file);

}  // namespace storyreel::project
