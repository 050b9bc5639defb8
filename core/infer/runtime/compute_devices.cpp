#include "core/infer/runtime/compute_devices.h"

#include <torch/cuda.h>
#include <torch/version.h>

#ifdef STORYREEL_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#endif

namespace storyreel::infer {
namespace {

ComputeDevice cudaDevice(int index) {
    ComputeDevice device;
    device.id = "cuda:" + std::to_string(index);
    device.name = "CUDA device " + std::to_string(index);
#ifdef STORYREEL_WITH_CUDA
    const auto* properties = at::cuda::getDeviceProperties(index);
    device.name = properties->name;
    device.totalMemoryBytes = static_cast<std::int64_t>(properties->totalGlobalMem);
    device.computeCapabilityMajor = properties->major;
    device.computeCapabilityMinor = properties->minor;
#endif
    return device;
}

}  // namespace

ComputeInfo probeComputeDevices() {
    ComputeInfo info;
    info.torchVersion = TORCH_VERSION;
#ifdef STORYREEL_WITH_CUDA
    info.builtWithCuda = true;
#endif
    info.devices.push_back({"cpu", "CPU", 0, 0, 0});
    if (torch::cuda::is_available()) {
        const int count = static_cast<int>(torch::cuda::device_count());
        for (int index = 0; index < count; ++index) {
            info.devices.push_back(cudaDevice(index));
        }
    }
    return info;
}

}  // namespace storyreel::infer
