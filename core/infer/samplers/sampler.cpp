#include "core/infer/samplers/sampler.h"

#include "core/infer/samplers/flow_dpmpp.h"
#include "core/infer/samplers/flow_euler.h"
#include "core/infer/samplers/flow_unipc.h"

#include <stdexcept>

namespace storyreel::infer {

std::unique_ptr<Sampler> makeSampler(std::string_view name) {
    // The names of generate.py's --sample_solver, plus "euler" for step-distilled LoRAs.
    if (name == "unipc") {
        return std::make_unique<FlowUniPCMultistepScheduler>();
    }
    if (name == "dpm++") {
        return std::make_unique<FlowDPMSolverMultistepScheduler>();
    }
    if (name == "euler") {
        return std::make_unique<FlowEulerSampler>();
    }
    throw std::invalid_argument("unknown sampler \"" + std::string(name) +
                                "\"; the samplers are unipc, dpm++ and euler");
}

std::vector<std::string> samplerNames() {
    return {"unipc", "dpm++", "euler"};
}

}  // namespace storyreel::infer
