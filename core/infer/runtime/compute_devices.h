// What this process can compute on: the LibTorch it was built with and its devices.
// Torch-free on purpose: core/render passes it to the UI and the CLI.
//
//   ComputeInfo info = probeComputeDevices();
//   if (!info.hasCuda()) { ... offer the Animatic preset ... }
//
// Thread-safety: probeComputeDevices() may be called from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace storyreel::infer {

struct ComputeDevice {
    std::string id;                     // "cpu", "cuda:0"
    std::string name;                   // "CPU", "NVIDIA H100 80GB HBM3"
    std::int64_t totalMemoryBytes = 0;  // 0 when unknown (the CPU)
    int computeCapabilityMajor = 0;
    int computeCapabilityMinor = 0;
};

struct ComputeInfo {
    std::string torchVersion;  // "1.13.0"
    bool builtWithCuda = false;
    std::vector<ComputeDevice> devices;  // the CPU first, then each CUDA device

    bool hasCuda() const { return devices.size() > 1; }
};

ComputeInfo probeComputeDevices();

}  // namespace storyreel::infer
