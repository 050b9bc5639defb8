// Command-line options of storyreel-bench-infer wan-step (wan_step_bench.h).
#include "core/base/user_error.h"
#include "core/infer/bench/wan_step_bench.h"

#include <charconv>
#include <functional>
#include <map>

#ifndef STORYREEL_SOURCE_DIR
#define STORYREEL_SOURCE_DIR "."
#endif

namespace storyreel::infer::bench {
namespace {

std::int64_t integer(const std::string& option, const std::string& text, std::int64_t min,
                     std::int64_t max) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
        throw UserError(option + " must be a whole number from " + std::to_string(min) + " to " +
                        std::to_string(max) + ", not '" + text + "'");
    }
    return value;
}

// The real Wan 2.1 I2V 14B at 480p (832x480, 81 frames: 32,760 tokens), bf16 on CUDA, its
// weights drawn on the device.
void applyGpu14BPreset(WanStepOptions& o) {
    o.config = wan::kWanI2V14B;
    o.frames = 81;
    o.height = 480;
    o.width = 832;
    o.device = "cuda";
    o.dtype = at::kBFloat16;
    o.deviceWeights = true;
    o.threads = 16;
}

}  // namespace

std::string wanStepUsage() {
    return "usage: storyreel-bench-infer wan-step [--preset gpu-14b] [--ref WAN2.1_DIR]\n"
           "    [--dim N] [--layers N] [--heads N] [--ffn N] [--frames N] [--height PX]\n"
           "    [--width PX] [--threads N] [--warmup N] [--repeats N] [--rounds N]\n"
           "    [--device cpu|cuda] [--dtype float32|bfloat16] [--profile NAME]\n"
           "    [--resident-blocks N]"
           "    [--device-weights] [--seed N] [--python PATH] [--script PATH] [--work DIR]\n"
           "  --ref: a clone of https://github.com/Wan-Video/Wan2.1 (without it only Storyreel "
           "runs)\n";
}

WanStepOptions parseWanStepOptions(const std::vector<std::string>& args) {
    WanStepOptions o;
    o.script = std::filesystem::path(STORYREEL_SOURCE_DIR) / "tools/bench/wan_reference_step.py";
    using Setter = std::function<void(const std::string&, const std::string&)>;
    const std::map<std::string, Setter> setters = {
        {"--dim", [&](auto& k, auto& v) { o.config.dim = integer(k, v, 16, 16384); }},
        {"--layers", [&](auto& k, auto& v) { o.config.numLayers = integer(k, v, 1, 100); }},
        {"--heads", [&](auto& k, auto& v) { o.config.numHeads = integer(k, v, 1, 256); }},
        {"--ffn", [&](auto& k, auto& v) { o.config.ffnDim = integer(k, v, 16, 65536); }},
        {"--frames", [&](auto& k, auto& v) { o.frames = integer(k, v, 1, 1021); }},
        {"--height", [&](auto& k, auto& v) { o.height = integer(k, v, 16, 8192); }},
        {"--width", [&](auto& k, auto& v) { o.width = integer(k, v, 16, 8192); }},
        {"--threads", [&](auto& k, auto& v) { o.threads = integer(k, v, 1, 1024); }},
        {"--warmup", [&](auto& k, auto& v) { o.warmup = integer(k, v, 0, 100); }},
        {"--repeats", [&](auto& k, auto& v) { o.repeats = integer(k, v, 1, 1000); }},
        {"--rounds", [&](auto& k, auto& v) { o.rounds = integer(k, v, 1, 100); }},
        {"--seed", [&](auto& k, auto& v) { o.seed = integer(k, v, 0, 1LL << 40); }},
        {"--device", [&](auto&, auto& v) { o.device = v; }},
        {"--profile", [&](auto&, auto& v) { o.profile = v; }},
        {"--resident-blocks", [&](auto& k, auto& v) { o.residentBlocks = integer(k, v, 0, 1000); }},
        {"--ref", [&](auto&, auto& v) { o.reference = v; }},
        {"--python", [&](auto&, auto& v) { o.python = v; }},
        {"--script", [&](auto&, auto& v) { o.script = v; }},
        {"--work", [&](auto&, auto& v) { o.workDir = v; }},
        {"--dtype",
         [&](auto& k, auto& v) {
             if (v != "float32" && v != "bfloat16") {
                 throw UserError(k + " must be float32 or bfloat16, not '" + v + "'");
             }
             o.dtype = v == "float32" ? at::kFloat : at::kBFloat16;
         }},
        {"--preset",
         [&](auto& k, auto& v) {
             if (v != "gpu-14b") {
                 throw UserError(k + " knows only gpu-14b, not '" + v + "'");
             }
             applyGpu14BPreset(o);
         }},
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--device-weights") {
            o.deviceWeights = true;
            continue;
        }
        const auto setter = setters.find(args[i]);
        if (setter == setters.end()) {
            throw UserError("unknown option '" + args[i] + "'\n" + wanStepUsage());
        }
        if (i + 1 >= args.size()) {
            throw UserError(args[i] + " needs a value\n" + wanStepUsage());
        }
        setter->second(args[i], args[i + 1]);
        ++i;
    }
    if (o.height % 16 != 0 || o.width % 16 != 0 || (o.frames - 1) % 4 != 0) {
        throw UserError(
            "--height and --width must be multiples of 16 and --frames 4k + 1 (as "
            "the Wan VAE and the DiT's 2x2 patches need)");
    }
    if (o.config.dim % o.config.numHeads != 0) {
        throw UserError("--dim must be a multiple of --heads");
    }
    o.config.validate();
    return o;
}

}  // namespace storyreel::infer::bench
