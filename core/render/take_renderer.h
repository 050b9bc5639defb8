// Renders a project's Animatic shots into new takes: each take is a lossless FFV1 clip in
// takes/SHOT/ with a JSON beside it of everything that produced it, added to the shot and
// made active, and the project is saved after every take so finished work survives a crash.
//
//   std::vector<TakeReport> done = renderAnimaticTakes(project, {1, 3}, progress, cancel);
//
// Thread-safety: one render per project at a time; the CancelToken may be set from any thread.
#pragma once

#include "core/base/cancel_token.h"
#include "core/base/progress.h"
#include "core/project/project.h"

#include <string>
#include <vector>

namespace storyreel::render {

struct TakeReport {
    int shotNumber = 0;   // 1-based
    std::string takeId;   // empty when the shot was skipped
    std::string message;  // what happened, for the user
};

// Renders one Animatic take of shot `shotIndex` (0-based) into the project folder and
// returns it, leaving the project itself unchanged: the caller adds the take and saves (the
// GUI does so on its own thread). Throws UserError, or Cancelled with no file left behind.
project::Take renderAnimaticTake(const project::Project& project, std::size_t shotIndex,
                                 const ProgressSink& progress, const CancelToken& cancel);

// `shotNumbers` are 1-based; empty means every shot. Shots whose preset is not Animatic are
// skipped with a message (their engines have not landed). Throws UserError for a shot number
// that does not exist, and Cancelled when asked to stop.
std::vector<TakeReport> renderAnimaticTakes(project::Project& project,
                                            const std::vector<int>& shotNumbers,
                                            const ProgressSink& progress,
                                            const CancelToken& cancel);

}  // namespace storyreel::render
