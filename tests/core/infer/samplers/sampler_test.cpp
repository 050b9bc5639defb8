// What every sampler must do, whichever the name: solve a straight flow exactly, refuse steps
// out of order, and be found by the names generate.py uses.
#include "core/infer/samplers/sampler.h"

#include "core/infer/memory/seeded_noise.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <string>

using Catch::Matchers::Contains;
using storyreel::infer::makeSampler;
using storyreel::infer::Sampler;
using storyreel::infer::samplerNames;
using storyreel::infer::seededNoise;

TEST_CASE("Every sampler lands on x0 when the flow is straight", "[infer][wan][sampler]") {
    // x_sigma = (1 - sigma) x0 + sigma * noise has the constant flow noise - x0: the x0 each
    // solver predicts is x0 at every step, so its higher-order terms vanish and it must end
    // on x0 up to float32 rounding.
    const at::Tensor x0 = seededNoise({16, 1, 2, 4}, 1);
    const at::Tensor noise = seededNoise({16, 1, 2, 4}, 2);
    for (const std::string& name : samplerNames()) {
        for (const std::int64_t steps : {1, 2, 3, 10, 20}) {
            const std::unique_ptr<Sampler> sampler = makeSampler(name);
            sampler->setTimesteps(steps, 3.0);
            const float sigma0 = sampler->sigmas()[0].item<float>();
            at::Tensor latent = (1 - sigma0) * x0 + sigma0 * noise;
            for (std::int64_t i = 0; i < steps; ++i) {
                latent = sampler->step(noise - x0, sampler->timesteps()[i], latent);
            }
            INFO(name << ", " << steps << " steps");
            CHECK(at::allclose(latent, x0, 0.0, 1e-5));
        }
    }
}

TEST_CASE("Samplers refuse unknown names, missing schedules and foreign timesteps",
          "[infer][wan][sampler]") {
    CHECK(samplerNames() == std::vector<std::string>{"unipc", "dpm++", "euler"});
    CHECK_THROWS_WITH(makeSampler("ddim"), Contains("unipc, dpm++ and euler"));
    for (const std::string& name : samplerNames()) {
        const std::unique_ptr<Sampler> sampler = makeSampler(name);
        const at::Tensor x = at::zeros({2});
        INFO(name);
        CHECK_THROWS_AS(sampler->step(x, at::scalar_tensor(999, at::kLong), x), std::logic_error);
        CHECK_THROWS_AS(sampler->setTimesteps(0, 3.0), std::invalid_argument);
        sampler->setTimesteps(4, 3.0);
        CHECK(sampler->timesteps().scalar_type() == at::kLong);
        CHECK(sampler->sigmas().size(0) == 5);
        CHECK(sampler->sigmas()[4].item<float>() == 0.0f);
        CHECK_THROWS_AS(sampler->step(x, at::scalar_tensor(1, at::kLong), x),
                        std::invalid_argument);
    }
}

TEST_CASE("A sampler starts over after setTimesteps", "[infer][wan][sampler]") {
    const at::Tensor sample = seededNoise({3, 5}, 7);
    const at::Tensor flow = seededNoise({3, 5}, 8);
    for (const std::string& name : samplerNames()) {
        const std::unique_ptr<Sampler> sampler = makeSampler(name);
        sampler->setTimesteps(5, 5.0);
        at::Tensor first = sample;
        for (std::int64_t i = 0; i < 3; ++i) {
            first = sampler->step(flow * (i + 1), sampler->timesteps()[i], first);
        }
        sampler->setTimesteps(5, 5.0);
        at::Tensor second = sample;
        for (std::int64_t i = 0; i < 3; ++i) {
            second = sampler->step(flow * (i + 1), sampler->timesteps()[i], second);
        }
        INFO(name);
        CHECK(at::equal(first, second));
    }
}
