// ComponentOffload: a scope guard that puts a module (a text or image encoder) on the
// compute device for one call and back on the CPU after it, even when the call throws,
// then hands the freed GPU memory back to the driver so that the transformer can use it.
// A profile that keeps the encoder resident (TextEncoderPlacement::GpuResident) leaves it
// on the device.
//
//   {
//       ComponentOffload onGpu(textEncoder.ptr(), device, OffloadPolicy::ReturnToCpu);
//       context = textEncoder->forward(tokens);
//   }   // textEncoder is on the CPU again
//   at::Tensor out = withComponentOn(encoder.ptr(), device, policy, [&] { return ...; });
//
// Thread-safety: one guard per module at a time, on the thread that owns the device.
#pragma once

#include "core/infer/memory/memory_profile.h"

#include <c10/core/Device.h>
#include <torch/nn/module.h>

#include <memory>
#include <utility>

namespace storyreel::infer {

enum class OffloadPolicy {
    ReturnToCpu,   // back to the CPU when the guard ends
    KeepResident,  // stays on the compute device
};

// GpuResident -> KeepResident; the other placements -> ReturnToCpu.
OffloadPolicy offloadPolicyFor(TextEncoderPlacement placement);

class ComponentOffload {
public:
    ComponentOffload(std::shared_ptr<torch::nn::Module> module, c10::Device device,
                     OffloadPolicy policy = OffloadPolicy::ReturnToCpu);
    ~ComponentOffload();

    ComponentOffload(const ComponentOffload&) = delete;
    ComponentOffload& operator=(const ComponentOffload&) = delete;

private:
    std::shared_ptr<torch::nn::Module> module_;
    c10::Device device_;
    OffloadPolicy policy_;
};

// Runs call() with `module` on `device`, under a ComponentOffload.
template <class Call>
decltype(auto) withComponentOn(std::shared_ptr<torch::nn::Module> module, c10::Device device,
                               OffloadPolicy policy, Call&& call) {
    const ComponentOffload guard(std::move(module), device, policy);
    return std::forward<Call>(call)();
}

// Returns the CUDA caching allocator's unused blocks to the driver; nothing on the CPU.
void releaseCachedDeviceMemory();

}  // namespace storyreel::infer
