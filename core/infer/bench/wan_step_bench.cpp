#include "core/infer/bench/wan_step_bench.h"

#include "core/base/user_error.h"
#include "core/infer/bench/child_process.h"
#include "core/infer/bench/seeded_wan_checkpoint.h"
#include "core/infer/memory/block_swap.h"
#include "core/infer/memory/device_memory.h"
#include "core/infer/memory/memory_profile.h"
#include "core/infer/models/wan/wan_model.h"
#include "core/infer/models/wan/wan_weights.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/samplers/classifier_free_guidance.h"
#include "core/infer/weights/json_value.h"
#include "core/infer/weights/safetensors_reader.h"
#include "core/infer/weights/safetensors_writer.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <time.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>

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

// What one implementation measured, and what it ran on.
struct Measured : WanStepMeasurement {
    std::string version;
    int threads = 0;
};

double median(std::vector<double> values) {
    if (values.empty()) {
        return 0.0;
    }
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

std::string gib(std::int64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f GiB", static_cast<double>(bytes) / (1 << 30));
    return text;
}

std::string fixed(double value, int digits) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", digits, value);
    return text;
}

// CPU time of every thread of the process: on a loaded machine it varies less than the
// wall clock (both implementations run on the same libtorch and OpenMP runtime).
double processCpuSeconds() {
    timespec now{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

std::string loadAverage() {
    std::ifstream file("/proc/loadavg");
    std::string one;
    file >> one;
    return one.empty() ? "?" : one;
}

void synchronize(const c10::Device& device) {
    if (device.is_cuda()) {
        torch::cuda::synchronize(device.index());
    }
}

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
// from the seeded rule, and places it: on CUDA (or with a profile) through block swap with
// the profile's resident blocks (all of them without a profile).
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
    if (device.is_cuda() || !o.profile.empty() || o.residentBlocks >= 0) {
        const MemoryProfile profile =
            o.profile.empty() ? MemoryProfile{} : profileByName(o.profile);
        const BlockSwapRunner::Blocks blocks = model->blocks();
        const std::int64_t blockBytes = BlockSwapRunner::moduleBytes(*blocks.front());
        const std::int64_t otherBytes = BlockSwapRunner::moduleBytes(*model) -
                                        blockBytes * static_cast<std::int64_t>(blocks.size());
        const auto count = static_cast<std::int64_t>(blocks.size());
        std::int64_t resident =
            o.profile.empty() ? count : profile.residentBlocks(count, blockBytes, otherBytes);
        if (o.residentBlocks >= 0) {
            resident = std::min(o.residentBlocks, count);
        }
        model->enableBlockSwap(device, resident);
        std::printf("placement: %lld of %lld blocks resident on %s (block %s, rest %s)\n",
                    static_cast<long long>(resident), static_cast<long long>(count),
                    device.str().c_str(), gib(blockBytes).c_str(), gib(otherBytes).c_str());
    }
    return model;
}

// Runs the reference once (warm-up + repeats) and returns what it reported.
Measured runReference(const WanStepOptions& o, const SeededWanCheckpoint& seeded,
                      const fs::path& weightsFile, const fs::path& inputsFile,
                      const fs::path& outputsFile) {
    std::vector<std::string> argv = {o.python,    o.script.string(),
                                     "--ref",     o.reference.string(),
                                     "--inputs",  inputsFile.string(),
                                     "--device",  o.device,
                                     "--dtype",   o.dtype == at::kBFloat16 ? "bfloat16" : "float32",
                                     "--threads", std::to_string(o.threads),
                                     "--warmup",  std::to_string(o.warmup),
                                     "--repeats", std::to_string(o.repeats)};
    if (o.deviceWeights) {
        argv.insert(argv.end(), {"--random-weights", std::to_string(seeded.seed()), "--config",
                                 seeded.referenceConfigJson()});
    } else {
        argv.insert(argv.end(), {"--weights", weightsFile.string()});
    }
    if (!outputsFile.empty()) {
        argv.insert(argv.end(), {"--save", outputsFile.string()});
    }
    const ChildResult child = runChild(argv);
    const std::string line = lastJsonLine(child.output);
    if (child.exitStatus != 0 || line.empty()) {
        throw UserError("the reference (" + o.script.string() + ") failed with status " +
                        std::to_string(child.exitStatus) + "; its output:\n" + child.output);
    }
    const JsonValue json = parseJson(line);
    const auto number = [&](const char* key) {
        const JsonValue* value = json.find(key);
        return value && value->isNumber() ? value->asDouble().value_or(0.0) : 0.0;
    };
    Measured m;
    for (const JsonValue& seconds : json.find("seconds")->items()) {
        m.seconds.push_back(seconds.asDouble().value_or(0.0));
    }
    if (const JsonValue* cpu = json.find("cpu_seconds"); cpu != nullptr && cpu->isArray()) {
        for (const JsonValue& seconds : cpu->items()) {
            m.cpuSeconds.push_back(seconds.asDouble().value_or(0.0));
        }
    }
    m.stepPeakBytes = static_cast<std::int64_t>(number("step_peak_rss_bytes"));
    m.processPeakBytes = static_cast<std::int64_t>(number("peak_rss_bytes"));
    m.cudaPeakBytes = static_cast<std::int64_t>(number("cuda_peak_allocated_bytes"));
    m.threads = static_cast<int>(number("threads"));
    m.version = "torch " + json.find("torch")->text();
    return m;
}

double relativeError(const at::Tensor& got, const at::Tensor& want) {
    const at::Tensor a = got.to(at::kCPU, at::kDouble);
    const at::Tensor b = want.to(at::kCPU, at::kDouble);
    return (a - b).norm().item<double>() / b.norm().item<double>();
}

std::string secondsList(const std::vector<double>& seconds) {
    std::string text;
    for (const double s : seconds) {
        char value[32];
        std::snprintf(value, sizeof value, "%s%.2f", text.empty() ? "" : " ", s);
        text += value;
    }
    return text;
}

std::string tag(const WanStepOptions& o) {
    const wan::WanModelConfig& c = o.config;
    return "d" + std::to_string(c.dim) + "-l" + std::to_string(c.numLayers) + "-h" +
           std::to_string(c.numHeads) + "-f" + std::to_string(c.ffnDim) + "-s" +
           std::to_string(o.seed);
}

// Everything the printed table shows besides the result.
struct Table {
    Measured storyreel;
    Measured reference;
    PeakMemoryReport peaks;
    std::string loadBefore;
    std::string loadAfter;
};

void printTable(const WanStepOptions& o, const Table& table, const WanStepResult& result) {
    const auto [f, h, w] = latentGrid(o);
    const wan::WanModelConfig& c = o.config;
    const c10::Device device(o.device);
    const bool haveReference = !result.reference.seconds.empty();
    std::printf(
        "\nWan 2.1 DiT step (cond + uncond forward + guidance %.1f): %s; %lld tokens (%lld "
        "frames %lldx%lld -> latent %lldx%lldx%lld), context %lld + %lld rows; %s %s, %d "
        "threads; load average %s -> %s; %s vs %s\n\n",
        o.guideScale, c.describe().c_str(), static_cast<long long>(result.tokens),
        static_cast<long long>(o.frames), static_cast<long long>(o.width),
        static_cast<long long>(o.height), static_cast<long long>(f), static_cast<long long>(h),
        static_cast<long long>(w), static_cast<long long>(o.clipTokens),
        static_cast<long long>(c.textLen), device.str().c_str(), c10::toString(o.dtype),
        table.storyreel.threads, table.loadBefore.c_str(), table.loadAfter.c_str(),
        table.storyreel.version.c_str(),
        haveReference ? table.reference.version.c_str() : "no reference");
    const double ours = median(result.storyreel.seconds);
    const double theirs = median(result.reference.seconds);
    std::string agreement = "-";
    if (result.noisePredError >= 0.0) {
        char text[160];
        std::snprintf(text, sizeof text, "noise_pred %.1e (cond %.1e, uncond %.1e)",
                      result.noisePredError, result.condError, result.uncondError);
        agreement = text;
    }
    const std::string cudaHeader =
        device.is_cuda() ? " CUDA peak allocated (Storyreel / reference) |" : "";
    std::printf(
        "| config | Storyreel s/step | reference s/step | ratio | Storyreel peak RSS (step / "
        "process) | reference peak RSS (step / process) |%s output rel. error |\n"
        "| --- | --- | --- | --- | --- | --- |%s --- |\n",
        cudaHeader.c_str(), device.is_cuda() ? " --- |" : "");
    const std::string referencePeaks = haveReference ? gib(result.reference.stepPeakBytes) + " / " +
                                                           gib(result.reference.processPeakBytes)
                                                     : "-";
    std::printf(
        "| dim %lld, %lld layers, %lld heads, ffn %lld, %lld tokens | %.2f | %s | %s | "
        "%s / %s | %s |",
        static_cast<long long>(c.dim), static_cast<long long>(c.numLayers),
        static_cast<long long>(c.numHeads), static_cast<long long>(c.ffnDim),
        static_cast<long long>(result.tokens), ours, haveReference ? fixed(theirs, 2).c_str() : "-",
        haveReference ? fixed(ours / theirs, 3).c_str() : "-",
        gib(result.storyreel.stepPeakBytes).c_str(), gib(result.storyreel.processPeakBytes).c_str(),
        referencePeaks.c_str());
    if (device.is_cuda()) {
        std::printf(" %s / %s |", gib(result.storyreel.cudaPeakBytes).c_str(),
                    haveReference ? gib(result.reference.cudaPeakBytes).c_str() : "-");
    }
    std::printf(" %s |\n\nseconds per step: Storyreel %s; reference %s\n", agreement.c_str(),
                secondsList(result.storyreel.seconds).c_str(),
                haveReference ? secondsList(result.reference.seconds).c_str() : "-");
    const double oursCpu = median(result.storyreel.cpuSeconds);
    const double theirsCpu = median(result.reference.cpuSeconds);
    std::printf(
        "CPU seconds per step (all threads): Storyreel %s (median %.2f); reference %s "
        "(median %s); ratio %s\n",
        secondsList(result.storyreel.cpuSeconds).c_str(), oursCpu,
        haveReference ? secondsList(result.reference.cpuSeconds).c_str() : "-",
        haveReference ? fixed(theirsCpu, 2).c_str() : "-",
        haveReference && theirsCpu > 0 ? fixed(oursCpu / theirsCpu, 3).c_str() : "-");
    if (result.residentBlocks < c.numLayers || device.is_cuda()) {
        std::printf("block swap: %lld of %lld blocks resident, %lld blocks copied in\n\n%s\n%s\n",
                    static_cast<long long>(result.residentBlocks),
                    static_cast<long long>(c.numLayers), static_cast<long long>(result.blockLoads),
                    PeakMemoryReport::tableHeader().c_str(),
                    table.peaks.tableRow(o.profile.empty() ? "all resident" : o.profile).c_str());
    }
}

}  // namespace

