#include "core/render/neural_support.h"

#include "core/base/user_error.h"
#include "core/infer/memory/device_memory.h"
#include "core/infer/runtime/device_selection.h"
#include "core/media/image_import.h"

#include <ATen/ATen.h>
#include <opencv2/imgproc.hpp>

#include <cstring>
#include <sstream>

namespace storyreel::render {

namespace {

std::string gib(std::int64_t bytes) {
    std::ostringstream text;
    text.precision(1);
    text << std::fixed << static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0) << " GiB";
    return text.str();
}

}  // namespace

std::string memoryProfileName(const RenderRequest& request) {
    if (!request.memoryProfile.empty()) {
        return request.memoryProfile;
    }
    switch (request.memory) {
        case MemoryProfile::Auto:
            return "auto";
        case MemoryProfile::HighVram:
            return "24gb";
        case MemoryProfile::LowVram:
            return "12gb";
        case MemoryProfile::MinimalVram:
            return "8gb";
    }
    return "auto";
}

NeuralPlacement neuralPlacementFor(const RenderRequest& request) {
    NeuralPlacement placement;
    placement.device = infer::selectDevice(request.device);
    const std::string name = memoryProfileName(request);
    placement.profile =
        name == "auto" ? infer::autoProfile(placement.device) : infer::profileByName(name);
    return placement;
}

at::Tensor loadRgbImage(const std::filesystem::path& file) {
    const cv::Mat bgr = media::importImage(file);
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return at::from_blob(rgb.data, {rgb.rows, rgb.cols, 3}, at::TensorOptions().dtype(at::kByte))
        .clone();
}

Frame frameFromRgb(const at::Tensor& rgb) {
    const at::Tensor pixels = rgb.contiguous();
    Frame frame;
    frame.height = static_cast<int>(pixels.size(0));
    frame.width = static_cast<int>(pixels.size(1));
    frame.rgb.resize(static_cast<std::size_t>(pixels.numel()));
    std::memcpy(frame.rgb.data(), pixels.data_ptr<std::uint8_t>(), frame.rgb.size());
    return frame;
}

Frames framesFromVideo(const at::Tensor& video, double fps) {
    Frames frames;
    frames.fps = fps;
    for (std::int64_t i = 0; i < video.size(0); ++i) {
        frames.frames.push_back(frameFromRgb(video[i]));
    }
    return frames;
}

Estimate neuralEstimate(const infer::TransformerShape& shape, std::int64_t tokens,
                        int passesPerStep, const NeuralPlacement& placement, int steps,
                        double storedBytesPerParameter) {
    const bool cuda = placement.device.is_cuda();
    infer::EstimateInput input;
    input.shape = shape;
    input.tokens = tokens;
    input.bytesPerParameter =
        infer::profileBytesPerParameter(placement.profile, storedBytesPerParameter);
    input.activationBytes = cuda ? 2 : 4;
    input.residentBlocks = placement.profile.residentBlocks(
        shape.blockCount,
        static_cast<std::int64_t>(shape.blockParameters * input.bytesPerParameter),
        static_cast<std::int64_t>(shape.otherParameters * input.bytesPerParameter));
    input.passesPerStep = passesPerStep;
    const infer::RunEstimate run = infer::estimateRun(
        input, infer::measureThroughput(placement.device, cuda ? at::kBFloat16 : at::kFloat));
    Estimate estimate;
    estimate.seconds = run.secondsPerStep * steps;
    estimate.device = placement.device.str();
    if (cuda) {
        estimate.peakGpuBytes = run.peakBytes;
        try {
            estimate.freeGpuBytes = infer::deviceMemory(placement.device).freeBytes;
        } catch (const UserError&) {
            estimate.freeGpuBytes = 0;  // unknown: say nothing about fitting
        }
        if (estimate.freeGpuBytes > 0 && !run.fits(estimate.freeGpuBytes)) {
            estimate.fits = false;
            if (const auto fits = infer::suggestProfile(
                    input.shape, input.tokens, storedBytesPerParameter, estimate.freeGpuBytes)) {
                estimate.suggestedProfile = fits->name;
            }
        }
    }
    return estimate;
}

std::string outOfMemoryMessage(const NeuralPlacement& placement,
                               const infer::TransformerShape& shape, std::int64_t tokens,
                               double storedBytesPerParameter, int frames) {
    std::int64_t freeBytes = 0;
    try {
        freeBytes = infer::deviceMemory(placement.device).freeBytes;
    } catch (const UserError&) {
    }
    std::string message = "the GPU ran out of memory with the memory profile '" +
                          placement.profile.name + "' (" + gib(freeBytes) + " free). ";
    if (const auto fits =
            infer::suggestProfile(shape, tokens, storedBytesPerParameter, freeBytes)) {
        return message + "The memory profile '" + fits->name +
               "' should fit this render: choose it and render again.";
    }
    return message + "No memory profile fits " + std::to_string(frames) +
           " frames at this size on this GPU: use fewer frames or a smaller size.";
}

}  // namespace storyreel::render
