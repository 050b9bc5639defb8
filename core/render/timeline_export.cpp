#include "core/render/timeline_export.h"

#include "core/base/atomic_file.h"
#include "core/base/user_error.h"
#include "core/media/video_encoder.h"
#include "core/render/timeline_frames.h"
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
    const OutputShape shape = outputShape(project, options);
    TimelineFrames timeline(planTimeline(project, options.usePlaceholders), shape.width,
                            shape.height, options.frameRateMethod);
    timeline.decodeAll();
    cancel.throwIfCancelled();
    // The plan counts frames at the project's rate; another output rate resamples it.
    const long frames = std::max(1L, std::lround(timeline.frameCount() * shape.fps / project.fps));
    const auto started = std::chrono::steady_clock::now();
    for (long index = 0; index < frames; ++index) {
        cancel.throwIfCancelled();
        const auto planFrame = static_cast<long>(index * project.fps / shape.fps);
        sink(timeline.at(planFrame));
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
