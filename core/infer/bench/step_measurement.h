// The timing of the step benchmarks (wan-step, hunyuan-step): what one implementation
// measured (StepMeasurement, the printed table's figures) and the rounds that measure both:
// the reference (a child process, reference_run.h) then Storyreel (loaded once, on the
// first round), `rounds` times, so that both see the same machine load. The mode gives its
// model as callables: load it, run one step.
//
//   StepRounds r;
//   r.reference = [&](int round) { return runReferenceStep(...).run; };  // or empty
//   r.load = [&] { model = loadModel(...); inputs = readInputs(...); };
//   r.step = [&] { outputs = step(*model, inputs); };  // synchronises the device
//   const StepRoundsResult measured = runStepRounds(options, r);
//
// Thread-safety: runs on the calling thread; the peak memory figures are process-wide, so
// one benchmark at a time.
#pragma once

#include "core/infer/bench/step_bench_options.h"
#include "core/infer/memory/device_memory.h"

#include <c10/core/Device.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace storyreel::infer::bench {

// What one run measured (the printed table's figures).
struct StepMeasurement {
    std::vector<double> seconds;        // per timed step, wall clock
    std::vector<double> cpuSeconds;     // per timed step, the process's CPU time (all threads)
    std::int64_t stepPeakBytes = 0;     // peak resident set during the steps
    std::int64_t processPeakBytes = 0;  // the process's peak, loading included
    std::int64_t cudaPeakBytes = 0;     // CUDA peak allocated during the steps
};

// What one implementation measured, and what it ran on.
struct MeasuredRun : StepMeasurement {
    std::string version;  // "LibTorch 2.5.1", "torch 1.13.0"
    int threads = 0;
};

struct StepRounds {
    // Runs the reference once (warm-up + repeats) in round `round` (0 first); empty when
    // there is no reference.
    std::function<MeasuredRun(int round)> reference;
    std::function<void()> load;  // builds Storyreel's model and reads the inputs, once
    std::function<void()> step;  // one step; synchronises the device
};

// Both implementations' figures, the Storyreel steps' peaks (PeakMemoryReport, for the
// block swap table) and the load average before and after.
struct StepRoundsResult {
    MeasuredRun storyreel;
    MeasuredRun reference;  // empty without a reference
    PeakMemoryReport peaks;
    std::string loadBefore;
    std::string loadAfter;
};

// o.rounds times: the reference (its seconds appended, its peaks the largest), then
// Storyreel: load and o.warmup untimed steps on the first round, then o.repeats timed
// steps (wall and process CPU time). Errors of the callables pass through; throws
// UserError when o.rounds or o.repeats is below 1.
StepRoundsResult runStepRounds(const StepBenchCommon& o, const StepRounds& rounds);

// Waits for a CUDA device's queued work; nothing on the CPU.
void synchronize(const c10::Device& device);

// The 1-minute load average (/proc/loadavg), "?" when unknown.
std::string loadAverage();

}  // namespace storyreel::infer::bench
