// HunyuanVideo's flow-matching Euler scheduler, as hyvideo/diffusion/schedulers/
// scheduling_flow_match_discrete.py FlowMatchDiscreteScheduler computes it, in the same
// float32 tensor operations so the schedule is the reference's bit for bit:
// sigmas = shift*s / (1 + (shift-1)*s) for s = torch.linspace(1, 0, n+1) (float32), then
// 1 - sigmas when not reversed; timesteps = sigmas[:-1] * 1000 (float32, what the DiT gets);
// step: x + v * (sigmas[i+1] - sigmas[i]) in float32.
// (The Wan samplers compute their schedule in numpy float64 and truncate timesteps to
// integers, so they are not reused here.)
//
//   FlowMatchDiscreteScheduler scheduler(7.0);   // shift 7, reverse, euler
//   scheduler.setTimesteps(50);
//   x = scheduler.step(v, scheduler.timesteps()[0], x);
//
// Thread-safety: an object per run (step() advances its step index).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace storyreel::infer::hunyuan {

// num_train_timesteps of the released scheduler.
inline constexpr std::int64_t kHunyuanTrainTimesteps = 1000;

// The shifted sigmas for `steps` steps: float32 [steps + 1] on the CPU, from 1 to 0 when
// `reverse` (the released setting), from 0 to 1 otherwise. Throws UserError for steps < 1
// or a shift that is not a positive finite number.
at::Tensor hunyuanFlowSigmas(std::int64_t steps, double shift, bool reverse = true);

class FlowMatchDiscreteScheduler {
public:
    // solver: "euler", the only one the reference supports (UserError otherwise).
    explicit FlowMatchDiscreteScheduler(double shift = 1.0, bool reverse = true,
                                        std::string_view solver = "euler",
                                        std::int64_t trainTimesteps = kHunyuanTrainTimesteps);

    // Builds the schedule and resets the step index (n_tokens of the reference is ignored
    // there too).
    void setTimesteps(std::int64_t steps);

    const at::Tensor& sigmas() const { return sigmas_; }        // float32 [n + 1], CPU
    const at::Tensor& timesteps() const { return timesteps_; }  // float32 [n], CPU
    double shift() const { return shift_; }
    bool reverse() const { return reverse_; }
    // The index of the next step; empty before the first step() after setTimesteps().
    std::optional<std::int64_t> stepIndex() const { return stepIndex_; }

    // One Euler step: sample (any float dtype, any device) + modelOutput * dt in float32;
    // returns float32 on the sample's device. The first call finds `timestep` (a 0-dim or
    // 1-element tensor) in the schedule (the second match when it occurs twice, as
    // index_for_timestep does); later calls advance by one. Throws std::logic_error before
    // setTimesteps() or past the last step, UserError for a timestep not in the schedule or
    // mismatched shapes.
    at::Tensor step(const at::Tensor& modelOutput, const at::Tensor& timestep,
                    const at::Tensor& sample);

private:
    double shift_;
    bool reverse_;
    std::int64_t trainTimesteps_;
    at::Tensor sigmas_;
    at::Tensor timesteps_;
    std::optional<std::int64_t> stepIndex_;
};

}  // namespace storyreel::infer::hunyuan
