// The flow-matching noise schedules of Wan 2.1's samplers, computed the way the reference
// computes them (numpy float64, then float32 sigmas and int64 timesteps), so that the
// timesteps handed to the DiT are the reference's to the integer:
// - UniPC (wan/utils/fm_solvers_unipc.py set_timesteps): linspace(sigma_max, 0, N+1)[:-1]
//   with sigma_max = float32(0.999), then shifted;
// - DPM++ and Euler (wan/utils/fm_solvers.py get_sampling_sigmas): linspace(1, 0, N+1)[:N],
//   shifted (so the first sigma is exactly 1).
// A shift s maps sigma to s*sigma / (1 + (s-1)*sigma); timesteps = int64(sigma * 1000)
// (truncation); sigmas gain a final 0 (final_sigmas_type "zero").
//
//   FlowSchedule schedule = flowSchedule(wanSamplingSigmas(40, 3.0), 1.0);
//   at::Tensor t = schedule.timesteps;  // int64 [40], CPU
//
// Thread-safety: pure functions.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace storyreel::infer {

// num_train_timesteps of every Wan 2.1 model (wan/configs/shared_config.py).
inline constexpr std::int64_t kWanTrainTimesteps = 1000;

struct FlowSchedule {
    at::Tensor sigmas;     // float32 [steps + 1] on the CPU, the last one 0
    at::Tensor timesteps;  // int64 [steps] on the CPU: what the DiT receives
};

// numpy.linspace(start, stop, count) in float64, value for value (i * step + start, two
// roundings, the last value set to stop).
std::vector<double> numpyLinspace(double start, double stop, std::int64_t count);

// shift * sigma / (1 + (shift - 1) * sigma), evaluated in numpy's order.
double shiftSigma(double sigma, double shift);

// The unshifted UniPC sigmas: linspace(sigma_max, 0, steps + 1) without its last value, where
// sigma_max = float32(1 - 1/1000) read back as a double (the scheduler's training table,
// built with shift 1 as image2video.py builds it).
std::vector<double> wanUniPCBaseSigmas(std::int64_t steps);

// get_sampling_sigmas(steps, shift): linspace(1, 0, steps + 1)[:steps], shifted.
std::vector<double> wanSamplingSigmas(std::int64_t steps, double shift);

// Applies `shift` to `sigmas` (float64) and derives the float32 sigmas (with the final 0) and
// the int64 timesteps. Throws std::invalid_argument for an empty list.
FlowSchedule flowSchedule(const std::vector<double>& sigmas, double shift);

// index_for_timestep: the position of `timestep` in `timesteps`, the second one when it occurs
// more than once (the reference's rule for the first step). Throws std::invalid_argument
// when the schedule does not hold it.
std::int64_t indexForTimestep(const at::Tensor& timesteps, const at::Tensor& timestep);

// lambda = log(alpha) - log(sigma) with alpha = 1 - sigma, on a 0-dim float32 sigma, with
// the reference's float32 tensor operations (sigma 1 gives -inf, sigma 0 gives +inf).
at::Tensor flowLambda(const at::Tensor& sigma);

}  // namespace storyreel::infer
