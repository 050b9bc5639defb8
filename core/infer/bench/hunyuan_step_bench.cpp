#include "core/infer/bench/hunyuan_step_bench.h"

#include "core/base/user_error.h"
#include "core/infer/bench/child_process.h"
#include "core/infer/bench/seeded_hunyuan_checkpoint.h"
#include "core/infer/layers/module_weights.h"
#include "core/infer/memory/block_swap.h"
#include "core/infer/memory/device_memory.h"
#include "core/infer/memory/memory_profile.h"
#include "core/infer/models/hunyuan/hy_dit_model.h"
#include "core/infer/models/hunyuan/hy_rope.h"
#include "core/infer/registry/internal_view.h"
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
using hunyuan::HunyuanDiT;
using hunyuan::HunyuanDiTInputs;

// What one implementation measured, and what it ran on.
struct Measured : WanStepMeasurement {
    std::string version;
    int threads = 0;
    double ropeTableError = -1.0;
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

// CPU time of every thread of the process (see wan_step_bench.cpp).
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
// from the seeded rule, and places it: on CUDA (or with a profile) through block swap with
// the profile's resident blocks (all of them without a profile).
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
    if (device.is_cuda() || !o.profile.empty() || o.residentBlocks >= 0) {
        const MemoryProfile profile =
            o.profile.empty() ? MemoryProfile{} : profileByName(o.profile);
        const BlockSwapRunner::Blocks blocks = model->blocks();
        // Double and single blocks differ in size; the profile counts the larger.
        std::int64_t blockBytes = 0;
        std::int64_t allBlockBytes = 0;
        for (const auto& block : blocks) {
            const std::int64_t bytes = BlockSwapRunner::moduleBytes(*block);
            blockBytes = std::max(blockBytes, bytes);
            allBlockBytes += bytes;
        }
        const std::int64_t otherBytes = BlockSwapRunner::moduleBytes(*model) - allBlockBytes;
        const auto count = static_cast<std::int64_t>(blocks.size());
        std::int64_t resident =
            o.profile.empty() ? count : profile.residentBlocks(count, blockBytes, otherBytes);
        if (o.residentBlocks >= 0) {
            resident = std::min(o.residentBlocks, count);
        }
        model->enableBlockSwap(device, resident);
        std::printf("placement: %lld of %lld blocks resident on %s (largest block %s, rest %s)\n",
                    static_cast<long long>(resident), static_cast<long long>(count),
                    device.str().c_str(), gib(blockBytes).c_str(), gib(otherBytes).c_str());
    }
    return model;
}

// Runs the reference once (warm-up + repeats) and returns what it reported.
Measured runReference(const HunyuanStepOptions& o, const SeededHunyuanCheckpoint& seeded,
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
    if (!o.deps.empty()) {
        argv.insert(argv.end(), {"--deps", o.deps.string()});
    }
    argv.insert(argv.end(), {"--attention", o.referenceAttention});
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
        return value && value->isNumber() ? value->asDouble().value_or(0.0) : -1.0;
    };
    const auto numbers = [&](const char* key) {
        std::vector<double> values;
        if (const JsonValue* list = json.find(key); list != nullptr && list->isArray()) {
            for (const JsonValue& value : list->items()) {
                values.push_back(value.asDouble().value_or(0.0));
            }
        }
        return values;
    };
    Measured m;
    m.seconds = numbers("seconds");
    m.cpuSeconds = numbers("cpu_seconds");
    m.stepPeakBytes =
        std::max<std::int64_t>(0, static_cast<std::int64_t>(number("step_peak_rss_bytes")));
    m.processPeakBytes =
        std::max<std::int64_t>(0, static_cast<std::int64_t>(number("peak_rss_bytes")));
    m.cudaPeakBytes =
        std::max<std::int64_t>(0, static_cast<std::int64_t>(number("cuda_peak_allocated_bytes")));
    m.threads = static_cast<int>(number("threads"));
    m.ropeTableError = number("rope_table_error");
    const JsonValue* torchVersion = json.find("torch");
    m.version = "torch " + (torchVersion ? torchVersion->text() : std::string("?"));
    if (const JsonValue* shims = json.find("shims"); shims != nullptr && shims->isArray()) {
        std::string text;
        for (const JsonValue& shim : shims->items()) {
            text += (text.empty() ? "" : "; ") + shim.text();
        }
        std::printf("reference shims: %s\n", text.c_str());
    }
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

