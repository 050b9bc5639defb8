// The files a step benchmark run (wan-step, hunyuan-step) works on, in its work folder: the
// seeded inputs, the seeded weights the reference reads (none with --device-weights) and
// the outputs the reference saves, all named by the run's configuration tag so that runs
// of other shapes keep theirs.
//
//   const fs::path work = stepWorkFolder(o, "storyreel-wan-step");
//   const StepFiles files = writeStepFiles(o, work, "d1536-l4-s1", makeInputs(o), {}, seeded);
//   runReferenceStep(o, {}, seeded, files.weights, files.inputs, files.referenceOutputs);
//
// Thread-safety: writes files; one run per work folder at a time.
#pragma once

#include "core/infer/bench/step_bench_options.h"
#include "core/infer/weights/safetensors_writer.h"

#include <filesystem>
#include <map>
#include <string>

namespace storyreel::infer::bench {

class SeededCheckpoint;

struct StepFiles {
    std::filesystem::path inputs;            // inputs-TAG.safetensors
    std::filesystem::path weights;           // dit-TAG.safetensors; empty: device weights
    std::filesystem::path referenceOutputs;  // reference-out-TAG.safetensors (none yet)
};

// o.workDir, or `defaultName` in the temp folder; created.
std::filesystem::path stepWorkFolder(const StepBenchCommon& o, const std::string& defaultName);

// Writes `inputs` (with `metadata`) and, unless o.deviceWeights, the seeded weights (kept
// when the file is there: the seed and tag make the same one) into `work`, and removes the
// last run's reference outputs. Throws UserError naming a file that cannot be written.
StepFiles writeStepFiles(const StepBenchCommon& o, const std::filesystem::path& work,
                         const std::string& tag, const NamedTensorList& inputs,
                         const std::map<std::string, std::string>& metadata,
                         const SeededCheckpoint& seeded);

}  // namespace storyreel::infer::bench
