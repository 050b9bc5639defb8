#include "core/render/system_report.h"

#include "core/base/version.h"
#include "core/infer/runtime/compute_devices.h"
#include "core/media/media_capabilities.h"

#include <cstdio>

namespace storyreel::render {
namespace {

std::string describe(const infer::ComputeDevice& device) {
    std::string text = device.id + ": " + device.name;
    if (device.totalMemoryBytes > 0) {
        char memory[32];
        std::snprintf(memory, sizeof memory, " (%.1f GiB)",
                      static_cast<double>(device.totalMemoryBytes) / (1024.0 * 1024.0 * 1024.0));
        text += memory;
    }
    return text;
}

}  // namespace

SystemReport systemReport() {
    SystemReport report;
    report.storyreelVersion = kVersion;
    const infer::ComputeInfo compute = infer::probeComputeDevices();
    report.torchVersion = compute.torchVersion + (compute.builtWithCuda ? " (CUDA)" : " (CPU)");
    report.hasCuda = compute.hasCuda();
    for (const infer::ComputeDevice& device : compute.devices) {
        report.computeDevices.push_back(describe(device));
    }
    const media::MediaCapabilities media = media::probeMediaCapabilities();
    report.ffmpegVersion = media.ffmpegVersion;
    report.opencvVersion = media.opencvVersion;
    report.hasH264Encoder = media.hasH264Encoder;
    return report;
}

}  // namespace storyreel::render
