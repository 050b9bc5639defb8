// The export benchmark: the same frames encoded by Storyreel's in-process encoder and by the
// ffmpeg program with the same x264 settings, timed in one run. Prints a markdown table.
//
//   std::string table = runExportBenchmark({.seconds = 10, .width = 1280, .height = 720});
//
// Thread-safety: runs on the calling thread; uses the ffmpeg program on PATH.
#pragma once

#include <filesystem>
#include <string>

namespace storyreel::render {

struct ExportBenchmarkOptions {
    double seconds = 10.0;
    int width = 1280;
    int height = 720;
    double fps = 24.0;
    int crf = 18;
    std::string preset = "medium";
    std::filesystem::path workFolder;  // empty: the system's temporary folder
};

// Throws UserError when the ffmpeg program is missing or fails.
std::string runExportBenchmark(const ExportBenchmarkOptions& options);

}  // namespace storyreel::render
