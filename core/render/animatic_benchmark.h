// The Animatic benchmark: the same 1920x1080 push-in (5 s at 24 fps) from the same still,
// rendered to raw frames by Storyreel and by the ffmpeg program's zoompan filter. Prints both
// times, their ratio and both jitter figures as a markdown table.
//
//   std::puts(runAnimaticBenchmark({}).c_str());
//
// Thread-safety: runs on the calling thread; uses the ffmpeg program on PATH.
#pragma once

#include <filesystem>
#include <string>

namespace storyreel::render {

struct AnimaticBenchmarkOptions {
    int width = 1920;
    int height = 1080;
    double seconds = 5.0;
    double fps = 24.0;
    double zoom = 0.18;                // the push-in: 18% over the shot, linear
    std::filesystem::path workFolder;  // empty: the system's temporary folder
};

std::string runAnimaticBenchmark(const AnimaticBenchmarkOptions& options);

}  // namespace storyreel::render
