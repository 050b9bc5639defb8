// ComponentOffload: the module is on the compute device for the call and back on the CPU
// after it, also when the call throws. Off CUDA the compute device is the CPU, so these
// tests check the guard's contract; the [.cuda] test checks the moves themselves.
#include "core/infer/memory/component_offload.h"

#include "tests/core/infer/memory/tiny_blocks.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>
#include <torch/csrc/autograd/grad_mode.h>
#include <torch/cuda.h>

#include <stdexcept>

using storyreel::infer::ComponentOffload;
using storyreel::infer::OffloadPolicy;
using storyreel::infer::offloadPolicyFor;
using storyreel::infer::TextEncoderPlacement;
using storyreel::infer::withComponentOn;
using storyreel::test::TinyBlock;

namespace {

bool allOn(const torch::nn::Module& module, c10::DeviceType type) {
    for (const at::Tensor& parameter : module.parameters()) {
        if (parameter.device().type() != type) {
            return false;
        }
    }
    return true;
}

c10::Device computeDevice() {
    return torch::cuda::is_available() ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
}

}  // namespace

TEST_CASE("An offloaded component runs on the compute device and returns to the CPU",
          "[infer][memory][offload]") {
    const torch::NoGradGuard noGrad;
    const auto encoder = std::make_shared<TinyBlock>(storyreel::test::TinyBlockShape{16, 2, 32});
    const c10::Device device = computeDevice();
    const at::Tensor expected = encoder->forward(at::ones({1, 3, 16}));
    const at::Tensor out = withComponentOn(encoder, device, OffloadPolicy::ReturnToCpu, [&] {
        CHECK(allOn(*encoder, device.type()));
        return encoder->forward(at::ones({1, 3, 16}, at::TensorOptions().device(device)));
    });
    CHECK(allOn(*encoder, c10::kCPU));
    CHECK(at::allclose(out.cpu(), expected, 1e-5, 1e-5));
}

TEST_CASE("An offloaded component returns to the CPU when its call throws",
          "[infer][memory][offload]") {
    const auto encoder = std::make_shared<TinyBlock>(storyreel::test::TinyBlockShape{16, 2, 32});
    CHECK_THROWS_AS(withComponentOn(encoder, computeDevice(), OffloadPolicy::ReturnToCpu,
                                    []() -> int { throw std::runtime_error("encode failed"); }),
                    std::runtime_error);
    CHECK(allOn(*encoder, c10::kCPU));
}

TEST_CASE("Profiles that keep the text encoder resident leave it on the device",
          "[infer][memory][offload]") {
    CHECK(offloadPolicyFor(TextEncoderPlacement::GpuResident) == OffloadPolicy::KeepResident);
    CHECK(offloadPolicyFor(TextEncoderPlacement::GpuThenOffload) == OffloadPolicy::ReturnToCpu);
    CHECK(offloadPolicyFor(TextEncoderPlacement::Cpu) == OffloadPolicy::ReturnToCpu);
    const auto encoder = std::make_shared<TinyBlock>(storyreel::test::TinyBlockShape{16, 2, 32});
    const c10::Device device = computeDevice();
    { const ComponentOffload resident(encoder, device, OffloadPolicy::KeepResident); }
    CHECK(allOn(*encoder, device.type()));
}

TEST_CASE("On CUDA, offload moves the component to the GPU and back",
          "[.cuda][infer][gpu-memory]") {
    REQUIRE(torch::cuda::is_available());
    const auto encoder = std::make_shared<TinyBlock>(storyreel::test::TinyBlockShape{256, 4, 1024});
    {
        const ComponentOffload onGpu(encoder, c10::Device(c10::kCUDA, 0));
        CHECK(allOn(*encoder, c10::kCUDA));
    }
    CHECK(allOn(*encoder, c10::kCPU));
}
