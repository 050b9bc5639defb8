// Command-line options of storyreel-bench-infer hunyuan-step (hunyuan_step_bench.h).
#include "core/base/user_error.h"
#include "core/infer/bench/hunyuan_step_bench.h"
#include "core/infer/bench/step_bench_options.h"
#include "core/infer/models/hunyuan/hy_i2v_geometry.h"

#include <array>

#ifndef STORYREEL_SOURCE_DIR
#define STORYREEL_SOURCE_DIR "."
#endif

namespace storyreel::infer::bench {
namespace {

// The Wan bench's CPU default shape (its mid-size 4-layer model) for --vs-wan.
WanStepOptions wanDefaults() {
    return WanStepOptions{};
}

// The real HunyuanVideo-I2V DiT (HYVideo-T/2 with guidance, token_replace) at 540p: the
// bucket of a 16:9 image among generate_crop_size_list(720, 32) (544x928), 129 frames
// (hunyuan latent 33 x 68 x 116: 65,076 tokens), bf16 on CUDA, its weights drawn on the
// device; the Wan 2.1 I2V 14B for --vs-wan.
void applyGpuT2Preset(HunyuanStepOptions& o) {
    o.config = hunyuan::kHunyuanVideoI2V;
    const hunyuan::HunyuanI2VGeometry geometry =
        hunyuan::hunyuanI2VGeometry(1080, 1920, hunyuan::HunyuanI2VResolution::P540, 129);
    o.frames = geometry.frames;
    o.height = geometry.height;
    o.width = geometry.width;
    o.device = "cuda";
    o.dtype = at::kBFloat16;
    o.deviceWeights = true;
    o.threads = 16;
    o.wan.config = wan::kWanI2V14B;
}

// The released split of a head's channels over (t, h, w) for head_dim 128 ([16, 56, 56]),
// scaled: head_dim / 8 for time, the rest halved.
std::array<std::int64_t, 3> ropeSplit(std::int64_t headDim) {
    const std::int64_t t = headDim / 8;
    return {t, (headDim - t) / 2, (headDim - t) / 2};
}

}  // namespace

std::string hunyuanStepUsage() {
    return "usage: storyreel-bench-infer hunyuan-step [--preset gpu-t2] [--ref HUNYUAN_I2V_DIR]\n"
           "    [--deps PYDEPS] [--ref-attention block-mask|segments] [--hidden N]\n"
           "    [--heads N] [--double N] [--single N]\n"
           "    [--frames N] [--height PX] [--width PX] [--text-tokens N] [--prompt-tokens N]\n"
           "    [--threads N] [--warmup N] [--repeats N] [--rounds N] [--device cpu|cuda]\n"
           "    [--dtype float32|bfloat16] [--profile NAME] [--resident-blocks N]\n"
           "    [--device-weights] [--vs-wan] [--wan-dim N] [--wan-heads N] [--wan-ffn N]\n"
           "    [--wan-layers N] [--seed N] [--python PATH] [--script PATH] [--work DIR]\n"
           "  --ref: a clone of https://github.com/Tencent/HunyuanVideo-I2V (without it only\n"
           "         Storyreel runs); --deps: a folder with einops for the reference's Python\n"
           "  --ref-attention: the reference's attention without flash-attn: the varlen block\n"
           "         mask over all scores (default, as the golden data) or each segment alone\n"
           "  --vs-wan: also Storyreel's Wan 2.1 I2V step at the same frames and size, and\n"
           "         seconds per clip of each (50 x 1 forward against 40 x 2 forwards)\n";
}

HunyuanStepOptions parseHunyuanStepOptions(const std::vector<std::string>& args) {
    HunyuanStepOptions o;
    o.wan = wanDefaults();
    o.script =
        std::filesystem::path(STORYREEL_SOURCE_DIR) / "tools/bench/hunyuan_reference_step.py";
    OptionSetters setters = commonStepSetters(o);
    setters.insert({
        {"--hidden",
         [&](auto& k, auto& v) { o.config.hiddenSize = integerOption(k, v, 32, 16384); }},
        {"--heads", [&](auto& k, auto& v) { o.config.headsNum = integerOption(k, v, 1, 256); }},
        {"--double",
         [&](auto& k, auto& v) { o.config.doubleBlocks = integerOption(k, v, 0, 100); }},
        {"--single",
         [&](auto& k, auto& v) { o.config.singleBlocks = integerOption(k, v, 0, 200); }},
        {"--text-tokens", [&](auto& k, auto& v) { o.textTokens = integerOption(k, v, 1, 4096); }},
        {"--prompt-tokens",
         [&](auto& k, auto& v) { o.promptTokens = integerOption(k, v, 0, 4096); }},
        {"--wan-dim", [&](auto& k, auto& v) { o.wan.config.dim = integerOption(k, v, 16, 16384); }},
        {"--wan-heads",
         [&](auto& k, auto& v) { o.wan.config.numHeads = integerOption(k, v, 1, 256); }},
        {"--wan-ffn",
         [&](auto& k, auto& v) { o.wan.config.ffnDim = integerOption(k, v, 16, 65536); }},
        {"--wan-layers",
         [&](auto& k, auto& v) { o.wan.config.numLayers = integerOption(k, v, 1, 100); }},
        {"--deps", [&](auto&, auto& v) { o.deps = v; }},
        {"--ref-attention",
         [&](auto& k, auto& v) {
             if (v != "block-mask" && v != "segments") {
                 throw UserError(k + " must be block-mask or segments, not '" + v + "'");
             }
             o.referenceAttention = v;
         }},
        {"--preset",
         [&](auto& k, auto& v) {
             if (v != "gpu-t2") {
                 throw UserError(k + " knows only gpu-t2, not '" + v + "'");
             }
             applyGpuT2Preset(o);
         }},
    });
    applyOptions(args, setters, {{"--device-weights", &o.deviceWeights}, {"--vs-wan", &o.vsWan}},
                 hunyuanStepUsage());
    if (o.height % 16 != 0 || o.width % 16 != 0 || (o.frames - 1) % 4 != 0) {
        throw UserError(
            "--height and --width must be multiples of 16 and --frames 4k + 1 (as the "
            "884 VAE and the DiT's 2x2 patches need)");
    }
    if (o.config.hiddenSize % o.config.headsNum != 0 || o.config.headDim() % 32 != 0) {
        throw UserError(
            "--hidden must be --heads times a multiple of 32 (the rope split [d/8, 7d/16, "
            "7d/16] of a head of d channels needs even parts)");
    }
    if (o.promptTokens > o.textTokens) {
        throw UserError("--prompt-tokens must not exceed --text-tokens");
    }
    o.config.ropeDimList = ropeSplit(o.config.headDim());
    o.config.validate();
    if (o.vsWan) {
        if (o.wan.config.dim % o.wan.config.numHeads != 0) {
            throw UserError("--wan-dim must be a multiple of --wan-heads");
        }
        o.wan.config.validate();
    }
    return o;
}

}  // namespace storyreel::infer::bench
