#include "core/render/take_renderer.h"

#include "core/base/atomic_file.h"
#include "core/base/user_error.h"
#include "core/project/project_writer.h"
#include "core/render/animatic_engine.h"
#include "core/render/engine_catalog.h"
#include "core/render/frames_writer.h"
#include "core/render/hunyuan_engine.h"
#include "core/render/preset_defaults.h"
#include "core/render/wan_engine.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>

namespace storyreel::render {
namespace {

std::string utcNow() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

// Above every take the shot has and every take file on disk: a job queued before an earlier
// one finished sees an older shot, and a take deleted from the project (undoably) keeps its
// file; neither may be overwritten.
std::string nextTakeId(const project::Project& project, const project::Shot& shot) {
    int highest = 0;
    for (const project::Take& take : shot.takes) {
        if (take.id.starts_with("take-")) {
            highest = std::max(highest, std::atoi(take.id.c_str() + 5));
        }
    }
    std::error_code error;
    for (const auto& entry :
         std::filesystem::directory_iterator(project.folder / "takes" / shot.id, error)) {
        const std::string name = entry.path().stem().string();
        if (name.starts_with("take-")) {
            highest = std::max(highest, std::atoi(name.c_str() + 5));
        }
    }
    return "take-" + std::to_string(highest + 1);
}

nlohmann::json takeJson(const project::Take& take, const project::Shot& shot) {
    return {{"take", take.id},       {"shot", shot.id},
            {"engine", take.engine}, {"image", shot.image.generic_string()},
            {"prompt", take.prompt}, {"negativePrompt", take.negativePrompt},
            {"seed", take.seed},     {"width", take.width},
            {"height", take.height}, {"frames", take.frames},
            {"fps", take.fps},       {"secondsTaken", take.secondsTaken},
            {"device", take.device}, {"createdAt", take.createdAt},
            {"aiGenerated", false}};
}

}  // namespace

project::Take renderAnimaticTake(const project::Project& project, std::size_t shotIndex,
                                 const ProgressSink& progress, const CancelToken& cancel) {
    if (shotIndex >= project.shots.size()) {
        throw UserError("there is no shot " + std::to_string(shotIndex + 1));
    }
    const project::Shot& shot = project.shots[shotIndex];
    if (shot.preset != "animatic") {
        throw UserError("shot " + std::to_string(shotIndex + 1) + " uses the preset '" +
                        shot.preset + "', which the Animatic engine does not render");
    }
    project::Take take;
    take.id = nextTakeId(project, shot);
    take.file = std::filesystem::path("takes") / shot.id / (take.id + ".mkv");
    take.engine = "animatic";
    take.prompt = shot.prompt;
    take.negativePrompt = shot.negativePrompt;
    take.seed = shot.seed;
    const FrameSize size = renderSize(project, shot);
    take.width = size.width;
    take.height = size.height;
    take.fps = renderFps(project, shot);
    take.frames = std::max(1, static_cast<int>(std::lround(shot.seconds * take.fps)));
    take.device = "cpu";
    take.createdAt = utcNow();

    RenderRequest request;
    request.image = project.imagePath(shot);
    request.prompt = shot.prompt;
    request.seed = shot.seed;
    request.frames = take.frames;
    request.fps = take.fps;
    request.width = take.width;
    request.height = take.height;
    const std::filesystem::path file = project.folder / take.file;
    std::filesystem::create_directories(file.parent_path());
    const auto started = std::chrono::steady_clock::now();
    animateToFile(request, file, {}, progress, cancel);
    take.secondsTaken =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::filesystem::path sidecar = file;
    sidecar.replace_extension(".json");
    writeFileAtomically(sidecar, takeJson(take, shot).dump(2) + "\n");
    return take;
}

namespace {

// The preset's request with the shot's image, prompt, negative prompt and seed, and frames
// for its length: 4n+1 at the preset's frame rate, from 5 up to the preset's default count
// (Wan 2.1: 81 at 16 fps; HunyuanVideo: 129 at 24 fps), which is the most it makes.
void applyShot(const project::Project& project, const project::Shot& shot, RenderRequest& request) {
    request.image = project.imagePath(shot);
    request.prompt = shot.prompt;
    request.negativePrompt = shot.negativePrompt;
    request.seed = shot.seed;
    const long n = std::lround((shot.seconds * request.fps - 1.0) / 4.0);
    request.frames =
        static_cast<int>(std::clamp(n, 1L, static_cast<long>((request.frames - 1) / 4)) * 4 + 1);
}

// What the user set in the shot's Advanced settings wins over the preset's defaults; the
// guidance goes to `guidance` (Wan's classifier-free, HunyuanVideo's embedded one). The
// shot's memory profile, else the application's, else "auto".
void applyShotSettings(const project::Shot& shot, const std::string& memoryProfile,
                       RenderRequest& request, double& guidance) {
    if (shot.render.steps > 0) {
        request.steps = shot.render.steps;
    }
    if (shot.render.guidance > 0.0) {
        guidance = shot.render.guidance;
    }
    if (shot.render.shift > 0.0) {
        request.shift = shot.render.shift;
    }
    const std::string profile =
        shot.render.memoryProfile.empty() ? memoryProfile : shot.render.memoryProfile;
    request.memoryProfile = profile.empty() ? "auto" : profile;
}

// The request for a Wan 2.1 shot: the preset's defaults, the shot's image, prompt, seed and
// length, its size as the pixel budget, and its Advanced settings over the defaults.
RenderRequest wanRequestFor(const project::Project& project, std::size_t shotIndex,
                            const std::string& memoryProfile) {
    if (shotIndex >= project.shots.size()) {
        throw UserError("there is no shot " + std::to_string(shotIndex + 1));
    }
    const project::Shot& shot = project.shots[shotIndex];
    if (shot.preset != "quality" && shot.preset != "fast-wan") {
        throw UserError("shot " + std::to_string(shotIndex + 1) + " uses the preset '" +
                        shot.preset + "', which the Wan 2.1 engine does not render");
    }
    RenderRequest request = wanPresetRequest(shot.preset);
    applyShot(project, shot, request);
    // The pixel budget: the shot's size (480p by default: generate.py's 832x480 area), or the
    // project's, up to 720p (what Wan 2.1 was trained for); the video keeps the image's shape.
    const std::string size =
        shot.render.size.empty() ? presetDefaults(shot.preset).size : shot.render.size;
    static const std::map<std::string, std::pair<int, int>> kBudgets = {
        {"384p", {672, 384}}, {"480p", {832, 480}}, {"540p", {960, 544}}, {"720p", {1280, 720}}};
    if (const auto budget = kBudgets.find(size); budget != kBudgets.end()) {
        request.width = budget->second.first;
        request.height = budget->second.second;
    } else {
        const bool above720p =
            std::int64_t{project.width} * project.height > std::int64_t{1280} * 720;
        request.width = above720p ? 1280 : project.width;
        request.height = above720p ? 720 : project.height;
    }
    // generate.py's shift is 3 only at 480p.
    if (shot.preset == "quality" && request.width * request.height != 832 * 480) {
        request.shift = 5.0;
    }
    applyShotSettings(shot, memoryProfile, request, request.guidance);
    return request;
}

// The HunyuanVideo bucket for a size setting: the named one, or the nearest to the
// project's short side ("project").
std::string hunyuanResolutionFor(const std::string& size, const project::Project& project) {
    int lines = std::min(project.width, project.height);
    if (size.size() > 1 && size.back() == 'p') {
        lines = std::atoi(size.c_str());
    }
    return lines <= 400 ? "360p" : lines <= 600 ? "540p" : "720p";
}

// The request for a HunyuanVideo-I2V shot: the released defaults, the shot's image, prompt,
// seed and length, the bucket of its size (540p by default), its Advanced settings over the
// defaults (guidance is the embedded guidance).
RenderRequest hunyuanRequestFor(const project::Project& project, std::size_t shotIndex,
                                const std::string& memoryProfile) {
    const project::Shot& shot = project.shots.at(shotIndex);
    RenderRequest request = hunyuanPresetRequest();
    applyShot(project, shot, request);
    request.resolution = hunyuanResolutionFor(
        shot.render.size.empty() ? presetDefaults(shot.preset).size : shot.render.size, project);
    applyShotSettings(shot, memoryProfile, request, request.embeddedGuidance);
    return request;
}

// One engine per preset, folder and thread: the worker thread keeps the models loaded.
WanEngine& wanEngineFor(const std::string& preset, const std::filesystem::path& modelsDir) {
    thread_local std::map<std::string, std::unique_ptr<WanEngine>> engines;
    std::unique_ptr<WanEngine>& engine = engines[preset + "|" + modelsDir.string()];
    if (!engine) {
        engine = std::make_unique<WanEngine>(WanEngineSettings{modelsDir, preset});
    }
    return *engine;
}

HunyuanEngine& hunyuanEngineFor(const NeuralTakeSettings& settings) {
    thread_local std::map<std::string, std::unique_ptr<HunyuanEngine>> engines;
    std::unique_ptr<HunyuanEngine>& engine =
        engines[settings.modelsDir.string() + (settings.hunyuanLicenceAccepted ? "|1" : "|0")];
    if (!engine) {
        engine = std::make_unique<HunyuanEngine>(
            HunyuanEngineSettings{settings.modelsDir, settings.hunyuanLicenceAccepted});
    }
    return *engine;
}

bool isHunyuanShot(const project::Project& project, std::size_t shotIndex) {
    if (shotIndex >= project.shots.size()) {
        throw UserError("there is no shot " + std::to_string(shotIndex + 1));
    }
    return project.shots[shotIndex].preset == "fast";
}

RenderRequest neuralRequestFor(const project::Project& project, std::size_t shotIndex,
                               const NeuralTakeSettings& settings) {
    return isHunyuanShot(project, shotIndex)
               ? hunyuanRequestFor(project, shotIndex, settings.memoryProfile)
               : wanRequestFor(project, shotIndex, settings.memoryProfile);
}

}  // namespace

Estimate estimateNeuralTake(const project::Project& project, std::size_t shotIndex,
                            const NeuralTakeSettings& settings) {
    const RenderRequest request = neuralRequestFor(project, shotIndex, settings);
    if (isHunyuanShot(project, shotIndex)) {
        return hunyuanEngineFor(settings).estimate(request);
    }
    return wanEngineFor(project.shots[shotIndex].preset, settings.modelsDir).estimate(request);
}

project::Take renderNeuralTake(const project::Project& project, std::size_t shotIndex,
                               const NeuralTakeSettings& settings, const ProgressSink& progress,
                               const PreviewSink& preview, const CancelToken& cancel) {
    RenderRequest request = neuralRequestFor(project, shotIndex, settings);
    const project::Shot& shot = project.shots[shotIndex];
    const bool hunyuan = isHunyuanShot(project, shotIndex);
    const std::string model = hunyuan ? "HunyuanVideo-I2V" : "Wan 2.1 I2V 14B";
    const std::filesystem::path folder = project.folder / "takes" / shot.id;
    std::filesystem::create_directories(folder);
    request.latentFile = folder / "pending.latents.safetensors";

    project::Take take;
    take.id = nextTakeId(project, shot);
    take.file = std::filesystem::path("takes") / shot.id / (take.id + ".mkv");
    take.engine = shot.preset;
    take.model = model;
    take.prompt = shot.prompt;
    take.negativePrompt = shot.negativePrompt;
    take.seed = shot.seed;
    take.steps = request.steps;
    take.guidance = hunyuan ? request.embeddedGuidance : request.guidance;
    take.shift = request.shift;
    take.fps = request.fps;
    take.frames = request.frames;
    take.createdAt = utcNow();
    const auto started = std::chrono::steady_clock::now();
    Frames frames;
    if (hunyuan) {
        HunyuanEngine& engine = hunyuanEngineFor(settings);
        frames = engine.render(request, progress, preview, cancel);
        take.device = engine.lastDevice();
    } else {
        WanEngine& engine = wanEngineFor(shot.preset, settings.modelsDir);
        frames = engine.render(request, progress, preview, cancel);
        take.device = engine.lastDevice();
    }
    take.secondsTaken =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    take.width = frames.frames.front().width;
    take.height = frames.frames.front().height;
    take.frames = static_cast<int>(frames.frames.size());
    const std::filesystem::path file = project.folder / take.file;
    writeFrames(frames, file,
                {{"title", request.image.stem().string()},
                 {"comment", "AI-generated video: made by Storyreel with " + model + " (" +
                                 shot.preset + ")."},
                 {"storyreel_prompt", request.prompt}});
    nlohmann::json json = takeJson(take, shot);
    json["aiGenerated"] = true;
    json["model"] = model;
    json["steps"] = take.steps;
    json["guidance"] = take.guidance;
    json["shift"] = take.shift;
    if (hunyuan) {
        json["resolution"] = request.resolution;
        json["mode"] = request.stableMotion ? "stable" : "dynamic";
        json["cfgScale"] = request.guidance;
    } else {
        json["sampler"] = request.sampler;
    }
    json["memoryProfile"] = request.memoryProfile;
    std::filesystem::path sidecar = file;
    sidecar.replace_extension(".json");
    writeFileAtomically(sidecar, json.dump(2) + "\n");
    std::error_code ignored;
    std::filesystem::remove(request.latentFile, ignored);
    return take;
}

std::vector<TakeReport> renderAnimaticTakes(project::Project& project,
                                            const std::vector<int>& shotNumbers,
                                            const ProgressSink& progress,
                                            const CancelToken& cancel) {
    std::vector<int> numbers = shotNumbers;
    if (numbers.empty()) {
        for (std::size_t i = 0; i < project.shots.size(); ++i) {
            numbers.push_back(static_cast<int>(i + 1));
        }
    }
    for (const int number : numbers) {
        if (number < 1 || number > static_cast<int>(project.shots.size())) {
            throw UserError("there is no shot " + std::to_string(number) + " (the project has " +
                            std::to_string(project.shots.size()) + ")");
        }
    }
    std::vector<TakeReport> reports;
    for (const int number : numbers) {
        project::Shot& shot = project.shots[static_cast<std::size_t>(number - 1)];
        if (shot.preset != "animatic") {
            const std::optional<PresetInfo> preset = findPreset(shot.preset);
            reports.push_back(
                {number, "",
                 "skipped: its preset '" + shot.preset + "' runs " +
                     (preset ? preset->engine : std::string("an unknown engine")) +
                     ", which renders in the application's render queue or, one clip at a "
                     "time, with storyreel-cli generate; render makes Animatic takes only"});
            continue;
        }
        const project::Take take =
            renderAnimaticTake(project, static_cast<std::size_t>(number - 1), progress, cancel);
        shot.takes.push_back(take);
        shot.activeTakeId = take.id;
        project::saveProject(project);  // each finished take is kept, whatever comes next
        reports.push_back({number, take.id, "rendered " + take.file.generic_string()});
    }
    return reports;
}

}  // namespace storyreel::render
