#include "core/render/animatic_engine.h"

#include "core/base/user_error.h"
#include "core/media/image_import.h"
#include "core/media/video_encoder.h"
#include "core/motion/animatic_renderer.h"
#include "core/motion/depth_map.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <chrono>
#include <cstdio>
#include <functional>

namespace storyreel::render {
namespace {

motion::AnimaticOptions animaticOptions(const RenderRequest& request,
                                        const AnimaticExtras& extras) {
    if (request.width < 16 || request.height < 16 || request.frames < 1 || !(request.fps > 0.0)) {
        throw UserError(
            "The Animatic engine needs a size of at least 16x16, one frame or more "
            "and a positive frame rate.");
    }
    motion::AnimaticOptions options;
    options.width = request.width;
    options.height = request.height;
    options.fps = request.fps;
    options.frames = request.frames;
    options.seed = static_cast<std::uint64_t>(request.seed);
    options.shutterAngle = extras.shutterAngle;
    options.life = extras.life;
    return options;
}

// Renders each frame in order, reporting progress and stopping between frames when asked.
void renderEach(const RenderRequest& request, const AnimaticExtras& extras,
                const ProgressSink& progress, const CancelToken& cancel,
                const std::function<void(const cv::Mat&)>& sink) {
    motion::AnimaticOptions options = animaticOptions(request, extras);
    const cv::Mat still = media::importImage(request.image);
    if (!extras.depthMap.empty()) {
        options.depth = motion::loadDepthMap(extras.depthMap, still.size());
    } else if (extras.estimateDepth) {
        options.depth = motion::estimateDepth(still);
    }
    const motion::AnimaticRenderer renderer(still, motion::parseMotionPrompt(request.prompt),
                                            options);
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < renderer.frameCount(); ++i) {
        cancel.throwIfCancelled();
        sink(renderer.frame(i));
        if (progress) {
            const double elapsed =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            progress({Phase::Encoding, i + 1, renderer.frameCount(),
                      elapsed / (i + 1) * (renderer.frameCount() - i - 1)});
        }
    }
}

}  // namespace

Estimate AnimaticEngine::estimate(const RenderRequest& request) const {
    // storyreel-cli bench animatic renders ~650 megapixels a second on two cores; encoding
    // the frames costs several times that, so plan on ~100 megapixels a second in all.
    const double pixels = double(request.width) * request.height * request.frames;
    const int samples = extras_.shutterAngle > 0.0 ? 5 : 1;
    return {0, pixels * samples / 100e6};
}

Frames AnimaticEngine::render(const RenderRequest& request, const ProgressSink& progress,
                              const CancelToken& cancel) {
    Frames frames;
    frames.fps = request.fps;
    renderEach(request, extras_, progress, cancel, [&frames](const cv::Mat& bgr) {
        Frame frame;
        frame.width = bgr.cols;
        frame.height = bgr.rows;
        frame.rgb.resize(std::size_t(bgr.cols) * bgr.rows * 3);
        cv::Mat rgb(bgr.rows, bgr.cols, CV_8UC3, frame.rgb.data());
        cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
        frames.frames.push_back(std::move(frame));
    });
    return frames;
}

PromptReading readMotionPrompt(const std::string& prompt) {
    const motion::MotionPlan plan = motion::parseMotionPrompt(prompt);
    return {plan.understood, plan.ignored};
}

void animateToFile(const RenderRequest& request, const std::filesystem::path& out,
                   const AnimaticExtras& extras, const ProgressSink& progress,
                   const CancelToken& cancel) {
    namespace fs = std::filesystem;
    if (!out.has_extension()) {
        if (fs::exists(out)) {
            throw UserError::inFile(out, "already exists; frames go to a new folder");
        }
        fs::path partial = out;
        partial += ".partial";
        std::error_code error;
        fs::remove_all(partial, error);
        fs::create_directories(partial);
        try {
            int index = 0;
            renderEach(request, extras, progress, cancel, [&](const cv::Mat& frame) {
                char name[32];
                std::snprintf(name, sizeof name, "frame_%06d.png", ++index);
                if (!cv::imwrite((partial / name).string(), frame)) {
                    throw UserError::inFile(partial / name, "cannot be written");
                }
            });
            fs::rename(partial, out);
        } catch (...) {
            fs::remove_all(partial, error);
            throw;
        }
        return;
    }
    media::VideoEncoderSettings settings;
    // .mkv: the lossless take intermediate; anything else: H.264 MP4 to watch and share.
    settings.codec =
        out.extension() == ".mkv" ? media::VideoCodec::Ffv1Mkv : media::VideoCodec::H264Mp4;
    settings.width = request.width;
    settings.height = request.height;
    settings.fps = request.fps;
    settings.metadata = {{"title", request.image.stem().string()},
                         {"comment",
                          "Made with Storyreel's Animatic engine (camera motion over "
                          "a still); no AI-generated video."},
                         {"storyreel_prompt", request.prompt}};
    media::VideoEncoder encoder(out, settings);
    renderEach(request, extras, progress, cancel,
               [&encoder](const cv::Mat& frame) { encoder.addFrame(frame); });
    encoder.finish();
}

}  // namespace storyreel::render
