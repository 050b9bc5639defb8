#include "core/infer/samplers/flow_unipc.h"

#include "core/infer/samplers/flow_schedule.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace storyreel::infer {

namespace {

// The coefficients UniPC's predictor and corrector share (the part of
// multistep_uni_{p,c}_bh_update between the lambdas and the update), all 0-dim float32.
struct UniCoefficients {
    at::Tensor hh;     // -h, h = lambda_t - lambda_s0 (predict_x0)
    at::Tensor hPhi1;  // expm1(hh)
    at::Tensor bH;     // B(h): hh (bh1) or expm1(hh) (bh2)
    at::Tensor r;      // R [order, order]: rows rks^(k-1)
    at::Tensor b;      // [order]
};

// rks: the ratios (lambda_si - lambda_s0) / h, then 1.0. Same float32 operations, in the same
// order, as the reference.
UniCoefficients uniCoefficients(const at::Tensor& h, const std::vector<at::Tensor>& ratios,
                                std::int64_t order,
                                FlowUniPCMultistepScheduler::SolverType solverType) {
    UniCoefficients c;
    std::vector<at::Tensor> rks = ratios;
    rks.push_back(at::scalar_tensor(1.0, at::TensorOptions().dtype(at::kFloat)));
    const at::Tensor rksTensor = at::stack(rks);

    c.hh = -h;
    c.hPhi1 = at::expm1(c.hh);  // h\phi_1(h) = e^h - 1
    at::Tensor hPhiK = c.hPhi1 / c.hh - 1;
    c.bH = solverType == FlowUniPCMultistepScheduler::SolverType::Bh1 ? c.hh : at::expm1(c.hh);

    std::vector<at::Tensor> rows;
    std::vector<at::Tensor> bs;
    std::int64_t factorial = 1;
    for (std::int64_t i = 1; i <= order; ++i) {
        rows.push_back(at::pow(rksTensor, i - 1));
        bs.push_back(hPhiK * factorial / c.bH);
        factorial *= i + 1;
        hPhiK = hPhiK / c.hh - 1.0 / static_cast<double>(factorial);
    }
    c.r = at::stack(rows);
    c.b = at::stack(bs);
    return c;
}

// einsum("k,bkc...->bc...", rhos, D1s) without the batch axis: sum_k rhos[k] * D1s[k].
at::Tensor weightedSum(const at::Tensor& rhos, const std::vector<at::Tensor>& differences) {
    return at::einsum("k,k...->...", {rhos, at::stack(differences)});
}

}  // namespace

FlowUniPCMultistepScheduler::FlowUniPCMultistepScheduler(Options options)
    : options_(std::move(options)) {
    if (options_.solverOrder < 1) {
        throw std::invalid_argument("UniPC needs a solver order of at least 1");
    }
}

void FlowUniPCMultistepScheduler::setTimesteps(std::int64_t steps, double shift) {
    if (steps < 1) {
        throw std::invalid_argument("UniPC needs at least one step");
    }
    FlowSchedule schedule = flowSchedule(wanUniPCBaseSigmas(steps), shift);
    sigmas_ = std::move(schedule.sigmas);
    timesteps_ = std::move(schedule.timesteps);
    modelOutputs_.assign(static_cast<std::size_t>(options_.solverOrder), at::Tensor());
    lastSample_ = at::Tensor();
    lowerOrderNums_ = 0;
    thisOrder_ = 0;
    stepIndex_.reset();
}

bool FlowUniPCMultistepScheduler::correctorDisabledAfter(std::int64_t index) const {
    return std::find(options_.disableCorrector.begin(), options_.disableCorrector.end(), index) !=
           options_.disableCorrector.end();
}

at::Tensor FlowUniPCMultistepScheduler::step(const at::Tensor& modelOutput,
                                             const at::Tensor& timestep, const at::Tensor& sample) {
    if (!timesteps_.defined()) {
        throw std::logic_error("UniPC: setTimesteps() must come before step()");
    }
    if (!stepIndex_) {
        stepIndex_ = indexForTimestep(timesteps_, timestep);
    }
    const std::int64_t index = *stepIndex_;
    const std::int64_t steps = timesteps_.size(0);
    if (index >= steps) {
        throw std::logic_error("UniPC: every step of the schedule has been taken");
    }

    const bool useCorrector =
        index > 0 && !correctorDisabledAfter(index - 1) && lastSample_.defined();
    // convert_model_output (predict_x0, flow_prediction): x0 = sample - sigma * flow, from the
    // sample before correction.
    const at::Tensor x0 = sample - sigmas_[index] * modelOutput;
    at::Tensor current = sample;
    if (useCorrector) {
        current = correct(x0, lastSample_, thisOrder_);
    }

    std::rotate(modelOutputs_.begin(), modelOutputs_.begin() + 1, modelOutputs_.end());
    modelOutputs_.back() = x0;

    const std::int64_t order = options_.lowerOrderFinal
                                   ? std::min(options_.solverOrder, steps - index)
                                   : options_.solverOrder;
    thisOrder_ = std::min(order, lowerOrderNums_ + 1);  // warm-up of the multistep history

    lastSample_ = current;
    at::Tensor previous = predict(current, thisOrder_);
    if (lowerOrderNums_ < options_.solverOrder) {
        ++lowerOrderNums_;
    }
    ++*stepIndex_;
    return previous;
}

