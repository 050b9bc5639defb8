// Command-line options of storyreel-bench-infer wan-step (wan_step_bench.h).
#include "core/base/user_error.h"
#include "core/infer/bench/step_bench_options.h"
#include "core/infer/bench/wan_step_bench.h"

#ifndef STORYREEL_SOURCE_DIR
#define STORYREEL_SOURCE_DIR "."
#endif

namespace storyreel::infer::bench {
namespace {

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
    OptionSetters setters = commonStepSetters(o);
    setters.insert({
        {"--dim", [&](auto& k, auto& v) { o.config.dim = integerOption(k, v, 16, 16384); }},
        {"--layers", [&](auto& k, auto& v) { o.config.numLayers = integerOption(k, v, 1, 100); }},
        {"--heads", [&](auto& k, auto& v) { o.config.numHeads = integerOption(k, v, 1, 256); }},
        {"--ffn", [&](auto& k, auto& v) { o.config.ffnDim = integerOption(k, v, 16, 65536); }},
        {"--preset",
         [&](auto& k, auto& v) {
             if (v != "gpu-14b") {
                 throw UserError(k + " knows only gpu-14b, not '" + v + "'");
             }
             applyGpu14BPreset(o);
         }},
    });
    applyOptions(args, setters, {{"--device-weights", &o.deviceWeights}}, wanStepUsage());
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
