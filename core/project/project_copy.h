// File > Save As for a project folder: the project, with its media and takes, copied to a
// new NAME.storyreel. Paths inside a project are relative, so the copy stands on its own;
// caches are left behind (they are rebuilt). The copy appears complete or not at all.
//
//   Project copy = saveProjectAs(project, "/home/me/Harbour v2.storyreel");
//
// Thread-safety: may be called from any thread; one copy per target folder.
#pragma once

#include "core/project/project.h"

#include <filesystem>

namespace storyreel::project {

// Throws UserError naming the target when it exists or cannot be written.
Project saveProjectAs(const Project& project, const std::filesystem::path& folder);

}  // namespace storyreel::project
