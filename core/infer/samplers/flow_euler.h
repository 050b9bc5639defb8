// FlowEulerSampler: the plain flow-matching Euler step of diffusers 0.31
// FlowMatchEulerDiscreteScheduler.step (x_next = x + (sigma_next - sigma) * flow, in float32),
// the sampler step-distilled Wan LoRAs are trained for (about 4 steps, guidance 1). Its
// schedule is the one Wan's dpm++ path uses, get_sampling_sigmas(steps, shift) with int64
// timesteps: 4 steps at shift 5 give sigmas 1, 0.9375, 0.8333, 0.625 (the distilled models'
// timesteps 1000, 750, 500, 250 shifted), so every sampler here feeds the DiT the same kind of
// timestep.
//
//   FlowEulerSampler sampler;
//   sampler.setTimesteps(4, 5.0);
//   latent = sampler.step(prediction, sampler.timesteps()[0], latent);
//
// Thread-safety: one denoising run, one thread (see Sampler).
#pragma once

#include "core/infer/samplers/sampler.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>

namespace storyreel::infer {

class FlowEulerSampler : public Sampler {
public:
    void setTimesteps(std::int64_t steps, double shift) override;
    const at::Tensor& timesteps() const override { return timesteps_; }
    const at::Tensor& sigmas() const override { return sigmas_; }
    at::Tensor step(const at::Tensor& modelOutput, const at::Tensor& timestep,
                    const at::Tensor& sample) override;

private:
    at::Tensor sigmas_;
    at::Tensor timesteps_;
    std::optional<std::int64_t> stepIndex_;
};

}  // namespace storyreel::infer
