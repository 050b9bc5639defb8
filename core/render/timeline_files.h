// Writes the timeline for video editors: MLT XML (melt renders it; Shotcut and Kdenlive
// open it), a CMX3600 EDL, FCPXML 1.9 and OpenTimelineIO JSON (.otio). Each describes the
// same plan as the MP4 export: clips referencing the take files (or the still images as
// placeholders) by absolute path, and dissolves for crossfades.
//
//   writeTimelineFile(project, "film.otio", TimelineFormat::Otio, /*usePlaceholders=*/true);
//
// Thread-safety: pure functions; the file is written atomically.
#pragma once

#include "core/project/project.h"
#include "core/render/timeline_plan.h"

#include <filesystem>
#include <string>

namespace storyreel::render {

enum class TimelineFormat { Mlt, Edl, Fcpxml, Otio };

std::string timelineToMlt(const TimelinePlan& plan);
std::string timelineToEdl(const TimelinePlan& plan);
std::string timelineToFcpxml(const TimelinePlan& plan);
std::string timelineToOtio(const TimelinePlan& plan);

// "file:///home/me/My%20Film.storyreel/media/a.png"
std::string fileUrl(const std::filesystem::path& absolutePath);

void writeTimelineFile(const project::Project& project, const std::filesystem::path& file,
                       TimelineFormat format, bool usePlaceholders);

}  // namespace storyreel::render
