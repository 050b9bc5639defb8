// Sampler: what a flow-matching pipeline needs from a solver, so that it picks one by name
// ("unipc", "dpm++", "euler") and runs the same loop with any of them. The loop is the one of
// wan/image2video.py generate: the DiT receives timesteps()[i], and its guided prediction
// goes to step() with the same timestep and the current latent.
//
//   std::unique_ptr<Sampler> sampler = makeSampler("unipc");
//   sampler->setTimesteps(40, 3.0);
//   for (std::int64_t i = 0; i < 40; ++i) {
//       const at::Tensor t = sampler->timesteps()[i];
//       latent = sampler->step(guidedPrediction(latent, t), t, latent);
//   }
//
// Thread-safety: a sampler keeps the history of one denoising run; use it from one thread.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer {

class Sampler {
public:
    virtual ~Sampler() = default;

    // The schedule of a run of `steps` steps with the flow shift `shift` (Wan: 3.0 at 480p,
    // 5.0 at 720p); forgets any earlier run. Throws std::invalid_argument when steps < 1.
    virtual void setTimesteps(std::int64_t steps, double shift) = 0;
    // int64 [steps] on the CPU: the timestep the DiT gets at each step.
    virtual const at::Tensor& timesteps() const = 0;
    // float32 [steps + 1] on the CPU: the noise level before each step, then 0.
    virtual const at::Tensor& sigmas() const = 0;
    // One step: `modelOutput` is the (guided) flow prediction for `sample` at `timestep`, a
    // 0-dim tensor taken from timesteps(); returns the sample for the next timestep, on
    // sample's device. Steps must come in order; throws std::logic_error before
    // setTimesteps() or after the last step, std::invalid_argument for a timestep that is not
    // in the schedule.
    virtual at::Tensor step(const at::Tensor& modelOutput, const at::Tensor& timestep,
                            const at::Tensor& sample) = 0;
};

// "unipc" (FlowUniPCMultistepScheduler), "dpm++" (FlowDPMSolverMultistepScheduler) or
// "euler" (FlowEulerSampler), with the reference's defaults. Throws std::invalid_argument
// naming the known samplers for any other name.
std::unique_ptr<Sampler> makeSampler(std::string_view name);

// The names makeSampler() accepts, in the order a user is offered them.
std::vector<std::string> samplerNames();

}  // namespace storyreel::infer
