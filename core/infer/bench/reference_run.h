// The reference half of the step benchmarks: runs tools/bench/<model>_reference_step.py
// (reference_step_common.py's arguments) as a child process, so that its peak memory is its
// own, on the weights file Storyreel wrote (or, with --device-weights, the same seeded rule
// drawn on the device) and the same inputs, and reads the JSON line it prints. Also how far
// Storyreel's outputs are from the ones it saved.
//
//   const ReferenceReport r = runReferenceStep(options, {"--attention", "segments"}, seeded,
//                                              weightsFile, inputsFile, outputsFile);
//   use(r.run.seconds, r.json.find("rope_table_error"));
//
// Thread-safety: blocks the caller until the child exits; otherwise pure.
#pragma once

#include "core/infer/bench/step_bench_options.h"
#include "core/infer/bench/step_measurement.h"
#include "core/infer/weights/json_value.h"

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <string>
#include <vector>

namespace storyreel::infer::bench {

class SeededCheckpoint;

struct ReferenceReport {
    MeasuredRun run;  // seconds, CPU seconds, peaks, "torch <version>", threads
    JsonValue json;   // the whole report, for the model's own keys
};

// Runs the script once (o.warmup + o.repeats steps on o.device in o.dtype with o.threads):
// `modeArgs` go after the common arguments; --weights `weightsFile`, or --random-weights
// with the seeded checkpoint's seed and config when o.deviceWeights; --save `outputsFile`
// unless it is empty. Throws UserError naming the script, with its output, when it fails
// or prints no readable report.
ReferenceReport runReferenceStep(const StepBenchCommon& o, const std::vector<std::string>& modeArgs,
                                 const SeededCheckpoint& seeded,
                                 const std::filesystem::path& weightsFile,
                                 const std::filesystem::path& inputsFile,
                                 const std::filesystem::path& outputsFile);

// ||got - want|| / ||want|| in float64 on the CPU.
double relativeError(const at::Tensor& got, const at::Tensor& want);

}  // namespace storyreel::infer::bench
