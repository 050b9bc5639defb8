// FlowDPMSolverMultistepScheduler: Wan 2.1's "dpm++" sampler (wan/utils/fm_solvers.py, a
// flow-matching port of diffusers 0.31 DPMSolverMultistepScheduler), with its defaults:
// dpmsolver++ (data prediction x0 = sample - sigma * flow), midpoint, order 2,
// lower_order_final and a first-order final step (final sigma 0). Its schedule is the one
// image2video.py hands it: get_sampling_sigmas(steps, shift), whose first sigma is exactly 1,
// so lambda starts at -inf and the first two updates rely on IEEE infinities (exp(-inf) = 0,
// 1/inf = 0), as in the reference. Scalars use the reference's float32 tensor operations.
//
//   FlowDPMSolverMultistepScheduler sampler;
//   sampler.setTimesteps(40, 3.0);
//   latent = sampler.step(prediction, sampler.timesteps()[0], latent);
//
// Thread-safety: one denoising run, one thread (see Sampler).
#pragma once

#include "core/infer/samplers/sampler.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace storyreel::infer {

class FlowDPMSolverMultistepScheduler : public Sampler {
public:
    enum class SolverType { Midpoint, Heun };

    struct Options {
        std::int64_t solverOrder = 2;  // 1, 2 or 3
        SolverType solverType = SolverType::Midpoint;
        bool lowerOrderFinal = true;
    };

    FlowDPMSolverMultistepScheduler() : FlowDPMSolverMultistepScheduler(Options{}) {}
    // Throws std::invalid_argument for a solver order other than 1, 2 or 3.
    explicit FlowDPMSolverMultistepScheduler(Options options);

    void setTimesteps(std::int64_t steps, double shift) override;
    const at::Tensor& timesteps() const override { return timesteps_; }
    const at::Tensor& sigmas() const override { return sigmas_; }
    at::Tensor step(const at::Tensor& modelOutput, const at::Tensor& timestep,
                    const at::Tensor& sample) override;

private:
    // dpm_solver_first_order_update, multistep_dpm_solver_{second,third}_order_update
    // (dpmsolver++): sample is float32, the history holds x0 predictions.
    at::Tensor firstOrderUpdate(const at::Tensor& x0, const at::Tensor& sample) const;
    at::Tensor secondOrderUpdate(const at::Tensor& sample) const;
    at::Tensor thirdOrderUpdate(const at::Tensor& sample) const;

    Options options_;
    at::Tensor sigmas_;
    at::Tensor timesteps_;
    std::vector<at::Tensor> modelOutputs_;  // the last solverOrder x0 predictions, oldest first
    std::int64_t lowerOrderNums_ = 0;
    std::optional<std::int64_t> stepIndex_;
};

}  // namespace storyreel::infer
