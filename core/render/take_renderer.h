// Renders a project's Animatic shots into new takes: each take is a lossless FFV1 clip in
// takes/SHOT/ with a JSON beside it of everything that produced it, added to the shot and
// made active, and the project is saved after every take so finished work survives a crash.
// Neural shots (Quality, Fast, Fast (Wan)) render with renderNeuralTake.
//
//   std::vector<TakeReport> done = renderAnimaticTakes(project, {1, 3}, progress, cancel);
//
// Thread-safety: one render per project at a time; the CancelToken may be set from any thread.
#pragma once

#include "core/base/cancel_token.h"
#include "core/base/progress.h"
#include "core/project/project.h"
#include "core/render/engine.h"

#include <filesystem>
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

// Where the neural engines find their files and how they may run.
struct NeuralTakeSettings {
    std::filesystem::path modelsDir;
    std::string memoryProfile = "auto";  // "auto", "8gb" ... "80gb", "cpu"
    // The user acknowledged HunyuanVideo's licence (the app asks once and remembers): the
    // Fast preset's engine refuses to run without it.
    bool hunyuanLicenceAccepted = false;
};

// Renders one take of a neural shot: "quality" or "fast-wan" with the Wan 2.1 engine
// (core/render/wan_engine.h), "fast" with HunyuanVideo-I2V (hunyuan_engine.h), from the
// model files in settings.modelsDir with its memory profile: a lossless .mkv in takes/SHOT/
// with a JSON beside it, returned without changing the project (the caller adds the take
// and saves, as with renderAnimaticTake). The shot's image, prompt, negative prompt and
// seed; the preset's steps, guidance and shift, which the shot's Advanced settings
// override. Wan: the project's width x height as the pixel budget (at most 1280x720), the
// video keeping the image's shape; shot.seconds at 16 fps rounded to 4n+1 frames (5 to 81).
// HunyuanVideo: the 360p, 540p (default) or 720p bucket nearest the image's shape;
// shot.seconds at 24 fps rounded to 4n+1 frames (5 to 129). The engine and its loaded
// models are kept per calling thread, so the worker's next take does not load them again.
// The final latents are kept in takes/SHOT/pending.latents.safetensors until the take is
// written: rendering the same shot again after a failed decode skips the denoising.
// Throws UserError (missing files, out of GPU memory with the profile that would fit, ...)
// or Cancelled with no take file left behind.
project::Take renderNeuralTake(const project::Project& project, std::size_t shotIndex,
                               const NeuralTakeSettings& settings, const ProgressSink& progress,
                               const PreviewSink& preview, const CancelToken& cancel);

// What renderNeuralTake would need for this shot with these settings: peak GPU memory and
// time, whether it fits the GPU's free memory and, if not, the memory profile that would
// (engine.h Estimate). Reads the shot's image header and this device's memory; no model is
// loaded. Throws UserError as renderNeuralTake does for a bad shot, image or profile.
Estimate estimateNeuralTake(const project::Project& project, std::size_t shotIndex,
                            const NeuralTakeSettings& settings);

// `shotNumbers` are 1-based; empty means every shot. Shots whose preset is not Animatic are
// skipped with a message saying where they render (the GUI queue through renderNeuralTake,
// or storyreel-cli generate). Throws UserError for a shot number that does not exist, and
// Cancelled when asked to stop.
std::vector<TakeReport> renderAnimaticTakes(project::Project& project,
                                            const std::vector<int>& shotNumbers,
                                            const ProgressSink& progress,
                                            const CancelToken& cancel);

}  // namespace storyreel::render
