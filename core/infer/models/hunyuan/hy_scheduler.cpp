#include "core/infer/models/hunyuan/hy_scheduler.h"

#include "core/base/user_error.h"

#include <ATen/ATen.h>

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace storyreel::infer::hunyuan {

namespace {

void checkShift(double shift) {
    if (!std::isfinite(shift) || !(shift > 0.0)) {
        std::ostringstream message;
        message << "HunyuanVideo scheduler: the flow shift must be a positive number, not "
                << shift;
        throw UserError(message.str());
    }
}

std::string shapeOf(const at::Tensor& tensor) {
    std::ostringstream text;
    text << tensor.sizes();
    return text.str();
}

}  // namespace

at::Tensor hunyuanFlowSigmas(std::int64_t steps, double shift, bool reverse) {
    if (steps < 1) {
        throw UserError("HunyuanVideo scheduler: the number of steps must be at least 1, not " +
                        std::to_string(steps));
    }
    checkShift(shift);
    // set_timesteps: torch.linspace(1, 0, n + 1) in the default dtype (float32), then
    // sd3_time_shift: (shift * t) / (1 + (shift - 1) * t). The Python floats become scalar
    // operands of float32 tensor operations, exactly as here ((shift - 1) is taken in double
    // first, as Python does).
    const at::Tensor s = at::linspace(1.0, 0.0, steps + 1, at::TensorOptions().dtype(at::kFloat));
    const at::Tensor numerator = s * shift;
    const at::Tensor denominator = (s * (shift - 1.0)) + 1.0;
    at::Tensor sigmas = numerator / denominator;
    if (!reverse) {
        sigmas = 1.0 - sigmas;
    }
    return sigmas;
}

FlowMatchDiscreteScheduler::FlowMatchDiscreteScheduler(double shift, bool reverse,
                                                       std::string_view solver,
                                                       std::int64_t trainTimesteps)
    : shift_(shift), reverse_(reverse), trainTimesteps_(trainTimesteps) {
    checkShift(shift);
    if (solver != "euler") {
        throw UserError("HunyuanVideo scheduler: solver '" + std::string(solver) +
                        "' is not supported; the reference supports 'euler' only");
    }
    if (trainTimesteps < 1) {
        throw UserError("HunyuanVideo scheduler: num_train_timesteps must be at least 1");
    }
}

void FlowMatchDiscreteScheduler::setTimesteps(std::int64_t steps) {
    sigmas_ = hunyuanFlowSigmas(steps, shift_, reverse_);
    // (sigmas[:-1] * num_train_timesteps).to(float32): a float32 multiply.
    timesteps_ = sigmas_.slice(0, 0, steps) * trainTimesteps_;
    stepIndex_.reset();
}

at::Tensor FlowMatchDiscreteScheduler::step(const at::Tensor& modelOutput,
                                            const at::Tensor& timestep, const at::Tensor& sample) {
    if (!timesteps_.defined()) {
        throw std::logic_error("HunyuanVideo scheduler: setTimesteps() must come before step()");
    }
    if (!modelOutput.defined() || !sample.defined() || modelOutput.sizes() != sample.sizes()) {
        throw UserError("HunyuanVideo scheduler: the model output " +
                        (modelOutput.defined() ? shapeOf(modelOutput) : std::string("(none)")) +
                        " does not match the sample " +
                        (sample.defined() ? shapeOf(sample) : std::string("(none)")));
    }
    if (!stepIndex_) {
        if (!timestep.defined() || timestep.numel() != 1) {
            throw UserError("HunyuanVideo scheduler: step() needs one timestep of the schedule");
        }
        // index_for_timestep: the second match when the value occurs more than once.
        const at::Tensor matches =
            at::eq(timesteps_, timestep.reshape({}).to(at::kCPU, at::kFloat)).nonzero();
        if (matches.size(0) == 0) {
            throw UserError("HunyuanVideo scheduler: timestep " +
                            std::to_string(timestep.item<double>()) + " is not in the schedule");
        }
        stepIndex_ = matches[matches.size(0) > 1 ? 1 : 0][0].item<std::int64_t>();
    }
    const std::int64_t index = *stepIndex_;
    if (index >= timesteps_.size(0)) {
        throw std::logic_error("HunyuanVideo scheduler: every step of the schedule was taken");
    }
    // step(): sample.to(float32); dt = sigmas[i + 1] - sigmas[i] (a float32 0-dim tensor on
    // the CPU); prev = sample + model_output.to(float32) * dt.
    const at::Tensor dt = sigmas_[index + 1] - sigmas_[index];
    const at::Tensor previous = sample.to(at::kFloat) + modelOutput.to(at::kFloat) * dt;
    ++*stepIndex_;
    return previous;
}

}  // namespace storyreel::infer::hunyuan