std::string tag(const HunyuanStepOptions& o) {
    const hunyuan::HunyuanDiTConfig& c = o.config;
    return "h" + std::to_string(c.hiddenSize) + "-n" + std::to_string(c.headsNum) + "-d" +
           std::to_string(c.doubleBlocks) + "-s" + std::to_string(c.singleBlocks) + "-t" +
           std::to_string(c.textStatesDim) + "-" + std::to_string(c.textStatesDim2) + "-r" +
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

void printTable(const HunyuanStepOptions& o, const Table& table, const HunyuanStepResult& result) {
    const auto [f, h, w] = latentGrid(o);
    const hunyuan::HunyuanDiTConfig& c = o.config;
    const c10::Device device(o.device);
    const bool haveReference = !result.reference.seconds.empty();
    std::printf(
        "\nHunyuanVideo-I2V DiT step (one forward, cfg 1, embedded guidance %.1f): %s; %lld "
        "video tokens (%lld frames %lldx%lld -> latent %lldx%lldx%lld), text %lld rows "
        "(%lld valid); %s %s, %d threads; load average %s -> %s; %s vs %s\n\n",
        o.embeddedGuidance, c.describe().c_str(), static_cast<long long>(result.tokens),
        static_cast<long long>(o.frames), static_cast<long long>(o.width),
        static_cast<long long>(o.height), static_cast<long long>(f), static_cast<long long>(h),
        static_cast<long long>(w), static_cast<long long>(result.textRows),
        static_cast<long long>(result.validTextRows), device.str().c_str(), c10::toString(o.dtype),
        table.storyreel.threads, table.loadBefore.c_str(), table.loadAfter.c_str(),
        table.storyreel.version.c_str(),
        haveReference ? table.reference.version.c_str() : "no reference");
    const double ours = median(result.storyreel.seconds);
    const double theirs = median(result.reference.seconds);
    std::string agreement = "-";
    if (result.outputError >= 0.0) {
        char text[160];
        std::snprintf(text, sizeof text, "x %.1e (RoPE tables %.1e)", result.outputError,
                      result.ropeTableError);
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
        "| hidden %lld, %lld heads, %lld double + %lld single, %lld + %lld tokens | %.2f | %s | "
        "%s | %s / %s | %s |",
        static_cast<long long>(c.hiddenSize), static_cast<long long>(c.headsNum),
        static_cast<long long>(c.doubleBlocks), static_cast<long long>(c.singleBlocks),
        static_cast<long long>(result.tokens), static_cast<long long>(result.textRows), ours,
        haveReference ? fixed(theirs, 2).c_str() : "-",
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
    const std::int64_t blocks = c.doubleBlocks + c.singleBlocks;
    if (result.residentBlocks < blocks || device.is_cuda()) {
        std::printf("block swap: %lld of %lld blocks resident, %lld blocks copied in\n\n%s\n%s\n",
                    static_cast<long long>(result.residentBlocks), static_cast<long long>(blocks),
                    static_cast<long long>(result.blockLoads),
                    PeakMemoryReport::tableHeader().c_str(),
                    table.peaks.tableRow(o.profile.empty() ? "all resident" : o.profile).c_str());
    }
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
    const fs::path work =
        o.workDir.empty() ? fs::temp_directory_path() / "storyreel-hunyuan-step" : o.workDir;
    fs::create_directories(work);
    HunyuanStepResult result;
    {
        const SeededHunyuanCheckpoint seeded(o.config, o.seed,
                                             o.deviceWeights ? device : c10::Device(at::kCPU));
        const std::string name = tag(o);
        const fs::path inputsFile = work / ("inputs-" + name + ".safetensors");
        writeSafetensorsFile(inputsFile, makeInputs(o),
                             {{"frames", std::to_string(o.frames)},
                              {"height", std::to_string(o.height)},
                              {"width", std::to_string(o.width)}});
        fs::path weightsFile;
        if (!o.deviceWeights) {
            weightsFile = work / ("dit-" + name + ".safetensors");
            if (!fs::exists(weightsFile)) {
                std::printf("writing the seeded weights to %s\n", weightsFile.string().c_str());
                writeSeededHunyuanCheckpoint(seeded, weightsFile);
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
        std::unique_ptr<HunyuanDiT> model;
        std::optional<PeakMemoryTracker> tracker;
        HunyuanDiTInputs inputs;
        at::Tensor output;
        // Reference first, then Storyreel (loaded once), round after round: both see the
        // same machine load.
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
                if (round == 0) {
                    theirs.ropeTableError = r.ropeTableError;
                }
            }
            if (!model) {
                model = loadModel(o, seeded, weightsFile, device);
                inputs = readInputs(inputsFile, device);
                ours.processPeakBytes = peakResidentBytes();  // loading
                tracker.emplace(device);
                for (int i = 0; i < o.warmup; ++i) {
                    output = step(*model, inputs, device);
                }
            }
            for (int i = 0; i < o.repeats; ++i) {
                const auto start = std::chrono::steady_clock::now();
                const double cpuStart = processCpuSeconds();
                output = step(*model, inputs, device);
                ours.cpuSeconds.push_back(processCpuSeconds() - cpuStart);
                ours.seconds.push_back(
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
                        .count());
            }
        }
        table.peaks = tracker->report();
        ours.stepPeakBytes = table.peaks.cpuPeakResidentBytes;
        ours.processPeakBytes = std::max(ours.processPeakBytes, table.peaks.cpuPeakResidentBytes);
        ours.cudaPeakBytes = table.peaks.cudaPeakAllocatedBytes;
        table.loadAfter = loadAverage();

        const auto [f, h, w] = latentGrid(o);
        result.tokens = f * (h / 2) * (w / 2);
        result.textRows = textRows(o);
        result.validTextRows = o.imageTokens + o.promptTokens;
        result.storyreel = ours;
        result.reference = theirs;
        result.ropeTableError = theirs.ropeTableError;
        const BlockSwapRunner* swap = model->blockSwap();
        result.residentBlocks =
            swap ? swap->residentBlocks() : o.config.doubleBlocks + o.config.singleBlocks;
        result.blockLoads = swap ? swap->stats().blockLoads : 0;
        if (fs::exists(referenceOutputs)) {
            const SafetensorsReader io(referenceOutputs);
            result.outputError = relativeError(output, io.tensor("out.x"));
        }
        printTable(o, table, result);
    }  // the HunyuanVideo model is freed before the Wan one loads
    if (o.vsWan) {
        compareWithWan(o, work, result);
    }
    return result;
}

}  // namespace storyreel::infer::bench
