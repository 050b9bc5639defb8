#include "core/infer/bench/hunyuan_step_bench.h"

#include "core/infer/bench/block_placement.h"
#include "core/infer/bench/reference_run.h"
#include "core/infer/bench/seeded_hunyuan_checkpoint.h"
#include "core/infer/bench/step_files.h"
#include "core/infer/bench/step_report.h"
#include "core/infer/layers/module_weights.h"
#include "core/infer/models/hunyuan/hy_dit_model.h"
#include "core/infer/models/hunyuan/hy_rope.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/weights/safetensors_reader.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cstdio>
#include <memory>

namespace storyreel::infer::bench {
namespace {

namespace fs = std::filesystem;
using hunyuan::HunyuanDiT;
using hunyuan::HunyuanDiTInputs;

// The latent grid of the options' video: (latent frames, latent rows, latent columns).
std::array<std::int64_t, 3> latentGrid(const HunyuanStepOptions& o) {
    return {(o.frames - 1) / 4 + 1, o.height / 8, o.width / 8};
}

std::int64_t textRows(const HunyuanStepOptions& o) {
    return o.imageTokens + o.textTokens;
}

// Seeded inputs as the pipeline gives them to the transformer at one step of the released
// I2V default: x = [image latent on frame 0 | noise] [1, 16, F, H, W]; t [1]; the LLaVA
// states cropped to [image tokens; prompt part] with their mask (image rows and the first
// promptTokens prompt rows 1, the rest padding); the CLIP-L pooled states; guidance
// 6.0 * 1000; and Storyreel's RoPE tables, which the reference compares with its own. The
// metadata holds the video size the tables are for.
NamedTensorList makeInputs(const HunyuanStepOptions& o) {
    const auto [f, h, w] = latentGrid(o);
    const hunyuan::HunyuanDiTConfig& c = o.config;
    at::manual_seed(static_cast<std::uint64_t>(o.seed + 1000003));
    const std::int64_t rows = textRows(o);
    at::Tensor mask = at::zeros({1, rows}, at::kLong);
    mask.narrow(1, 0, o.imageTokens + o.promptTokens).fill_(1);
    const hunyuan::HunyuanRotaryTables rope =
        hunyuan::hunyuanRotaryTables(c, o.frames, o.height, o.width);
    return {
        {"in.x", at::randn({1, c.inChannels, f, h, w})},
        {"in.t", at::full({1}, o.timestep, at::kFloat)},
        {"in.text_states", at::randn({1, rows, c.textStatesDim})},
        {"in.text_mask", mask},
        {"in.text_states_2", at::randn({1, c.textStatesDim2})},
        {"in.guidance", at::full({1}, o.embeddedGuidance * 1000.0, at::kFloat)},
        {"in.freqs_cos", rope.cos},
        {"in.freqs_sin", rope.sin},
    };
}

HunyuanDiTInputs readInputs(const fs::path& file, const c10::Device& device) {
    const SafetensorsReader io(file);
    HunyuanDiTInputs in;
    in.x = io.tensor("in.x").to(device);
    in.t = io.tensor("in.t").to(device);
    in.textStates = io.tensor("in.text_states").to(device);
    in.textMask = io.tensor("in.text_mask").to(device, at::kLong);
    in.textStates2 = io.tensor("in.text_states_2").to(device);
    in.guidance = io.tensor("in.guidance").to(device);
    in.freqsCos = io.tensor("in.freqs_cos").to(device);
    in.freqsSin = io.tensor("in.freqs_sin").to(device);
    return in;
}

// The whole step: one forward (cfg_scale 1), as pipeline_hunyuan_video.py's loop body up to
// the scheduler.
at::Tensor step(HunyuanDiT& model, const HunyuanDiTInputs& in, const c10::Device& device) {
    at::Tensor out = model.forward(in);
    synchronize(device);
    return out;
}

// Builds the model as the application does (InternalView, ModuleWeights), from the file or
// from the seeded rule, and places it (block_placement.h).
std::unique_ptr<HunyuanDiT> loadModel(const HunyuanStepOptions& o,
                                      const SeededHunyuanCheckpoint& seeded,
                                      const fs::path& weightsFile, const c10::Device& device) {
    WeightLoadOptions loadOptions;
    loadOptions.dtype = o.dtype;
    std::unique_ptr<HunyuanDiT> model;
    {
        std::unique_ptr<CheckpointFile> file;
        const CheckpointFile* source = &seeded;
        if (!o.deviceWeights) {
            file = openCheckpoint(weightsFile);
            source = file.get();
        }
        const InternalView view(*source, ModelFamily::HunyuanDiT, CheckpointLayout::Official);
        const ModuleWeights weights(view, loadOptions, "HunyuanVideo DiT", o.config.describe());
        model = std::make_unique<HunyuanDiT>(o.config, weights, o.dtype);
    }
    if (usesBlockSwap(o)) {
        model->enableBlockSwap(
            device, residentBlockCount(o, model->blocks(), BlockSwapRunner::moduleBytes(*model),
                                       "largest block"));
    }
    return model;
}

// Runs the reference once (warm-up + repeats): its figures, and the RoPE tables' error
// (-1 when it reports none); prints the shims it reports.
MeasuredRun runReference(const HunyuanStepOptions& o, const SeededHunyuanCheckpoint& seeded,
                         const fs::path& weightsFile, const fs::path& inputsFile,
                         const fs::path& outputsFile, double& ropeTableError) {
    std::vector<std::string> modeArgs;
    if (!o.deps.empty()) {
        modeArgs.insert(modeArgs.end(), {"--deps", o.deps.string()});
    }
    modeArgs.insert(modeArgs.end(), {"--attention", o.referenceAttention});
    const ReferenceReport report =
        runReferenceStep(o, modeArgs, seeded, weightsFile, inputsFile, outputsFile);
    const JsonValue* error = report.json.find("rope_table_error");
    ropeTableError = error && error->isNumber() ? error->asDouble().value_or(-1.0) : -1.0;
    if (const JsonValue* shims = report.json.find("shims"); shims != nullptr && shims->isArray()) {
        std::string text;
        for (const JsonValue& shim : shims->items()) {
            text += (text.empty() ? "" : "; ") + shim.text();
        }
        std::printf("reference shims: %s\n", text.c_str());
    }
    return report.run;
}

std::string tag(const HunyuanStepOptions& o) {
    const hunyuan::HunyuanDiTConfig& c = o.config;
    return "h" + std::to_string(c.hiddenSize) + "-n" + std::to_string(c.headsNum) + "-d" +
           std::to_string(c.doubleBlocks) + "-s" + std::to_string(c.singleBlocks) + "-t" +
           std::to_string(c.textStatesDim) + "-" + std::to_string(c.textStatesDim2) + "-r" +
           std::to_string(o.seed);
}

void printTable(const HunyuanStepOptions& o, const StepRoundsResult& runs,
                const HunyuanStepResult& result) {
    const auto [f, h, w] = latentGrid(o);
    const hunyuan::HunyuanDiTConfig& c = o.config;
    std::printf(
        "\nHunyuanVideo-I2V DiT step (one forward, cfg 1, embedded guidance %.1f): %s; %lld "
        "video tokens (%lld frames %lldx%lld -> latent %lldx%lldx%lld), text %lld rows "
        "(%lld valid); %s\n\n",
        o.embeddedGuidance, c.describe().c_str(), static_cast<long long>(result.tokens),
        static_cast<long long>(o.frames), static_cast<long long>(o.width),
        static_cast<long long>(o.height), static_cast<long long>(f), static_cast<long long>(h),
        static_cast<long long>(w), static_cast<long long>(result.textRows),
        static_cast<long long>(result.validTextRows), runContext(o, runs).c_str());
    std::string agreement = "-";
    if (result.outputError >= 0.0) {
        char text[160];
        std::snprintf(text, sizeof text, "x %.1e (RoPE tables %.1e)", result.outputError,
                      result.ropeTableError);
        agreement = text;
    }
    char config[160];
    std::snprintf(config, sizeof config,
                  "hidden %lld, %lld heads, %lld double + %lld single, %lld + %lld tokens",
                  static_cast<long long>(c.hiddenSize), static_cast<long long>(c.headsNum),
                  static_cast<long long>(c.doubleBlocks), static_cast<long long>(c.singleBlocks),
                  static_cast<long long>(result.tokens), static_cast<long long>(result.textRows));
    printStepTable(o, config, agreement, runs);
    printBlockSwap(o, runs.peaks, result.residentBlocks, c.doubleBlocks + c.singleBlocks,
                   result.blockLoads);
}

// --vs-wan: Storyreel's Wan 2.1 I2V step at the same frames, size and placement, then the
// seconds per clip of each.
void compareWithWan(const HunyuanStepOptions& o, const fs::path& work, HunyuanStepResult& result) {
    WanStepOptions w = o.wan;
    w.frames = o.frames;
    w.height = o.height;
    w.width = o.width;
    w.device = o.device;
    w.dtype = o.dtype;
    w.threads = o.threads;
    w.warmup = o.warmup;
    w.repeats = o.repeats;
    w.rounds = o.rounds;
    w.profile = o.profile;
    w.deviceWeights = o.deviceWeights;
    w.seed = o.seed;
    w.reference.clear();  // Storyreel only
    w.workDir = work / "wan";
    std::printf("\n--vs-wan: Storyreel's Wan 2.1 I2V DiT step at the same video\n");
    result.wan = runWanStepBench(w);
    const double hunyuanStep = median(result.storyreel.seconds);
    const double wanStep = median(result.wan->storyreel.seconds);
    result.hunyuanClipSeconds = hunyuanStep * o.hunyuanSteps;
    result.wanClipSeconds = wanStep * o.wanSteps;
    const hunyuan::HunyuanDiTConfig& c = o.config;
    std::printf(
        "\nSeconds per clip, Storyreel, %lld frames of %lldx%lld (Wan plays them at 16 fps, "
        "HunyuanVideo at 24 fps: same frame count and pixel size, not the same duration), "
        "%s %s\n\n"
        "| model | s/step | forwards per step | steps per clip | s/clip | peak CUDA / RSS |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| HunyuanVideo-I2V DiT (hidden %lld, %lld + %lld blocks) | %.2f | 1 (cfg 1, embedded "
        "guidance) | %d | %.1f | %s / %s |\n"
        "| Wan 2.1 I2V DiT (%s) | %.2f | 2 (cond + uncond) | %d | %.1f | %s / %s |\n\n"
        "HunyuanVideo / Wan per clip: %.3f (target < 1)\n",
        static_cast<long long>(o.frames), static_cast<long long>(o.width),
        static_cast<long long>(o.height), c10::Device(o.device).str().c_str(),
        c10::toString(o.dtype), static_cast<long long>(c.hiddenSize),
        static_cast<long long>(c.doubleBlocks), static_cast<long long>(c.singleBlocks), hunyuanStep,
        o.hunyuanSteps, result.hunyuanClipSeconds, gib(result.storyreel.cudaPeakBytes).c_str(),
        gib(result.storyreel.stepPeakBytes).c_str(), w.config.describe().c_str(), wanStep,
        o.wanSteps, result.wanClipSeconds, gib(result.wan->storyreel.cudaPeakBytes).c_str(),
        gib(result.wan->storyreel.stepPeakBytes).c_str(),
        result.wanClipSeconds > 0 ? result.hunyuanClipSeconds / result.wanClipSeconds : 0.0);
}

}  // namespace

HunyuanStepResult runHunyuanStepBench(const HunyuanStepOptions& o) {
    at::set_num_threads(o.threads);
    const c10::Device device(o.device);
    const fs::path work = stepWorkFolder(o, "storyreel-hunyuan-step");
    HunyuanStepResult result;
    {
        const SeededHunyuanCheckpoint seeded(o.config, o.seed,
                                             o.deviceWeights ? device : c10::Device(at::kCPU));
        const StepFiles files = writeStepFiles(o, work, tag(o), makeInputs(o),
                                               {{"frames", std::to_string(o.frames)},
                                                {"height", std::to_string(o.height)},
                                                {"width", std::to_string(o.width)}},
                                               seeded);

        std::unique_ptr<HunyuanDiT> model;
        HunyuanDiTInputs inputs;
        at::Tensor output;
        StepRounds rounds;
        if (!o.reference.empty()) {
            rounds.reference = [&](int round) {
                double ropeTableError = -1.0;
                const MeasuredRun run =
                    runReference(o, seeded, files.weights, files.inputs,
                                 round == 0 ? files.referenceOutputs : fs::path(), ropeTableError);
                if (round == 0) {
                    result.ropeTableError = ropeTableError;
                }
                return run;
            };
        }
        rounds.load = [&] {
            model = loadModel(o, seeded, files.weights, device);
            inputs = readInputs(files.inputs, device);
        };
        rounds.step = [&] { output = step(*model, inputs, device); };
        const StepRoundsResult runs = runStepRounds(o, rounds);

        const auto [f, h, w] = latentGrid(o);
        result.tokens = f * (h / 2) * (w / 2);
        result.textRows = textRows(o);
        result.validTextRows = o.imageTokens + o.promptTokens;
        result.storyreel = runs.storyreel;
        result.reference = runs.reference;
        const BlockSwapRunner* swap = model->blockSwap();
        result.residentBlocks =
            swap ? swap->residentBlocks() : o.config.doubleBlocks + o.config.singleBlocks;
        result.blockLoads = swap ? swap->stats().blockLoads : 0;
        if (fs::exists(files.referenceOutputs)) {
            const SafetensorsReader io(files.referenceOutputs);
            result.outputError = relativeError(output, io.tensor("out.x"));
        }
        printTable(o, runs, result);
    }  // the HunyuanVideo model is freed before the Wan one loads
    if (o.vsWan) {
        compareWithWan(o, work, result);
    }
    return result;
}

}  // namespace storyreel::infer::bench
