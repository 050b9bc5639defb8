// A plain-text account of this build and machine: versions of Storyreel and its libraries,
// and the devices inference can use. Shown by `storyreel-cli --version` and Help > About.
//
//   for (const auto& [label, value] : systemReport()) printf("%s: %s\n", ...);
//
// Thread-safety: may be called from any thread; probes devices on each call.
#pragma once

#include <string>
#include <vector>

namespace storyreel::render {

struct SystemReport {
    std::string storyreelVersion;
    std::string torchVersion;
    std::string ffmpegVersion;
    std::string opencvVersion;
    bool hasH264Encoder = false;
    bool hasCuda = false;
    std::vector<std::string> computeDevices;  // "cpu: CPU", "cuda:0: NVIDIA H100 (80.0 GiB)"
};

SystemReport systemReport();

}  // namespace storyreel::render
