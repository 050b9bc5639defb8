#include "core/infer/runtime/device_selection.h"

#include "core/base/user_error.h"

#include <catch2/catch.hpp>
#include <torch/cuda.h>

using Catch::Matchers::Contains;
using storyreel::infer::selectDevice;

TEST_CASE("Auto picks the first GPU when there is one, else the CPU", "[infer][device]") {
    const c10::Device device = selectDevice("auto");
    if (torch::cuda::is_available()) {
        CHECK(device == c10::Device(c10::kCUDA, 0));
    } else {
        CHECK(device == c10::Device(c10::kCPU));
    }
    CHECK(selectDevice("") == device);
}

TEST_CASE("The CPU can always be chosen", "[infer][device]") {
    CHECK(selectDevice("cpu") == c10::Device(c10::kCPU));
}

TEST_CASE("A malformed device name is refused with the accepted forms", "[infer][device]") {
    CHECK_THROWS_WITH(selectDevice("gpu"), Contains("use auto, cpu, cuda or cuda:N"));
    CHECK_THROWS_WITH(selectDevice("cuda:x"), Contains("Unknown device 'cuda:x'"));
    CHECK_THROWS_WITH(selectDevice("cuda:-1"), Contains("Unknown device"));
}

TEST_CASE("A GPU that does not exist is refused with what there is", "[infer][device]") {
    if (torch::cuda::is_available()) {
        CHECK_THROWS_WITH(selectDevice("cuda:99"), Contains("does not exist"));
    } else {
        CHECK_THROWS_WITH(selectDevice("cuda"), Contains("no CUDA GPU is usable here"));
        CHECK_THROWS_WITH(selectDevice("cuda:1"), Contains("no CUDA GPU is usable here"));
    }
}
