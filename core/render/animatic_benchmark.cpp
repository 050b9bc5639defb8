#include "core/render/animatic_benchmark.h"

#include "core/base/user_error.h"
#include "core/motion/animatic_renderer.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

namespace storyreel::render {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kPeriod = 96.0;  // source pixels per stripe

// Stripes (a sine of x) over faint texture: the stripes' phase at the centre of each frame
// tells where the zoom's centre really is, to a hundredth of a pixel.
cv::Mat benchmarkStill(int width, int height) {
    cv::Mat still(height, width, CV_8UC3);
    cv::Mat texture(height, width, CV_8UC3);
    cv::RNG(23).fill(texture, cv::RNG::UNIFORM, 0, 40);
    cv::GaussianBlur(texture, texture, cv::Size(0, 0), 3.0);
    for (int x = 0; x < width; ++x) {
        still.col(x).setTo(cv::Scalar::all(108 + 90 * std::sin(2 * CV_PI * x / kPeriod)));
    }
    return still + texture;
}

// The stripes' offset from the frame's centre, in output pixels, measured on a Hann-weighted
// band around the centre at the period the ideal zoom gives this frame.
double centreOffset(const cv::Mat& frame, double zoom) {
    const double period = kPeriod * zoom;
    cv::Mat grey;
    cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY);
    const int centreX = frame.cols / 2;
    const int half = std::min(static_cast<int>(period * 3), frame.cols / 2 - 1);
    const cv::Mat band = grey.rowRange(frame.rows / 2 - 64, frame.rows / 2 + 64);
    double s = 0.0;
    double c = 0.0;
    for (int dx = -half; dx <= half; ++dx) {
        const double weight = 0.5 + 0.5 * std::cos(CV_PI * dx / half);
        const double value = cv::mean(band.col(centreX + dx))[0] * weight;
        s += value * std::sin(2 * CV_PI * dx / period);
        c += value * std::cos(2 * CV_PI * dx / period);
    }
    return std::atan2(c, s) / (2 * CV_PI) * period;
}

// RMS of the second difference of the centre's position: 0 for a steady zoom.
double jitter(const std::vector<double>& offsets) {
    double sum = 0.0;
    for (std::size_t i = 2; i < offsets.size(); ++i) {
        const double second = offsets[i] - 2 * offsets[i - 1] + offsets[i - 2];
        sum += second * second;
    }
    return offsets.size() > 2 ? std::sqrt(sum / double(offsets.size() - 2)) : 0.0;
}

double zoomAt(int frame, int frames, double zoom) {
    return 1.0 + zoom * frame / double(std::max(1, frames - 1));
}

// Runs zoompan over the still and hands each raw frame to `sink` (when given).
double runZoompan(const std::filesystem::path& still, const AnimaticBenchmarkOptions& options,
                  int frames, const std::function<void(int, const cv::Mat&)>& sink) {
    char filter[512];
    std::snprintf(filter, sizeof filter,
                  "zoompan=z='1+%g*on/%d':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=%d:"
                  "s=%dx%d:fps=%g",
                  options.zoom, frames - 1, frames, options.width, options.height, options.fps);
    const std::string command = "ffmpeg -v error -loop 1 -framerate " +
                                std::to_string(options.fps) + " -i '" + still.string() +
                                "' -vf \"" + filter + "\" -frames:v " + std::to_string(frames) +
                                " -f rawvideo -pix_fmt bgr24 -";
    const auto start = Clock::now();
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) {
        throw UserError("cannot start the ffmpeg program");
    }
    cv::Mat frame(options.height, options.width, CV_8UC3);
    const std::size_t bytes = frame.total() * frame.elemSize();
    int index = 0;
    while (std::fread(frame.data, 1, bytes, pipe) == bytes) {
        if (sink) {
            sink(index, frame);
        }
        ++index;
    }
    if (pclose(pipe) != 0 || index != frames) {
        throw UserError("the ffmpeg program's zoompan failed: " + command);
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

std::string runAnimaticBenchmark(const AnimaticBenchmarkOptions& options) {
    const int frames = static_cast<int>(std::lround(options.seconds * options.fps));
    const cv::Mat still = benchmarkStill(options.width, options.height);
    const std::filesystem::path folder =
        options.workFolder.empty() ? std::filesystem::temp_directory_path() : options.workFolder;
    const std::filesystem::path stillFile = folder / "storyreel_bench_animatic.png";
    cv::imwrite(stillFile.string(), still);

    motion::AnimaticOptions animatic;
    animatic.width = options.width;
    animatic.height = options.height;
    animatic.fps = options.fps;
    animatic.frames = frames;
    char prompt[64];
    std::snprintf(prompt, sizeof prompt, "linear zoom in %g%%", options.zoom * 100.0);
    const motion::AnimaticRenderer renderer(still, motion::parseMotionPrompt(prompt), animatic);

    // Timed passes produce raw frames and do nothing else; measured passes follow.
    auto start = Clock::now();
    double checksum = 0.0;
    for (int i = 0; i < frames; ++i) {
        checksum += renderer.frame(i).data[0];
    }
    const double ours = std::chrono::duration<double>(Clock::now() - start).count();
    const double theirs = runZoompan(stillFile, options, frames, {});

    std::vector<double> ourOffsets;
    for (int i = 0; i < frames; ++i) {
        ourOffsets.push_back(centreOffset(renderer.frame(i), zoomAt(i, frames, options.zoom)));
    }
    std::vector<double> theirOffsets;
    runZoompan(stillFile, options, frames, [&](int index, const cv::Mat& frame) {
        theirOffsets.push_back(centreOffset(frame, zoomAt(index, frames, options.zoom)));
    });
    std::filesystem::remove(stillFile);

    const double ourJitter = jitter(ourOffsets);
    const double theirJitter = jitter(theirOffsets);
    char table[1024];
    std::snprintf(table, sizeof table,
                  "Animatic push-in: %d frames %dx%d at %g fps, zoom +%g%% (linear), to raw "
                  "frames\n\n"
                  "| renderer | seconds | frames/s | jitter (px, RMS 2nd difference) |\n"
                  "| --- | --- | --- | --- |\n"
                  "| Storyreel Animatic | %.2f | %.1f | %.4f |\n"
                  "| ffmpeg zoompan | %.2f | %.1f | %.4f |\n\n"
                  "speed: Storyreel %.2fx zoompan (target >= 2); jitter: zoompan / Storyreel = "
                  "%.1fx (target >= 10)\n",
                  frames, options.width, options.height, options.fps, options.zoom * 100.0, ours,
                  frames / ours, ourJitter, theirs, frames / theirs, theirJitter, theirs / ours,
                  ourJitter > 0.0 ? theirJitter / ourJitter : 0.0);
    (void)checksum;
    return table;
}

}  // namespace storyreel::render
