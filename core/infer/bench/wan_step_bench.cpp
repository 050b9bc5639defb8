#include "core/infer/bench/wan_step_bench.h"

#include "core/infer/bench/block_placement.h"
#include "core/infer/bench/reference_run.h"
#include "core/infer/bench/seeded_wan_checkpoint.h"
#include "core/infer/bench/step_files.h"
#include "core/infer/bench/step_report.h"
#include "core/infer/models/wan/wan_model.h"
#include "core/infer/models/wan/wan_weights.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/samplers/classifier_free_guidance.h"
#include "core/infer/weights/safetensors_reader.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cstdio>
#include <memory>

namespace storyreel::infer::bench {
namespace {

namespace fs = std::filesystem;
using wan::WanModel;

struct StepInputs {
    at::Tensor x, y, t, clipFea, context, contextNull;
    std::int64_t seqLen = 0;
};

struct StepOutputs {
    at::Tensor cond, uncond, noisePred;
};

// The latent grid of the options' video: (latent frames, latent rows, latent columns).
std::array<std::int64_t, 3> latentGrid(const WanStepOptions& o) {
    return {(o.frames - 1) / 4 + 1, o.height / 8, o.width / 8};
}

// Seeded inputs as image2video.py builds them: x the noise [16, F, H, W]; y = [4-channel
// first-frame mask; a 16-channel latent]; text contexts [L, text_dim]; clip_fea [1, N, 1280].
NamedTensorList makeInputs(const WanStepOptions& o) {
    const auto [f, h, w] = latentGrid(o);
    at::manual_seed(o.seed + 1000003);
    at::Tensor mask = at::zeros({4, f, h, w});
    mask.select(1, 0).fill_(1.0);
    const std::int64_t textDim = o.config.textDim;
    return {
        {"in.x", at::randn({16, f, h, w})},
        {"in.y", at::cat({mask, at::randn({16, f, h, w})}, 0)},
        {"in.t", at::full({1}, 937, at::kLong)},
        {"in.clip_fea", at::randn({1, o.clipTokens, 1280})},
        {"in.context", 0.2 * at::randn({o.textTokens, textDim})},
        {"in.context_null", 0.2 * at::randn({o.negativeTokens, textDim})},
        {"in.seq_len", at::full({1}, f * (h / 2) * (w / 2), at::kLong)},
    };
}

StepInputs readInputs(const fs::path& file, const c10::Device& device) {
    const SafetensorsReader io(file);
    StepInputs in;
    in.x = io.tensor("in.x").to(device);
    in.y = io.tensor("in.y").to(device);
    in.t = io.tensor("in.t").to(device, at::kLong);
    in.clipFea = io.tensor("in.clip_fea").to(device);
    in.context = io.tensor("in.context").to(device);
    in.contextNull = io.tensor("in.context_null").to(device);
    in.seqLen = io.tensor("in.seq_len").to(at::kLong).item<std::int64_t>();
    return in;
}

// The whole step: wan/image2video.py generate's loop body up to the scheduler.
StepOutputs step(WanModel& model, const StepInputs& in, double guideScale,
                 const c10::Device& device) {
    using Items = std::vector<at::Tensor>;
    StepOutputs out;
    out.cond =
        model.forward(Items{in.x}, in.t, Items{in.context}, in.seqLen, in.clipFea, Items{in.y})
            .front();
    out.uncond =
        model.forward(Items{in.x}, in.t, Items{in.contextNull}, in.seqLen, in.clipFea, Items{in.y})
            .front();
    out.noisePred = classifierFreeGuidance(out.cond, out.uncond, guideScale);
    synchronize(device);
    return out;
}

// Builds the model as the application does (InternalView, WanWeights), from the file or
// from the seeded rule, and places it (block_placement.h).
std::unique_ptr<WanModel> loadModel(const WanStepOptions& o, const SeededWanCheckpoint& seeded,
                                    const fs::path& weightsFile, const c10::Device& device) {
    WeightLoadOptions loadOptions;
    loadOptions.dtype = o.dtype;
    std::unique_ptr<WanModel> model;
    {
        std::unique_ptr<CheckpointFile> file;
        const CheckpointFile* source = &seeded;
        if (!o.deviceWeights) {
            file = openCheckpoint(weightsFile);
            source = file.get();
        }
        const InternalView view(*source, ModelFamily::WanDiT, CheckpointLayout::Official);
        const wan::WanWeights weights(view, loadOptions, o.config.describe());
        model = std::make_unique<WanModel>(o.config, weights, o.dtype);
    }
    if (usesBlockSwap(o)) {
        model->enableBlockSwap(
            device,
            residentBlockCount(o, model->blocks(), BlockSwapRunner::moduleBytes(*model), "block"));
    }
    return model;
}

std::string tag(const WanStepOptions& o) {
    const wan::WanModelConfig& c = o.config;
    return "d" + std::to_string(c.dim) + "-l" + std::to_string(c.numLayers) + "-h" +
           std::to_string(c.numHeads) + "-f" + std::to_string(c.ffnDim) + "-s" +
           std::to_string(o.seed);
}

void printTable(const WanStepOptions& o, const StepRoundsResult& runs,
                const WanStepResult& result) {
    const auto [f, h, w] = latentGrid(o);
    const wan::WanModelConfig& c = o.config;
    std::printf(
        "\nWan 2.1 DiT step (cond + uncond forward + guidance %.1f): %s; %lld tokens (%lld "
        "frames %lldx%lld -> latent %lldx%lldx%lld), context %lld + %lld rows; %s\n\n",
        o.guideScale, c.describe().c_str(), static_cast<long long>(result.tokens),
        static_cast<long long>(o.frames), static_cast<long long>(o.width),
        static_cast<long long>(o.height), static_cast<long long>(f), static_cast<long long>(h),
        static_cast<long long>(w), static_cast<long long>(o.clipTokens),
        static_cast<long long>(c.textLen), runContext(o, runs).c_str());
    std::string agreement = "-";
    if (result.noisePredError >= 0.0) {
        char text[160];
        std::snprintf(text, sizeof text, "noise_pred %.1e (cond %.1e, uncond %.1e)",
                      result.noisePredError, result.condError, result.uncondError);
        agreement = text;
    }
    char config[160];
    std::snprintf(config, sizeof config, "dim %lld, %lld layers, %lld heads, ffn %lld, %lld tokens",
                  static_cast<long long>(c.dim), static_cast<long long>(c.numLayers),
                  static_cast<long long>(c.numHeads), static_cast<long long>(c.ffnDim),
                  static_cast<long long>(result.tokens));
    printStepTable(o, config, agreement, runs);
    printBlockSwap(o, runs.peaks, result.residentBlocks, c.numLayers, result.blockLoads);
}

}  // namespace

WanStepResult runWanStepBench(const WanStepOptions& o) {
    at::set_num_threads(o.threads);
    const c10::Device device(o.device);
    const fs::path work = stepWorkFolder(o, "storyreel-wan-step");
    const SeededWanCheckpoint seeded(o.config, o.seed, o.deviceWeights ? device : at::kCPU);
    const StepFiles files = writeStepFiles(o, work, tag(o), makeInputs(o),
                                           {{"guide_scale", std::to_string(o.guideScale)}}, seeded);

    std::unique_ptr<WanModel> model;
    StepInputs inputs;
    StepOutputs outputs;
    StepRounds rounds;
    if (!o.reference.empty()) {
        rounds.reference = [&](int round) {
            return runReferenceStep(o, {}, seeded, files.weights, files.inputs,
                                    round == 0 ? files.referenceOutputs : fs::path())
                .run;
        };
    }
    rounds.load = [&] {
        model = loadModel(o, seeded, files.weights, device);
        inputs = readInputs(files.inputs, device);
    };
    rounds.step = [&] { outputs = step(*model, inputs, o.guideScale, device); };
    const StepRoundsResult runs = runStepRounds(o, rounds);

    WanStepResult result;
    result.tokens = inputs.seqLen;
    result.storyreel = runs.storyreel;
    result.reference = runs.reference;
    const BlockSwapRunner* swap = model->blockSwap();
    result.residentBlocks = swap ? swap->residentBlocks() : o.config.numLayers;
    result.blockLoads = swap ? swap->stats().blockLoads : 0;
    if (fs::exists(files.referenceOutputs)) {
        const SafetensorsReader io(files.referenceOutputs);
        result.noisePredError = relativeError(outputs.noisePred, io.tensor("out.noise_pred"));
        result.condError = relativeError(outputs.cond, io.tensor("out.cond"));
        result.uncondError = relativeError(outputs.uncond, io.tensor("out.uncond"));
    }
    printTable(o, runs, result);
    return result;
}

}  // namespace storyreel::infer::bench
