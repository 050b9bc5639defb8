#include "core/infer/samplers/flow_euler.h"

#include "core/infer/samplers/flow_schedule.h"

#include <ATen/ATen.h>

#include <stdexcept>
#include <utility>

namespace storyreel::infer {

void FlowEulerSampler::setTimesteps(std::int64_t steps, double shift) {
    if (steps < 1) {
        throw std::invalid_argument("Euler needs at least one step");
    }
    FlowSchedule schedule = flowSchedule(wanSamplingSigmas(steps, shift), 1.0);
    sigmas_ = std::move(schedule.sigmas);
    timesteps_ = std::move(schedule.timesteps);
    stepIndex_.reset();
}

at::Tensor FlowEulerSampler::step(const at::Tensor& modelOutput, const at::Tensor& timestep,
                                  const at::Tensor& sample) {
    if (!timesteps_.defined()) {
        throw std::logic_error("Euler: setTimesteps() must come before step()");
    }
    if (!stepIndex_) {
        stepIndex_ = indexForTimestep(timesteps_, timestep);
    }
    const std::int64_t index = *stepIndex_;
    if (index >= timesteps_.size(0)) {
        throw std::logic_error("Euler: every step of the schedule has been taken");
    }
    // FlowMatchEulerDiscreteScheduler.step: upcast, one Euler step of the flow ODE, cast back.
    const at::Tensor sample32 = sample.to(at::kFloat);
    const at::Tensor sigma = sigmas_[index];
    const at::Tensor sigmaNext = sigmas_[index + 1];
    const at::Tensor previous = sample32 + (sigmaNext - sigma) * modelOutput;
    ++*stepIndex_;
    return previous.to(modelOutput.scalar_type());
}

}  // namespace storyreel::infer
