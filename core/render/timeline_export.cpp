#include "core/render/timeline_export.h"

#include "core/base/atomic_file.h"
#include "core/base/user_error.h"
#include "core/media/frame_fit.h"
#include "core/media/image_import.h"
#include "core/media/video_decoder.h"
#include "core/media/video_encoder.h"

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

namespace storyreel::render {
namespace {

// One shot's pictures, fitted to the output frame, and where it sits on the timeline.
struct Clip {
    std::vector<cv::Mat> frames;  // one for a still
    double sourceFps = 0.0;       // 0 for a still
    double start = 0.0;
    double seconds = 0.0;
    double fadeIn = 0.0;  // crossfade length into this clip

    // Frame-rate conversion by repeating or dropping the nearest earlier source frame.
    const cv::Mat& frameAt(double localSeconds) const {
        if (sourceFps <= 0.0) {
            return frames.front();
        }
        const auto index = static_cast<std::size_t>(std::max(0.0, localSeconds * sourceFps + 1e-6));
        return frames[std::min(index, frames.size() - 1)];
    }
};

Clip loadTake(const project::Project& project, const project::Shot& shot, const project::Take& take,
              int width, int height) {
    media::VideoDecoder decoder(project.folder / take.file);
    Clip clip;
    clip.sourceFps = decoder.fps() > 0.0 ? decoder.fps() : take.fps;
    const auto first = static_cast<long>(std::lround(shot.trimInSeconds * clip.sourceFps));
    const long last = shot.trimOutSeconds > 0.0
                          ? static_cast<long>(std::lround(shot.trimOutSeconds * clip.sourceFps))
                          : -1;
    cv::Mat frame;
    for (long index = 0; decoder.read(frame) && (last < 0 || index < last); ++index) {
        if (index >= first) {
            clip.frames.push_back(media::fitToFrame(frame, width, height).clone());
        }
    }
    if (clip.frames.empty()) {
        throw UserError::inFile(project.folder / take.file, "the take has no frames in its trim");
    }
    clip.seconds = clip.frames.size() / clip.sourceFps;
    return clip;
}

std::vector<Clip> loadClips(const project::Project& project, const TimelineExportOptions& options,
                            int width, int height) {
    std::string missing;
    for (std::size_t i = 0; i < project.shots.size(); ++i) {
        if (!project.shots[i].activeTake() && !options.usePlaceholders) {
            missing += (missing.empty() ? "" : ", ") + std::to_string(i + 1);
        }
    }
    if (!missing.empty()) {
        throw UserError("shots without a take: " + missing +
                        ". Render them, or export with placeholders (their still images).");
    }
    std::vector<Clip> clips;
    double start = 0.0;
    for (const project::Shot& shot : project.shots) {
        Clip clip;
        if (const project::Take* take = shot.activeTake()) {
            clip = loadTake(project, shot, *take, width, height);
        } else {
            clip.frames.push_back(
                media::fitToFrame(media::importImage(project.imagePath(shot)), width, height));
            clip.seconds = shot.seconds;
        }
        if (!clips.empty() && shot.transition.kind == project::TransitionKind::Crossfade) {
            // A crossfade overlaps the two shots; it cannot outlast either.
            clip.fadeIn = std::min({shot.transition.seconds, clip.seconds, clips.back().seconds});
        }
        clip.start = std::max(0.0, start - clip.fadeIn);
        start = clip.start + clip.seconds;
        clips.push_back(std::move(clip));
    }
    return clips;
}

// The output picture at time t: one clip, or two blended during a crossfade.
cv::Mat frameAt(const std::vector<Clip>& clips, double t) {
    for (std::size_t i = 0; i < clips.size(); ++i) {
        const Clip& clip = clips[i];
        if (t >= clip.start + clip.seconds && i + 1 < clips.size()) {
            continue;
        }
        const Clip* next = i + 1 < clips.size() ? &clips[i + 1] : nullptr;
        if (next && next->fadeIn > 0.0 && t >= next->start) {
            const double alpha = std::clamp((t - next->start) / next->fadeIn, 0.0, 1.0);
            cv::Mat blended;
            cv::addWeighted(clip.frameAt(t - clip.start), 1.0 - alpha,
                            next->frameAt(t - next->start), alpha, 0.0, blended);
            return blended;
        }
        return clip.frameAt(t - clip.start);
    }
    return clips.back().frames.back();
}

// What made the file, for its tags and its sidecar JSON.
nlohmann::json describe(const project::Project& project, bool& neural) {
    nlohmann::json shots = nlohmann::json::array();
    neural = false;
    for (const project::Shot& shot : project.shots) {
        nlohmann::json entry = {{"image", shot.image.generic_string()}, {"prompt", shot.prompt}};
        if (const project::Take* take = shot.activeTake()) {
            neural = neural || take->engine != "animatic";
            entry["take"] = {{"engine", take->engine},     {"model", take->model},
                             {"seed", take->seed},         {"steps", take->steps},
                             {"guidance", take->guidance}, {"shift", take->shift}};
        } else {
            entry["placeholder"] = true;
        }
        shots.push_back(entry);
    }
    return {{"title", project.title}, {"generator", "Storyreel"}, {"shots", shots}};
}

}  // namespace

void exportTimelineMp4(const project::Project& project, const std::filesystem::path& file,
                       const TimelineExportOptions& options, const ProgressSink& progress,
                       const CancelToken& cancel) {
    if (project.shots.empty()) {
        throw UserError("the project has no shots to export");
    }
    const int width = options.width > 0 ? options.width : project.width;
    const int height = options.height > 0 ? options.height : project.height;
    const double fps = options.fps > 0.0 ? options.fps : project.fps;
    const std::vector<Clip> clips = loadClips(project, options, width, height);
    const double total = clips.back().start + clips.back().seconds;
    const int frames = std::max(1, static_cast<int>(std::lround(total * fps)));

    bool neural = false;
    const nlohmann::json description = describe(project, neural);
    media::VideoEncoderSettings settings;
    settings.width = width;
    settings.height = height;
    settings.fps = fps;
    settings.crf = options.crf;
    settings.preset = options.preset;
    settings.metadata = {
        {"title", project.title},
        {"comment", neural ? "Contains AI-generated video made with Storyreel."
                           : "Made with Storyreel from storyboard images; no AI-generated video."},
        {"storyreel_parameters", description.dump()}};
    media::VideoEncoder encoder(file, settings);
    const auto started = std::chrono::steady_clock::now();
    for (int index = 0; index < frames; ++index) {
        cancel.throwIfCancelled();
        encoder.addFrame(frameAt(clips, index / fps));
        if (progress) {
            const double elapsed =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            progress(
                {Phase::Encoding, index + 1, frames, elapsed / (index + 1) * (frames - index - 1)});
        }
    }
    encoder.finish();
    std::filesystem::path sidecar = file;
    sidecar += ".json";
    writeFileAtomically(sidecar, description.dump(2) + "\n");
}

}  // namespace storyreel::render
