#include "core/render/export_benchmark.h"

#include "core/base/user_error.h"
#include "core/media/video_encoder.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <chrono>
#include <cstdio>
#include <vector>

namespace storyreel::render {
namespace {

using Clock = std::chrono::steady_clock;

// A slow pan over drawn artwork, made before timing so both encoders get the same frames.
std::vector<cv::Mat> makeFrames(const ExportBenchmarkOptions& options) {
    const int count = static_cast<int>(options.seconds * options.fps + 0.5);
    cv::Mat artwork(options.height + count, options.width + 2 * count, CV_8UC3,
                    cv::Scalar(200, 215, 225));
    cv::RNG rng(11);
    for (int i = 0; i < 300; ++i) {
        cv::circle(artwork, {rng.uniform(0, artwork.cols), rng.uniform(0, artwork.rows)},
                   rng.uniform(10, 120),
                   cv::Scalar(rng.uniform(30, 230), rng.uniform(30, 230), rng.uniform(30, 230)),
                   cv::FILLED, cv::LINE_AA);
    }
    cv::GaussianBlur(artwork, artwork, cv::Size(0, 0), 1.5);
    std::vector<cv::Mat> frames;
    for (int i = 0; i < count; ++i) {
        frames.push_back(artwork(cv::Rect(2 * i, i, options.width, options.height)).clone());
    }
    return frames;
}

double encodeInProcess(const std::vector<cv::Mat>& frames, const ExportBenchmarkOptions& options,
                       const std::filesystem::path& file) {
    const auto start = Clock::now();
    media::VideoEncoderSettings settings;
    settings.width = options.width;
    settings.height = options.height;
    settings.fps = options.fps;
    settings.crf = options.crf;
    settings.preset = options.preset;
    media::VideoEncoder encoder(file, settings);
    for (const cv::Mat& frame : frames) {
        encoder.addFrame(frame);
    }
    encoder.finish();
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// The ffmpeg program with the same codec settings, fed the same raw frames on stdin.
double encodeWithFfmpeg(const std::vector<cv::Mat>& frames, const ExportBenchmarkOptions& options,
                        const std::filesystem::path& file) {
    const std::string command =
        "ffmpeg -v error -y -f rawvideo -pix_fmt bgr24 -s " + std::to_string(options.width) + "x" +
        std::to_string(options.height) + " -r " + std::to_string(options.fps) +
        " -i - -vf scale=out_color_matrix=bt709:out_range=tv:flags=bicubic -c:v libx264 -crf " +
        std::to_string(options.crf) + " -preset " + options.preset +
        " -pix_fmt yuv420p -colorspace bt709 -color_primaries bt709 -color_trc bt709"
        " -movflags +faststart '" +
        file.string() + "'";
    const auto start = Clock::now();
    FILE* pipe = popen(command.c_str(), "w");
    if (!pipe) {
        throw UserError("cannot start the ffmpeg program");
    }
    for (const cv::Mat& frame : frames) {
        std::fwrite(frame.data, 1, frame.total() * frame.elemSize(), pipe);
    }
    if (pclose(pipe) != 0) {
        throw UserError("the ffmpeg program failed (is it installed?): " + command);
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

std::string runExportBenchmark(const ExportBenchmarkOptions& options) {
    const std::vector<cv::Mat> frames = makeFrames(options);
    const std::filesystem::path folder =
        options.workFolder.empty() ? std::filesystem::temp_directory_path() : options.workFolder;
    const auto ours = folder / "storyreel_bench_export.mp4";
    const auto theirs = folder / "storyreel_bench_ffmpeg.mp4";
    // Alternate the order so neither side always runs with a cold cache.
    const double ffmpegFirst = encodeWithFfmpeg(frames, options, theirs);
    const double storyreel = encodeInProcess(frames, options, ours);
    const double ffmpegSecond = encodeWithFfmpeg(frames, options, theirs);
    const double ffmpeg = std::min(ffmpegFirst, ffmpegSecond);
    char table[1024];
    std::snprintf(table, sizeof table,
                  "Export: %zu frames %dx%d at %.0f fps, libx264 CRF %d preset %s\n\n"
                  "| encoder | seconds | frames/s |\n| --- | --- | --- |\n"
                  "| Storyreel (in process) | %.2f | %.1f |\n"
                  "| ffmpeg program (best of 2) | %.2f | %.1f |\n\n"
                  "ratio Storyreel / ffmpeg: %.3f (target <= 1.05)\n",
                  frames.size(), options.width, options.height, options.fps, options.crf,
                  options.preset.c_str(), storyreel, frames.size() / storyreel, ffmpeg,
                  frames.size() / ffmpeg, storyreel / ffmpeg);
    std::filesystem::remove(ours);
    std::filesystem::remove(theirs);
    return table;
}

}  // namespace storyreel::render
