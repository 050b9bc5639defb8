#include "core/infer/memory/component_offload.h"

#include "core/base/log.h"

#include <exception>
#include <string>

#ifdef STORYREEL_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <torch/cuda.h>
#endif

namespace storyreel::infer {

OffloadPolicy offloadPolicyFor(TextEncoderPlacement placement) {
    return placement == TextEncoderPlacement::GpuResident ? OffloadPolicy::KeepResident
                                                          : OffloadPolicy::ReturnToCpu;
}

ComponentOffload::ComponentOffload(std::shared_ptr<torch::nn::Module> module, c10::Device device,
                                   OffloadPolicy policy)
    : module_(std::move(module)), device_(device), policy_(policy) {
    module_->to(device_);
}

ComponentOffload::~ComponentOffload() {
    if (policy_ == OffloadPolicy::KeepResident || device_.is_cpu()) {
        return;
    }
    // A destructor must not throw; failing to move back leaves the module where it is
    // (still usable) and costs GPU memory, which the log says.
    try {
        module_->to(c10::Device(c10::kCPU));
        releaseCachedDeviceMemory();
    } catch (const std::exception& error) {
        log(LogLevel::Warning,
            std::string("could not move a component back to the CPU: ") + error.what());
    }
}

void releaseCachedDeviceMemory() {
#ifdef STORYREEL_WITH_CUDA
    if (torch::cuda::is_available()) {
        c10::cuda::CUDACachingAllocator::emptyCache();
    }
#endif
}

}  // namespace storyreel::infer
