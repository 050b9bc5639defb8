#include "core/infer/memory/seeded_noise.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>
#include <torch/cuda.h>

using storyreel::infer::seededNoise;

TEST_CASE("The same seed gives the same noise, another seed other noise",
          "[infer][memory][noise]") {
    const at::Tensor a = seededNoise({16, 3, 8, 10}, 42);
    const at::Tensor b = seededNoise({16, 3, 8, 10}, 42);
    const at::Tensor c = seededNoise({16, 3, 8, 10}, 43);
    CHECK(at::equal(a, b));
    CHECK_FALSE(at::equal(a, c));
    CHECK(a.sizes() == at::IntArrayRef({16, 3, 8, 10}));
    CHECK(a.scalar_type() == at::kFloat);
    CHECK(a.device().is_cpu());
    // Standard normal: mean near 0, deviation near 1 over 3,840 values.
    CHECK(std::abs(a.mean().item<double>()) < 0.1);
    CHECK(std::abs(a.std().item<double>() - 1.0) < 0.1);
}

TEST_CASE("Seeded noise does not depend on the global generator and rounds to the dtype",
          "[infer][memory][noise]") {
    at::manual_seed(1);
    const at::Tensor first = seededNoise({4, 5}, 7);
    at::manual_seed(2);
    at::randn({100});  // moves the global generator on
    CHECK(at::equal(seededNoise({4, 5}, 7), first));

    const at::Tensor half = seededNoise({4, 5}, 7, c10::Device(c10::kCPU), at::kBFloat16);
    CHECK(half.scalar_type() == at::kBFloat16);
    CHECK(at::equal(half, first.to(at::kBFloat16)));
}

TEST_CASE("Seeded noise is the same on a CUDA device as on the CPU", "[.cuda][infer][gpu-memory]") {
    REQUIRE(torch::cuda::is_available());
    const at::Tensor cpu = seededNoise({16, 21, 60, 104}, 1234);
    const at::Tensor gpu = seededNoise({16, 21, 60, 104}, 1234, c10::Device(c10::kCUDA, 0));
    CHECK(gpu.is_cuda());
    CHECK(at::equal(gpu.cpu(), cpu));
}
