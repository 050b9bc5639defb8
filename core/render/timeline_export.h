// Exports a project's timeline as one MP4: each shot's active take (or, with placeholders,
// its still image held for the shot's duration), fitted to the project's size and frame
// rate, joined by cuts and crossfades, with Storyreel's metadata in the file and in a
// sidecar NAME.json. The file appears under its final name only when complete.
//
//   TimelineExportOptions options{.usePlaceholders = true};
//   exportTimelineMp4(project, "film.mp4", options, progressSink, cancel);
//
// Thread-safety: runs on the calling thread; the CancelToken may be set from any thread.
#pragma once

#include "core/base/cancel_token.h"
#include "core/base/progress.h"
#include "core/media/frame_rate_method.h"
#include "core/project/project.h"

#include <filesystem>

namespace storyreel::render {

struct TimelineExportOptions {
    bool usePlaceholders = false;  // stills for shots without a take, instead of an error
    int width = 0;                 // 0: the project's size
    int height = 0;
    double fps = 0.0;  // 0: the project's rate
    // How takes at another rate are brought to the project's (Wan's 16 fps to 24, say).
    media::FrameRateMethod frameRateMethod = media::FrameRateMethod::MotionCompensated;
    int crf = 18;
    std::string preset = "medium";
};

// Throws UserError naming the shots without takes (unless placeholders), bad images or
// clips, and Cancelled when asked to stop; no partial file is left either way.
void exportTimelineMp4(const project::Project& project, const std::filesystem::path& file,
                       const TimelineExportOptions& options, const ProgressSink& progress,
                       const CancelToken& cancel);

// The same frames as a PNG sequence (frame_000001.png, ...) in a new folder, with the
// description as storyreel.json; the folder appears only when complete.
void exportTimelinePngs(const project::Project& project, const std::filesystem::path& folder,
                        const TimelineExportOptions& options, const ProgressSink& progress,
                        const CancelToken& cancel);

// One MP4 per shot (shot_01.mp4, ...) into an existing folder, each with its sidecar.
void exportShotClips(const project::Project& project, const std::filesystem::path& folder,
                     const TimelineExportOptions& options, const ProgressSink& progress,
                     const CancelToken& cancel);

}  // namespace storyreel::render
