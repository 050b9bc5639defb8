#include "core/render/timeline_export.h"

#include "core/base/atomic_file.h"
#include "core/base/user_error.h"
#include "core/media/frame_fit.h"
#include "core/media/frame_rate_converter.h"
#include "core/media/image_import.h"
#include "core/media/video_decoder.h"
#include "core/media/video_encoder.h"
#include "core/render/timeline_plan.h"

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace storyreel::render {
namespace {

// One planned clip with its pictures, fitted to the output frame.
struct Clip {
    PlannedClip plan;
    std::vector<cv::Mat> pictures;                         // one for a still; every frame of a take
    double sourceFps = 0.0;                                // the take's rate; 0 for a still
    std::unique_ptr<media::FrameRateConverter> converter;  // made once pictures stay put

    // The picture for output frame `frame` (at `fps`), converted from the take's rate.
    cv::Mat at(long frame, double fps, media::FrameRateMethod method) {
        if (sourceFps <= 0.0) {
            return pictures.front();
        }
        if (!converter) {
            converter = std::make_unique<media::FrameRateConverter>(pictures, sourceFps, method);
        }
        return converter->at((plan.sourceIn + frame - plan.recordIn) / fps);
    }
};

Clip loadClip(const PlannedClip& plan, int width, int height) {
    Clip clip{plan, {}, 0.0, nullptr};
    if (plan.still) {
        clip.pictures.push_back(media::fitToFrame(media::importImage(plan.source), width, height));
        return clip;
    }
    media::VideoDecoder decoder(plan.source);
    clip.sourceFps = decoder.fps() > 0.0 ? decoder.fps() : plan.take->fps;
    cv::Mat frame;
    while (decoder.read(frame)) {
        clip.pictures.push_back(media::fitToFrame(frame, width, height).clone());
    }
    if (clip.pictures.empty()) {
        throw UserError::inFile(plan.source, "the take has no frames");
    }
    return clip;
}

// The output picture for one frame: one clip, or two blended during a crossfade.
cv::Mat frameAt(std::vector<Clip>& clips, long frame, double fps, media::FrameRateMethod method) {
    for (std::size_t i = 0; i < clips.size(); ++i) {
        Clip& clip = clips[i];
        if (frame >= clip.plan.recordOut() && i + 1 < clips.size()) {
            continue;
        }
        Clip* next = i + 1 < clips.size() ? &clips[i + 1] : nullptr;
        if (next && next->plan.fadeIn > 0 && frame >= next->plan.recordIn) {
            const double alpha =
                double(frame - next->plan.recordIn + 1) / double(next->plan.fadeIn + 1);
            cv::Mat blended;
            cv::addWeighted(clip.at(frame, fps, method), 1.0 - alpha, next->at(frame, fps, method),
                            alpha, 0.0, blended);
            return blended;
        }
        return clip.at(frame, fps, method).clone();
    }
    return clips.back().pictures.back();
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

namespace {

struct OutputShape {
    int width = 0;
    int height = 0;
    double fps = 0.0;
};

OutputShape outputShape(const project::Project& project, const TimelineExportOptions& options) {
    return {options.width > 0 ? options.width : project.width,
            options.height > 0 ? options.height : project.height,
            options.fps > 0.0 ? options.fps : project.fps};
}

// Renders every frame of the timeline in order and hands it to `sink`.
void renderFrames(const project::Project& project, const TimelineExportOptions& options,
                  const ProgressSink& progress, const CancelToken& cancel,
                  const std::function<void(const cv::Mat&)>& sink) {
    const TimelinePlan plan = planTimeline(project, options.usePlaceholders);
    const OutputShape shape = outputShape(project, options);
    std::vector<Clip> clips;
    for (const PlannedClip& planned : plan.clips) {
        cancel.throwIfCancelled();
        clips.push_back(loadClip(planned, shape.width, shape.height));
    }
    // The plan counts frames at the project's rate; another output rate resamples it.
    const long frames = std::max(1L, std::lround(plan.totalFrames() * shape.fps / project.fps));
    const auto started = std::chrono::steady_clock::now();
    for (long index = 0; index < frames; ++index) {
        cancel.throwIfCancelled();
        const auto planFrame = static_cast<long>(index * project.fps / shape.fps);
        sink(frameAt(clips, planFrame, project.fps, options.frameRateMethod));
        if (progress) {
            const double elapsed =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            progress({Phase::Encoding, int(index + 1), int(frames),
                      elapsed / double(index + 1) * double(frames - index - 1)});
        }
    }
}

}  // namespace

void exportTimelineMp4(const project::Project& project, const std::filesystem::path& file,
                       const TimelineExportOptions& options, const ProgressSink& progress,
                       const CancelToken& cancel) {
    bool neural = false;
    const nlohmann::json description = describe(project, neural);
    const OutputShape shape = outputShape(project, options);
    media::VideoEncoderSettings settings;
    settings.width = shape.width;
    settings.height = shape.height;
    settings.fps = shape.fps;
    settings.crf = options.crf;
    settings.preset = options.preset;
    settings.metadata = {
        {"title", project.title},
        {"comment", neural ? "Contains AI-generated video made with Storyreel."
                           : "Made with Storyreel from storyboard images; no AI-generated video."},
        {"storyreel_parameters", description.dump()}};
    media::VideoEncoder encoder(file, settings);
    renderFrames(project, options, progress, cancel,
                 [&encoder](const cv::Mat& frame) { encoder.addFrame(frame); });
    encoder.finish();
    std::filesystem::path sidecar = file;
    sidecar += ".json";
    writeFileAtomically(sidecar, description.dump(2) + "\n");
}

void exportTimelinePngs(const project::Project& project, const std::filesystem::path& folder,
                        const TimelineExportOptions& options, const ProgressSink& progress,
                        const CancelToken& cancel) {
    namespace fs = std::filesystem;
    if (fs::exists(folder)) {
        throw UserError::inFile(folder, "already exists; image sequences go to a new folder");
    }
    fs::path partial = folder;
    partial += ".partial";
    std::error_code error;
    fs::remove_all(partial, error);
    fs::create_directories(partial);
    try {
        long index = 0;
        renderFrames(project, options, progress, cancel, [&](const cv::Mat& frame) {
            char name[32];
            std::snprintf(name, sizeof name, "frame_%06ld.png", ++index);
            if (!cv::imwrite((partial / name).string(), frame)) {
                throw UserError::inFile(partial / name, "cannot be written");
            }
        });
        bool neural = false;
        writeFileAtomically(partial / "storyreel.json", describe(project, neural).dump(2) + "\n");
        fs::rename(partial, folder);
    } catch (...) {
        fs::remove_all(partial, error);
        throw;
    }
}

void exportShotClips(const project::Project& project, const std::filesystem::path& folder,
                     const TimelineExportOptions& options, const ProgressSink& progress,
                     const CancelToken& cancel) {
    planTimeline(project, options.usePlaceholders);  // every shot must be exportable
    if (!std::filesystem::is_directory(folder)) {
        throw UserError::inFile(folder, "is not a folder");
    }
    for (std::size_t i = 0; i < project.shots.size(); ++i) {
        project::Project single = project;
        single.shots = {project.shots[i]};
        single.shots[0].transition = {};
        char name[32];
        std::snprintf(name, sizeof name, "shot_%02zu.mp4", i + 1);
        exportTimelineMp4(single, folder / name, options, progress, cancel);
    }
}

}  // namespace storyreel::render
