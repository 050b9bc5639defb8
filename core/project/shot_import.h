// Turns images into new shots of an open project: each image is checked, copied into the
// project's media/ folder and given a shot with a fresh id and seed. The shots are returned,
// not inserted, so the caller can add them as one undoable step.
//
//   std::vector<Shot> added = importShots(project, shotsFromImages(dropped), checkImportable);
//   project.shots.insert(project.shots.end(), added.begin(), added.end());
//
// Thread-safety: one import into a given project at a time.
#pragma once

#include "core/project/project.h"
#include "core/project/project_builder.h"
#include "core/project/shot_source.h"

#include <string>
#include <vector>

namespace storyreel::project {

// Throws UserError naming the first image that cannot be used; media already copied for
// earlier images stays in media/ (content-addressed, harmless) but no shot is returned.
// Shots whose source gives no duration last secondsPerShot.
std::vector<Shot> importShots(const Project& project, const std::vector<ShotSource>& sources,
                              const ImageCheck& checkImage, double secondsPerShot = 4.0);

// "shot-N" for the smallest N above every "shot-K" id in the project.
std::string nextShotId(const Project& project);

}  // namespace storyreel::project
