#include "core/infer/samplers/flow_dpmpp.h"

#include "core/infer/samplers/flow_schedule.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace storyreel::infer {

FlowDPMSolverMultistepScheduler::FlowDPMSolverMultistepScheduler(Options options)
    : options_(options) {
    if (options_.solverOrder < 1 || options_.solverOrder > 3) {
        throw std::invalid_argument("DPM++ supports solver orders 1, 2 and 3");
    }
}

void FlowDPMSolverMultistepScheduler::setTimesteps(std::int64_t steps, double shift) {
    if (steps < 1) {
        throw std::invalid_argument("DPM++ needs at least one step");
    }
    // image2video.py: retrieve_timesteps(scheduler, sigmas=get_sampling_sigmas(steps, shift));
    // set_timesteps then applies the scheduler's own shift, 1.
    FlowSchedule schedule = flowSchedule(wanSamplingSigmas(steps, shift), 1.0);
    sigmas_ = std::move(schedule.sigmas);
    timesteps_ = std::move(schedule.timesteps);
    modelOutputs_.assign(static_cast<std::size_t>(options_.solverOrder), at::Tensor());
    lowerOrderNums_ = 0;
    stepIndex_.reset();
}

at::Tensor FlowDPMSolverMultistepScheduler::step(const at::Tensor& modelOutput,
                                                 const at::Tensor& timestep,
                                                 const at::Tensor& sample) {
    if (!timesteps_.defined()) {
        throw std::logic_error("DPM++: setTimesteps() must come before step()");
    }
    if (!stepIndex_) {
        stepIndex_ = indexForTimestep(timesteps_, timestep);
    }
    const std::int64_t index = *stepIndex_;
    const std::int64_t steps = timesteps_.size(0);
    if (index >= steps) {
        throw std::logic_error("DPM++: every step of the schedule has been taken");
    }

    // "Improve numerical stability for small number of steps": with final sigma 0 the last
    // step is always first order; the one before it is at most second order below 15 steps.
    const bool lowerOrderFinal = index == steps - 1;
    const bool lowerOrderSecond = index == steps - 2 && options_.lowerOrderFinal && steps < 15;

    // convert_model_output (dpmsolver++, flow_prediction): x0 = sample - sigma * flow.
    const at::Tensor x0 = sample - sigmas_[index] * modelOutput;
    std::rotate(modelOutputs_.begin(), modelOutputs_.begin() + 1, modelOutputs_.end());
    modelOutputs_.back() = x0;

    // "Upcast to avoid precision issues when computing prev_sample".
    const at::Tensor sample32 = sample.to(at::kFloat);
    at::Tensor previous;
    if (options_.solverOrder == 1 || lowerOrderNums_ < 1 || lowerOrderFinal) {
        previous = firstOrderUpdate(x0, sample32);
    } else if (options_.solverOrder == 2 || lowerOrderNums_ < 2 || lowerOrderSecond) {
        previous = secondOrderUpdate(sample32);
    } else {
        previous = thirdOrderUpdate(sample32);
    }
    if (lowerOrderNums_ < options_.solverOrder) {
        ++lowerOrderNums_;
    }
    ++*stepIndex_;
    return previous.to(x0.scalar_type());
}

at::Tensor FlowDPMSolverMultistepScheduler::firstOrderUpdate(const at::Tensor& x0,
                                                             const at::Tensor& sample) const {
    const std::int64_t index = *stepIndex_;
    const at::Tensor sigmaT = sigmas_[index + 1];
    const at::Tensor sigmaS = sigmas_[index];
    const at::Tensor alphaT = 1 - sigmaT;
    const at::Tensor h = flowLambda(sigmaT) - flowLambda(sigmaS);
    return (sigmaT / sigmaS) * sample - (alphaT * (at::exp(-h) - 1.0)) * x0;
}

at::Tensor FlowDPMSolverMultistepScheduler::secondOrderUpdate(const at::Tensor& sample) const {
    const std::int64_t index = *stepIndex_;
    const at::Tensor sigmaT = sigmas_[index + 1];
    const at::Tensor sigmaS0 = sigmas_[index];
    const at::Tensor alphaT = 1 - sigmaT;
    const at::Tensor lambdaT = flowLambda(sigmaT);
    const at::Tensor lambdaS0 = flowLambda(sigmaS0);
    const at::Tensor lambdaS1 = flowLambda(sigmas_[index - 1]);

    const at::Tensor& m0 = modelOutputs_[modelOutputs_.size() - 1];
    const at::Tensor& m1 = modelOutputs_[modelOutputs_.size() - 2];
    const at::Tensor h = lambdaT - lambdaS0;
    const at::Tensor h0 = lambdaS0 - lambdaS1;
    const at::Tensor r0 = h0 / h;
    const at::Tensor& d0 = m0;
    const at::Tensor d1 = (1.0 / r0) * (m0 - m1);
    const at::Tensor expMinusH = at::exp(-h);
    if (options_.solverType == SolverType::Midpoint) {
        return (sigmaT / sigmaS0) * sample - (alphaT * (expMinusH - 1.0)) * d0 -
               0.5 * (alphaT * (expMinusH - 1.0)) * d1;
    }
    return (sigmaT / sigmaS0) * sample - (alphaT * (expMinusH - 1.0)) * d0 +
           (alphaT * ((expMinusH - 1.0) / h + 1.0)) * d1;
}

at::Tensor FlowDPMSolverMultistepScheduler::thirdOrderUpdate(const at::Tensor& sample) const {
    const std::int64_t index = *stepIndex_;
    const at::Tensor sigmaT = sigmas_[index + 1];
    const at::Tensor sigmaS0 = sigmas_[index];
    const at::Tensor alphaT = 1 - sigmaT;
    const at::Tensor lambdaT = flowLambda(sigmaT);
    const at::Tensor lambdaS0 = flowLambda(sigmaS0);
    const at::Tensor lambdaS1 = flowLambda(sigmas_[index - 1]);
    const at::Tensor lambdaS2 = flowLambda(sigmas_[index - 2]);

    const std::size_t last = modelOutputs_.size() - 1;
    const at::Tensor& m0 = modelOutputs_[last];
    const at::Tensor& m1 = modelOutputs_[last - 1];
    const at::Tensor& m2 = modelOutputs_[last - 2];
    const at::Tensor h = lambdaT - lambdaS0;
    const at::Tensor h0 = lambdaS0 - lambdaS1;
    const at::Tensor h1 = lambdaS1 - lambdaS2;
    const at::Tensor r0 = h0 / h;
    const at::Tensor r1 = h1 / h;
    const at::Tensor& d0 = m0;
    const at::Tensor d10 = (1.0 / r0) * (m0 - m1);
    const at::Tensor d11 = (1.0 / r1) * (m1 - m2);
    const at::Tensor d1 = d10 + (r0 / (r0 + r1)) * (d10 - d11);
    const at::Tensor d2 = (1.0 / (r0 + r1)) * (d10 - d11);
    const at::Tensor expMinusH = at::exp(-h);
    return (sigmaT / sigmaS0) * sample - (alphaT * (expMinusH - 1.0)) * d0 +
           (alphaT * ((expMinusH - 1.0) / h + 1.0)) * d1 -
           (alphaT * ((expMinusH - 1.0 + h) / at::pow(h, 2) - 0.5)) * d2;
}

}  // namespace storyreel::infer
