// FlowUniPCMultistepScheduler: Wan 2.1's default sampler (wan/utils/fm_solvers_unipc.py, a
// flow-matching port of diffusers 0.31 UniPCMultistepScheduler), with its defaults: order 2,
// bh2, predict_x0 (data prediction x0 = sample - sigma * flow), the UniC corrector from the
// second step on and lower_order_final. The scalar coefficients are computed with the same
// float32 tensor operations as the reference, so the latents match it to float32 rounding.
//
//   FlowUniPCMultistepScheduler sampler;
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

class FlowUniPCMultistepScheduler : public Sampler {
public:
    // bh1 suits unconditional sampling with fewer than 10 steps; bh2 is the reference default.
    enum class SolverType { Bh1, Bh2 };

    struct Options {
        std::int64_t solverOrder = 2;
        SolverType solverType = SolverType::Bh2;
        bool lowerOrderFinal = true;
        // Step indices after which the corrector is skipped (disable_corrector).
        std::vector<std::int64_t> disableCorrector;
    };

    FlowUniPCMultistepScheduler() : FlowUniPCMultistepScheduler(Options{}) {}
    // Throws std::invalid_argument for a solver order below 1.
    explicit FlowUniPCMultistepScheduler(Options options);

    void setTimesteps(std::int64_t steps, double shift) override;
    const at::Tensor& timesteps() const override { return timesteps_; }
    const at::Tensor& sigmas() const override { return sigmas_; }
    at::Tensor step(const at::Tensor& modelOutput, const at::Tensor& timestep,
                    const at::Tensor& sample) override;

private:
    // multistep_uni_p_bh_update: the sample at sigmas[i + 1] from x at sigmas[i].
    at::Tensor predict(const at::Tensor& sample, std::int64_t order) const;
    // multistep_uni_c_bh_update: the current sample recomputed from lastSample (the one the
    // previous predictor started from) with thisModelOutput, the x0 predicted at the current
    // sample, as one more point of the history.
    at::Tensor correct(const at::Tensor& thisModelOutput, const at::Tensor& lastSample,
                       std::int64_t order) const;
    bool correctorDisabledAfter(std::int64_t index) const;

    Options options_;
    at::Tensor sigmas_;
    at::Tensor timesteps_;
    // The last solverOrder x0 predictions, oldest first (undefined until filled).
    std::vector<at::Tensor> modelOutputs_;
    at::Tensor lastSample_;
    std::int64_t lowerOrderNums_ = 0;
    std::int64_t thisOrder_ = 0;
    std::optional<std::int64_t> stepIndex_;
};

}  // namespace storyreel::infer
