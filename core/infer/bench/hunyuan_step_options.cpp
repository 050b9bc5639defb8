// Command-line options of storyreel-bench-infer hunyuan-step (hunyuan_step_bench.h).
#include "core/base/user_error.h"
#include "core/infer/bench/hunyuan_step_bench.h"
#include "core/infer/models/hunyuan/hy_i2v_geometry.h"

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
    using Setter = std::function<void(const std::string&, const std::string&)>;
    const std::map<std::string, Setter> setters = {
        {"--hidden", [&](auto& k, auto& v) { o.config.hiddenSize = integer(k, v, 32, 16384); }},
        {"--heads", [&](auto& k, auto& v) { o.config.headsNum = integer(k, v, 1, 256); }},
        {"--double", [&](auto& k, auto& v) { o.config.doubleBlocks = integer(k, v, 0, 100); }},
        {"--single", [&](auto& k, auto& v) { o.config.singleBlocks = integer(k, v, 0, 200); }},
        {"--frames", [&](auto& k, auto& v) { o.frames = integer(k, v, 1, 1021); }},
        {"--height", [&](auto& k, auto& v) { o.height = integer(k, v, 16, 8192); }},
        {"--width", [&](auto& k, auto& v) { o.width = integer(k, v, 16, 8192); }},
        {"--text-tokens", [&](auto& k, auto& v) { o.textTokens = integer(k, v, 1, 4096); }},
        {"--prompt-tokens", [&](auto& k, auto& v) { o.promptTokens = integer(k, v, 0, 4096); }},
        {"--threads", [&](auto& k, auto& v) { o.threads = integer(k, v, 1, 1024); }},
        {"--warmup", [&](auto& k, auto& v) { o.warmup = integer(k, v, 0, 100); }},
        {"--repeats", [&](auto& k, auto& v) { o.repeats = integer(k, v, 1, 1000); }},
        {"--rounds", [&](auto& k, auto& v) { o.rounds = integer(k, v, 1, 100); }},
        {"--seed", [&](auto& k, auto& v) { o.seed = integer(k, v, 0, 1LL << 40); }},
        {"--wan-dim", [&](auto& k, auto& v) { o.wan.config.dim = integer(k, v, 16, 16384); }},
        {"--wan-heads", [&](auto& k, auto& v) { o.wan.config.numHeads = integer(k, v, 1, 256); }},
        {"--wan-ffn", [&](auto& k, auto& v) { o.wan.config.ffnDim = integer(k, v, 16, 65536); }},
        {"--wan-layers", [&](auto& k, auto& v) { o.wan.config.numLayers = integer(k, v, 1, 100); }},
        {"--device", [&](auto&, auto& v) { o.device = v; }},
        {"--profile", [&](auto&, auto& v) { o.profile = v; }},
        {"--resident-blocks", [&](auto& k, auto& v) { o.residentBlocks = integer(k, v, 0, 1000); }},
        {"--ref", [&](auto&, auto& v) { o.reference = v; }},
        {"--deps", [&](auto&, auto& v) { o.deps = v; }},
        {"--ref-attention",
         [&](auto& k, auto& v) {
             if (v != "block-mask" && v != "segments") {
                 throw UserError(k + " must be block-mask or segments, not '" + v + "'");
             }
             o.referenceAttention = v;
         }},
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
             if (v != "gpu-t2") {
                 throw UserError(k + " knows only gpu-t2, not '" + v + "'");
             }
             applyGpuT2Preset(o);
         }},
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--device-weights" || args[i] == "--vs-wan") {
            (args[i] == "--vs-wan" ? o.vsWan : o.deviceWeights) = true;
            continue;
        }
        const auto setter = setters.find(args[i]);
        if (setter == setters.end()) {
            throw UserError("unknown option '" + args[i] + "'\n" + hunyuanStepUsage());
        }
        if (i + 1 >= args.size()) {
            throw UserError(args[i] + " needs a value\n" + hunyuanStepUsage());
        }
        setter->second(args[i], args[i + 1]);
        ++i;
    }
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
