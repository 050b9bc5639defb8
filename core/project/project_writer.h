// Saves a project to NAME.storyreel/project.json atomically, keeping the previous save as
// project.json.bak: a save interrupted at any point leaves the last completed save loadable.
//
//   project.shots[0].prompt = "slow pan left";
//   saveProject(project);   // writes project.folder / "project.json"
//
// Thread-safety: one save per project at a time.
#pragma once

#include "core/project/project.h"

#include <string>

namespace storyreel::project {

void saveProject(const Project& project);

// The exact text saveProject writes (schema kSchemaVersion, two-space indents).
std::string projectJsonText(const Project& project);

}  // namespace storyreel::project
