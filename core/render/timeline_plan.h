// The timeline as editors see it: each shot's source (its active take, or its still image
// as a placeholder), the part of it used, and where it sits, in whole frames at the
// project's rate. The MP4 export and every editor-timeline writer (MLT, EDL, FCPXML, OTIO)
// work from this one plan, so they agree on every cut.
//
// A crossfade into a shot overlaps the end of the previous shot: the timeline is shorter
// than the sum of the shots by the crossfades' lengths.
//
//   TimelinePlan plan = planTimeline(project, /*usePlaceholders=*/true);
//
// Thread-safety: pure function of the project.
#pragma once

#include "core/project/project.h"

#include <filesystem>
#include <string>
#include <vector>

namespace storyreel::render {

struct PlannedClip {
    std::size_t shotIndex = 0;
    std::string name;              // "Shot 1"
    std::filesystem::path source;  // absolute: the take's file or the still image
    bool still = false;
    const project::Take* take = nullptr;  // null for a still; into the planned project
    double takeFps = 0.0;                 // copies of the take's, safe on any thread
    long takeFrames = 0;
    long sourceIn = 0;  // first frame used, at the project's rate
    long frames = 0;    // frames used, crossfade overlaps included
    long recordIn = 0;  // where the clip starts on the timeline
    long fadeIn = 0;    // crossfade frames shared with the previous clip (0: a cut)

    long recordOut() const { return recordIn + frames; }
};

struct TimelinePlan {
    std::string title;
    double fps = 24.0;
    int width = 0;
    int height = 0;
    std::vector<PlannedClip> clips;

    long totalFrames() const { return clips.empty() ? 0 : clips.back().recordOut(); }
};

// Throws UserError naming the shots without a take, unless placeholders stand in for them.
TimelinePlan planTimeline(const project::Project& project, bool usePlaceholders);

}  // namespace storyreel::render