at::Tensor FlowUniPCMultistepScheduler::predict(const at::Tensor& sample,
                                                std::int64_t order) const {
    const std::int64_t index = *stepIndex_;
    const at::Tensor& m0 = modelOutputs_.back();
    const at::Tensor sigmaT = sigmas_[index + 1];
    const at::Tensor sigmaS0 = sigmas_[index];
    const at::Tensor alphaT = 1 - sigmaT;
    const at::Tensor lambdaS0 = flowLambda(sigmaS0);
    const at::Tensor h = flowLambda(sigmaT) - lambdaS0;

    std::vector<at::Tensor> ratios;
    std::vector<at::Tensor> differences;  // D1s
    for (std::int64_t i = 1; i < order; ++i) {
        const at::Tensor& mi = modelOutputs_[modelOutputs_.size() - 1 - i];
        const at::Tensor rk = (flowLambda(sigmas_[index - i]) - lambdaS0) / h;
        ratios.push_back(rk);
        differences.push_back((mi - m0) / rk);
    }
    const UniCoefficients c = uniCoefficients(h, ratios, order, options_.solverType);

    const at::Tensor xT = sigmaT / sigmaS0 * sample - alphaT * c.hPhi1 * m0;
    if (differences.empty()) {
        return xT.to(sample.scalar_type());
    }
    // Order 2 uses rho = 0.5 (the reference's simplified form), higher orders solve R rho = b.
    const at::Tensor rhos =
        order == 2 ? at::full({1}, 0.5, sample.options())
                   : at::linalg_solve(c.r.slice(0, 0, order - 1).slice(1, 0, order - 1),
                                      c.b.slice(0, 0, order - 1))
                         .to(sample.device(), sample.scalar_type());
    const at::Tensor predictorResidual = weightedSum(rhos, differences);
    return (xT - alphaT * c.bH * predictorResidual).to(sample.scalar_type());
}

at::Tensor FlowUniPCMultistepScheduler::correct(const at::Tensor& thisModelOutput,
                                                const at::Tensor& lastSample,
                                                std::int64_t order) const {
    const std::int64_t index = *stepIndex_;
    const at::Tensor& m0 = modelOutputs_.back();  // the x0 prediction of the previous step
    const at::Tensor sigmaT = sigmas_[index];
    const at::Tensor sigmaS0 = sigmas_[index - 1];
    const at::Tensor alphaT = 1 - sigmaT;
    const at::Tensor lambdaS0 = flowLambda(sigmaS0);
    const at::Tensor h = flowLambda(sigmaT) - lambdaS0;

    std::vector<at::Tensor> ratios;
    std::vector<at::Tensor> differences;
    for (std::int64_t i = 1; i < order; ++i) {
        const at::Tensor& mi = modelOutputs_[modelOutputs_.size() - 1 - i];
        const at::Tensor rk = (flowLambda(sigmas_[index - (i + 1)]) - lambdaS0) / h;
        ratios.push_back(rk);
        differences.push_back((mi - m0) / rk);
    }
    const UniCoefficients c = uniCoefficients(h, ratios, order, options_.solverType);

    // Order 1 uses rho = 0.5 (the reference's simplified form), higher orders solve R rho = b.
    const at::Tensor rhos =
        order == 1 ? at::full({1}, 0.5, lastSample.options())
                   : at::linalg_solve(c.r, c.b).to(lastSample.device(), lastSample.scalar_type());

    const at::Tensor xT = sigmaT / sigmaS0 * lastSample - alphaT * c.hPhi1 * m0;
    const at::Tensor d1T = thisModelOutput - m0;
    at::Tensor correction = rhos[order - 1] * d1T;
    if (!differences.empty()) {
        correction = weightedSum(rhos.slice(0, 0, order - 1), differences) + correction;
    }
    return (xT - alphaT * c.bH * correction).to(lastSample.scalar_type());
}

}  // namespace storyreel::infer