WanStepResult runWanStepBench(const WanStepOptions& o) {
    at::set_num_threads(o.threads);
    const c10::Device device(o.device);
    const fs::path work =
        o.workDir.empty() ? fs::temp_directory_path() / "storyreel-wan-step" : o.workDir;
    fs::create_directories(work);
    const SeededWanCheckpoint seeded(o.config, o.seed, o.deviceWeights ? device : at::kCPU);
    const std::string name = tag(o);
    const fs::path inputsFile = work / ("inputs-" + name + ".safetensors");
    writeSafetensorsFile(inputsFile, makeInputs(o),
                         {{"guide_scale", std::to_string(o.guideScale)}});
    fs::path weightsFile;
    if (!o.deviceWeights) {
        weightsFile = work / ("dit-" + name + ".safetensors");
        if (!fs::exists(weightsFile)) {
            std::printf("writing the seeded weights to %s\n", weightsFile.string().c_str());
            writeSeededWanCheckpoint(seeded, weightsFile);
        }
    }
    const fs::path referenceOutputs = work / ("reference-out-" + name + ".safetensors");
    fs::remove(referenceOutputs);
    Table table;
    table.loadBefore = loadAverage();

    Measured& ours = table.storyreel;
    Measured& theirs = table.reference;
    ours.version = std::string("LibTorch ") + TORCH_VERSION;
    ours.threads = at::get_num_threads();
    std::unique_ptr<WanModel> model;
    std::optional<PeakMemoryTracker> tracker;
    StepInputs inputs;
    StepOutputs outputs;
    // Reference first, then Storyreel (loaded once), round after round: both see the same
    // machine load.
    for (int round = 0; round < o.rounds; ++round) {
        if (!o.reference.empty()) {
            const Measured r = runReference(o, seeded, weightsFile, inputsFile,
                                            round == 0 ? referenceOutputs : fs::path());
            theirs.seconds.insert(theirs.seconds.end(), r.seconds.begin(), r.seconds.end());
            theirs.cpuSeconds.insert(theirs.cpuSeconds.end(), r.cpuSeconds.begin(),
                                     r.cpuSeconds.end());
            theirs.stepPeakBytes = std::max(theirs.stepPeakBytes, r.stepPeakBytes);
            theirs.processPeakBytes = std::max(theirs.processPeakBytes, r.processPeakBytes);
            theirs.cudaPeakBytes = std::max(theirs.cudaPeakBytes, r.cudaPeakBytes);
            theirs.version = r.version;
            theirs.threads = r.threads;
        }
        if (!model) {
            model = loadModel(o, seeded, weightsFile, device);
            inputs = readInputs(inputsFile, device);
            ours.processPeakBytes = peakResidentBytes();  // loading
            tracker.emplace(device);
            for (int i = 0; i < o.warmup; ++i) {
                outputs = step(*model, inputs, o.guideScale, device);
            }
        }
        for (int i = 0; i < o.repeats; ++i) {
            const auto start = std::chrono::steady_clock::now();
            const double cpuStart = processCpuSeconds();
            outputs = step(*model, inputs, o.guideScale, device);
            ours.cpuSeconds.push_back(processCpuSeconds() - cpuStart);
            ours.seconds.push_back(
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        }
    }
    table.peaks = tracker->report();
    ours.stepPeakBytes = table.peaks.cpuPeakResidentBytes;
    ours.processPeakBytes = std::max(ours.processPeakBytes, table.peaks.cpuPeakResidentBytes);
    ours.cudaPeakBytes = table.peaks.cudaPeakAllocatedBytes;
    table.loadAfter = loadAverage();

    WanStepResult result;
    result.tokens = inputs.seqLen;
    result.storyreel = ours;
    result.reference = theirs;
    const BlockSwapRunner* swap = model->blockSwap();
    result.residentBlocks = swap ? swap->residentBlocks() : o.config.numLayers;
    result.blockLoads = swap ? swap->stats().blockLoads : 0;
    if (fs::exists(referenceOutputs)) {
        const SafetensorsReader io(referenceOutputs);
        result.noisePredError = relativeError(outputs.noisePred, io.tensor("out.noise_pred"));
        result.condError = relativeError(outputs.cond, io.tensor("out.cond"));
        result.uncondError = relativeError(outputs.uncond, io.tensor("out.uncond"));
    }
    printTable(o, table, result);
    return result;
}

}  // namespace storyreel::infer::bench
