#include "core/infer/samplers/flow_schedule.h"

#include <ATen/ATen.h>

#include <stdexcept>
#include <string>

namespace storyreel::infer {

namespace {

// numpy rounds a product before adding to it. GCC contracts a*b + c into one fused
// multiply-add wherever the target has one (aarch64, x86-64 with -march=native), which
// would move a sigma by an ulp and, through int64(sigma * 1000), a timestep by one; the
// volatile store forces the rounding.
double roundedProduct(double a, double b) {
    volatile double product = a * b;
    return product;
}

}  // namespace

std::vector<double> numpyLinspace(double start, double stop, std::int64_t count) {
    std::vector<double> values;
    if (count <= 0) {
        return values;
    }
    values.reserve(static_cast<std::size_t>(count));
    if (count == 1) {
        values.push_back(start);
        return values;
    }
    // numpy/core/function_base.py linspace: step = (stop - start) / div; y = arange * step
    // + start; y[-1] = stop (the step is never 0 here: start != stop for every caller).
    const double step = (stop - start) / static_cast<double>(count - 1);
    for (std::int64_t i = 0; i < count; ++i) {
        values.push_back(roundedProduct(static_cast<double>(i), step) + start);
    }
    values.back() = stop;
    return values;
}

double shiftSigma(double sigma, double shift) {
    // shift * sigmas / (1 + (shift - 1) * sigmas): numerator, then denominator, then divide.
    const double numerator = shift * sigma;
    const double denominator = 1.0 + roundedProduct(shift - 1.0, sigma);
    return numerator / denominator;
}

std::vector<double> wanUniPCBaseSigmas(std::int64_t steps) {
    // __init__: alphas = linspace(1, 1/N, N)[::-1]; sigmas = 1 - alphas, cast to float32;
    // sigma_max = sigmas[0].item() = float32(1 - 1/N) (linspace's last value is 1/N exactly);
    // sigma_min = 0. The constructor's shift is 1, which leaves the float32 values as they are.
    const double trainTimesteps = static_cast<double>(kWanTrainTimesteps);
    const double sigmaMax = static_cast<double>(static_cast<float>(1.0 - 1.0 / trainTimesteps));
    std::vector<double> sigmas = numpyLinspace(sigmaMax, 0.0, steps + 1);
    sigmas.pop_back();
    return sigmas;
}

std::vector<double> wanSamplingSigmas(std::int64_t steps, double shift) {
    std::vector<double> sigmas = numpyLinspace(1.0, 0.0, steps + 1);
    sigmas.pop_back();
    for (double& sigma : sigmas) {
        sigma = shiftSigma(sigma, shift);
    }
    return sigmas;
}

FlowSchedule flowSchedule(const std::vector<double>& sigmas, double shift) {
    if (sigmas.empty()) {
        throw std::invalid_argument("a sampler needs at least one step");
    }
    const auto steps = static_cast<std::int64_t>(sigmas.size());
    FlowSchedule schedule;
    schedule.sigmas = at::zeros({steps + 1}, at::TensorOptions().dtype(at::kFloat));
    schedule.timesteps = at::zeros({steps}, at::TensorOptions().dtype(at::kLong));
    float* sigmaOut = schedule.sigmas.data_ptr<float>();
    std::int64_t* timestepOut = schedule.timesteps.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < steps; ++i) {
        const double shifted = shiftSigma(sigmas[static_cast<std::size_t>(i)], shift);
        // timesteps = sigmas * num_train_timesteps (float64), .to(int64): truncation.
        timestepOut[i] =
            static_cast<std::int64_t>(shifted * static_cast<double>(kWanTrainTimesteps));
        sigmaOut[i] = static_cast<float>(shifted);
    }
    sigmaOut[steps] = 0.0f;
    return schedule;
}

std::int64_t indexForTimestep(const at::Tensor& timesteps, const at::Tensor& timestep) {
    const at::Tensor indices = at::eq(timesteps, timestep.to(timesteps.device())).nonzero();
    const std::int64_t matches = indices.size(0);
    if (matches == 0) {
        throw std::invalid_argument("timestep " + std::to_string(timestep.item<double>()) +
                                    " is not in the sampler's schedule");
    }
    return indices[matches > 1 ? 1 : 0][0].item<std::int64_t>();
}

at::Tensor flowLambda(const at::Tensor& sigma) {
    // _sigma_to_alpha_sigma_t: alpha = 1 - sigma; lambda = log(alpha) - log(sigma).
    const at::Tensor alpha = 1 - sigma;
    return at::log(alpha) - at::log(sigma);
}

}  // namespace storyreel::infer
