// The Euler sampler on values computed by hand: its schedule (get_sampling_sigmas with int64
// timesteps) and x_next = x + (sigma_next - sigma) * flow.
#include "core/infer/samplers/flow_euler.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

using storyreel::infer::FlowEulerSampler;

TEST_CASE("Euler schedules 4 steps at shift 5 like the step-distilled models",
          "[infer][wan][sampler]") {
    FlowEulerSampler sampler;
    sampler.setTimesteps(4, 5.0);
    // sigma = 5s / (1 + 4s) for s = 1, 0.75, 0.5, 0.25: 1, 3.75/4, 2.5/3, 1.25/2.
    const std::vector<std::int64_t> timesteps = {1000, 937, 833, 625};
    CHECK(at::equal(sampler.timesteps(), at::tensor(timesteps)));
    const std::vector<float> sigmas = {1.0f, 0.9375f, static_cast<float>(2.5 / 3.0), 0.625f, 0.0f};
    CHECK(at::equal(sampler.sigmas(), at::tensor(sigmas)));
}

TEST_CASE("Euler steps by (sigma_next - sigma) * flow", "[infer][wan][sampler]") {
    FlowEulerSampler sampler;
    sampler.setTimesteps(4, 5.0);
    const at::Tensor sample = at::full({2, 3}, 2.0f);
    const at::Tensor flow = at::full({2, 3}, 0.5f);
    // 2 + (0.9375 - 1) * 0.5 = 1.96875, exact in float32.
    const at::Tensor first = sampler.step(flow, sampler.timesteps()[0], sample);
    CHECK(at::equal(first, at::full({2, 3}, 1.96875f)));
    // 1.96875 + (0.625 - 0.8333333) * 0.5 after the second step, and the last step
    // (0.625 -> 0) gives x - 0.625 * flow.
    const at::Tensor second = sampler.step(flow, sampler.timesteps()[1], first);
    const at::Tensor third = sampler.step(flow, sampler.timesteps()[2], second);
    const float expectedThird = 1.96875f + (static_cast<float>(2.5 / 3.0) - 0.9375f) * 0.5f +
                                (0.625f - static_cast<float>(2.5 / 3.0)) * 0.5f;
    CHECK(third[0][0].item<float>() == Approx(expectedThird).epsilon(1e-6));
    const at::Tensor last = sampler.step(flow, sampler.timesteps()[3], third);
    CHECK(last[1][2].item<float>() == Approx(third[1][2].item<float>() - 0.3125f).epsilon(1e-6));
    CHECK_THROWS_AS(sampler.step(flow, sampler.timesteps()[3], last), std::logic_error);
}

TEST_CASE("Euler keeps the model output's dtype", "[infer][wan][sampler]") {
    FlowEulerSampler sampler;
    sampler.setTimesteps(2, 1.0);
    // Unshifted 2 steps: sigmas 1, 0.5, 0. A bfloat16 sample is stepped in float32.
    const at::Tensor sample = at::full({4}, 1.0f).to(at::kBFloat16);
    const at::Tensor flow = at::full({4}, -1.0f);
    const at::Tensor next = sampler.step(flow, sampler.timesteps()[0], sample);
    CHECK(next.scalar_type() == at::kFloat);
    CHECK(at::equal(next, at::full({4}, 1.5f)));
}
