#include "core/infer/runtime/compute_devices.h"

#include <catch2/catch.hpp>
#include <torch/cuda.h>
#include <torch/version.h>

using storyreel::infer::probeComputeDevices;

TEST_CASE("The compute probe lists the CPU first and every CUDA device after it",
          "[infer][device]") {
    const auto info = probeComputeDevices();
    CHECK(info.torchVersion == TORCH_VERSION);
    REQUIRE_FALSE(info.devices.empty());
    CHECK(info.devices.front().id == "cpu");
    const auto cudaCount = torch::cuda::is_available() ? torch::cuda::device_count() : 0;
    CHECK(info.devices.size() == 1 + cudaCount);
    CHECK(info.hasCuda() == (cudaCount > 0));
}

TEST_CASE("On a CUDA machine each GPU reports its name and memory", "[.cuda][infer][device]") {
    const auto info = probeComputeDevices();
    REQUIRE(info.hasCuda());
    CHECK(info.builtWithCuda);
    CHECK(info.devices[1].id == "cuda:0");
    CHECK(info.devices[1].totalMemoryBytes > 0);
    CHECK(info.devices[1].computeCapabilityMajor >= 5);
}
