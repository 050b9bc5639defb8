// The `hunyuan-step` mode of storyreel-bench-infer: one HunyuanVideo-I2V DiT denoising step
// as the released I2V default runs it (pipeline_hunyuan_video.py with cfg_scale 1: one
// forward of batch 1, token_replace, embedded guidance 6.0 * 1000, LLaVA-cropped text states
// with their mask, CLIP-L pooled states, RoPE tables for the video size) in Storyreel
// (HunyuanDiT) against the reference Python (tools/bench/hunyuan_reference_step.py, run as a
// child process so that each has its own peak memory), same weights
// (SeededHunyuanCheckpoint), same inputs, same thread count. Prints a markdown table:
// configuration, seconds per step of each (median of the repeats), their ratio, peak memory
// of each process and how far the two outputs differ. With --vs-wan it also times
// Storyreel's Wan 2.1 I2V DiT step (wan_step_bench.h) at the same video size and frame
// count and prints seconds per clip of each (HunyuanVideo: 50 steps x 1 forward; Wan: 40
// steps x 2 forwards, cond and uncond) and their ratio.
//
//   storyreel-bench-infer hunyuan-step --ref ~/HunyuanVideo-I2V --deps ~/pydeps --rounds 3
//   storyreel-bench-infer hunyuan-step --preset gpu-t2 --ref ~/HunyuanVideo-I2V  (CUDA, bf16)
//   storyreel-bench-infer hunyuan-step --preset gpu-t2 --profile 16gb --vs-wan (Storyreel only)
//
// Thread-safety: runs on the calling thread; sets ATen's thread count and seeds the default
// generators (process-wide).
#pragma once

#include "core/infer/bench/step_bench_options.h"
#include "core/infer/bench/step_measurement.h"
#include "core/infer/bench/wan_step_bench.h"
#include "core/infer/models/hunyuan/hy_dit_config.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace storyreel::infer::bench {

// The common options (StepBenchCommon: video, timing, placement, reference run; --ref is a
// HunyuanVideo-I2V clone, --script hunyuan_reference_step.py) and HunyuanVideo's own.
struct HunyuanStepOptions : StepBenchCommon {
    // A mid-size shape a 2-core CPU runs in seconds: HYVideo-T/2's blocks at half width
    // (12 heads of 128, rope [16, 56, 56]), 2 double + 2 single blocks, the real text widths
    // (LLaVA 4096, CLIP-L 768) and guidance embedding.
    hunyuan::HunyuanDiTConfig config = [] {
        hunyuan::HunyuanDiTConfig c = hunyuan::kHunyuanVideoI2V;
        c.hiddenSize = 1536;
        c.headsNum = 12;
        c.doubleBlocks = 2;
        c.singleBlocks = 2;
        return c;
    }();
    // The DiT's text rows as the LLaVA crop gives them for token_replace: 576 image tokens
    // taken every 4th (144, mask 1), then the prompt part (text_len 256 - 4 rows), of which
    // promptTokens are valid.
    std::int64_t imageTokens = 144;
    std::int64_t textTokens = 252;
    std::int64_t promptTokens = 64;
    double embeddedGuidance = 6.0;  // guidance = 6.0 * 1000
    double timestep = 900.0;
    std::filesystem::path deps;  // extra Python path for the reference (einops)
    // The reference's attention without flash-attn (hunyuan_reference_step.py --attention):
    // "block-mask" (the golden data's shim: vanilla attention over all S x S scores with the
    // varlen block mask) or "segments" (vanilla attention on each varlen segment alone).
    std::string referenceAttention = "block-mask";
    // --vs-wan: also Storyreel's Wan 2.1 I2V step at the same frames and size, and the
    // seconds per clip of each. `wan` holds its shape and placement (the gpu-t2 preset: the
    // 14B; otherwise the wan-step bench's CPU default); frames, size, device, dtype, threads,
    // repeats and profile are copied from these options when it runs.
    bool vsWan = false;
    WanStepOptions wan;
    int hunyuanSteps = 50;  // the released I2V default (--infer-steps 50), one forward each
    int wanSteps = 40;      // Wan 2.1 I2V's default sample_steps, cond + uncond each
};

// Options from `args` (after "hunyuan-step"). --preset gpu-t2 sets the real HYVideo-T/2
// shape, 129 frames of the 540p bucket of a 16:9 image (hy_i2v_geometry.h: 544x928), cuda,
// bfloat16 and device weights (and the Wan 14B for --vs-wan) first; later options override
// it. Throws UserError naming the option for a bad one.
HunyuanStepOptions parseHunyuanStepOptions(const std::vector<std::string>& args);
std::string hunyuanStepUsage();

struct HunyuanStepResult {
    std::int64_t tokens = 0;          // video tokens
    std::int64_t textRows = 0;        // text_states rows (image + prompt part)
    std::int64_t validTextRows = 0;   // rows with mask 1
    StepMeasurement storyreel;        // seconds, CPU seconds, peaks (same fields as wan-step)
    StepMeasurement reference;        // empty without --ref
    double outputError = -1.0;        // ||Storyreel - reference|| / ||reference||; -1: none
    double ropeTableError = -1.0;     // the reference's RoPE tables against Storyreel's
    std::int64_t residentBlocks = 0;  // of double + single (all when block swap is off)
    std::int64_t blockLoads = 0;      // swapped blocks copied in during the run
    // --vs-wan: the Wan step and seconds per clip (median step x steps x forwards).
    std::optional<WanStepResult> wan;
    double hunyuanClipSeconds = 0.0;
    double wanClipSeconds = 0.0;
};

// Runs the benchmark and prints the table(s). Throws UserError when the reference fails or
// its outputs cannot be read.
HunyuanStepResult runHunyuanStepBench(const HunyuanStepOptions& options);

}  // namespace storyreel::infer::bench
