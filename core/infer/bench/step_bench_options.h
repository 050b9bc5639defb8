// StepBenchCommon: what the wan-step and hunyuan-step modes of storyreel-bench-infer
// (wan_step_bench.h, hunyuan_step_bench.h) have in common on their command line (the video,
// the timing, the placement, the reference run), and the parsing both share: a map from
// option to setter that each mode extends with its own options, and the loop that applies
// `args` to it.
//
//   OptionSetters setters = commonStepSetters(o);      // o derives from StepBenchCommon
//   setters["--layers"] = [&](auto& k, auto& v) { o.layers = integerOption(k, v, 1, 100); };
//   applyOptions(args, setters, {{"--device-weights", &o.deviceWeights}}, usage());
//
// Thread-safety: pure functions; the setters write the options they were made for.
#pragma once

#include <c10/core/ScalarType.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace storyreel::infer::bench {

struct StepBenchCommon {
    // The video the latent stands for (pixels, frames): a 480p/540p shape reduced for the
    // CPU. Tokens = ((frames - 1) / 4 + 1) * (height / 16) * (width / 16).
    std::int64_t frames = 5;
    std::int64_t height = 240;
    std::int64_t width = 416;
    std::uint64_t seed = 1;
    int threads = 2;
    int warmup = 1;
    int repeats = 3;
    int rounds = 1;              // reference then Storyreel, this many times (interleaved)
    std::string device = "cpu";  // "cpu", "cuda", "cuda:1"
    at::ScalarType dtype = at::kFloat;
    std::string profile;               // a memory profile name ("16gb"): block swap
    std::int64_t residentBlocks = -1;  // overrides the profile's count when >= 0
    bool deviceWeights = false;        // draw the weights on the device, no file (GPU)
    std::filesystem::path reference;   // the reference clone; empty: Storyreel only
    std::filesystem::path script;      // tools/bench/<model>_reference_step.py
    std::string python = "/usr/bin/python3";
    std::filesystem::path workDir;  // weights, inputs and outputs; a temp folder if empty
};

// (option, value) -> sets a field; throws UserError naming the option for a bad value.
using OptionSetter = std::function<void(const std::string&, const std::string&)>;
using OptionSetters = std::map<std::string, OptionSetter>;

// `text` as a whole number in [min, max]; throws UserError naming `option` otherwise.
std::int64_t integerOption(const std::string& option, const std::string& text, std::int64_t min,
                           std::int64_t max);

// The setters of StepBenchCommon's options (--frames --height --width --threads --warmup
// --repeats --rounds --seed --device --dtype --profile --resident-blocks --ref --python
// --script --work), writing to `o`, which must outlive them.
OptionSetters commonStepSetters(StepBenchCommon& o);

// Applies `args`: a flag of `flags` (--device-weights: &o.deviceWeights) sets its bool, an
// option of `setters` takes the next argument. Throws UserError for an unknown option or a
// missing value, with `usage` appended.
void applyOptions(const std::vector<std::string>& args, const OptionSetters& setters,
                  const std::map<std::string, bool*>& flags, const std::string& usage);

}  // namespace storyreel::infer::bench
