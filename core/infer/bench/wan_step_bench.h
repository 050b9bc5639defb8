// The `wan-step` mode of storyreel-bench-infer: one Wan 2.1 I2V DiT denoising step (the
// conditional and the unconditional forward and their guidance, as wan/image2video.py
// generate runs it) in Storyreel against the reference Python (tools/bench/
// wan_reference_step.py, run as a child process so that each has its own peak memory), same
// weights (SeededWanCheckpoint), same inputs, same thread count. Prints a markdown table:
// configuration, seconds per step of each (median of the repeats), their ratio, peak memory
// of each process and how far the two outputs differ.
//
//   storyreel-bench-infer wan-step --ref ~/Wan2.1 --layers 4 --repeats 3
//   storyreel-bench-infer wan-step --preset gpu-14b --ref ~/Wan2.1       (CUDA, bf16, 480p)
//   storyreel-bench-infer wan-step --preset gpu-14b --profile 16gb       (Storyreel only)
//
// Thread-safety: runs on the calling thread; sets ATen's thread count and seeds the default
// generators (process-wide).
#pragma once

#include "core/infer/bench/step_bench_options.h"
#include "core/infer/bench/step_measurement.h"
#include "core/infer/models/wan/wan_config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace storyreel::infer::bench {

// The common options (StepBenchCommon: video, timing, placement, reference run; --ref is a
// Wan2.1 clone, --script wan_reference_step.py) and Wan's own.
struct WanStepOptions : StepBenchCommon {
    // A mid-size i2v shape (Wan 2.1 T2V 1.3B's width, 12 heads) that a 2-core CPU runs in
    // seconds; --layers 30 is the whole 1.3B depth.
    wan::WanModelConfig config = [] {
        wan::WanModelConfig c = wan::kWanI2V14B;
        c.dim = 1536;
        c.ffnDim = 8960;
        c.numHeads = 12;
        c.numLayers = 4;
        return c;
    }();
    std::int64_t textTokens = 64;  // prompt rows before padding to 512
    std::int64_t negativeTokens = 126;
    std::int64_t clipTokens = 257;  // the real CLIP's token count
    double guideScale = 5.0;
};

// Options from `args` (after "wan-step"). --preset gpu-14b sets the 14B shape, 81 frames at
// 832x480, cuda, bfloat16 and device weights first; later options override it. Throws
// UserError naming the option for a bad one.
WanStepOptions parseWanStepOptions(const std::vector<std::string>& args);
std::string wanStepUsage();

struct WanStepResult {
    std::int64_t tokens = 0;
    StepMeasurement storyreel;
    StepMeasurement reference;  // empty without --ref
    // ||Storyreel - reference|| / ||reference|| of the guided prediction and of each branch;
    // negative without a reference.
    double noisePredError = -1.0;
    double condError = -1.0;
    double uncondError = -1.0;
    std::int64_t residentBlocks = 0;  // of config.numLayers (all when block swap is off)
    std::int64_t blockLoads = 0;      // swapped blocks copied in during the run
};

// Runs the benchmark and prints the table. Throws UserError when the reference fails or its
// outputs cannot be read.
WanStepResult runWanStepBench(const WanStepOptions& options);

}  // namespace storyreel::infer::bench
