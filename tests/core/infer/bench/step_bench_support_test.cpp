// What the wan-step and hunyuan-step benchmarks share (core/infer/bench): the common
// options and their parsing, the rounds that time the reference and Storyreel, the child
// process run of a reference script and the reading of its report, the report's number
// formats, and the seeded rule, the same in tools/bench/reference_step_common.py.
#include "core/base/user_error.h"
#include "core/infer/bench/child_process.h"
#include "core/infer/bench/reference_run.h"
#include "core/infer/bench/seeded_wan_checkpoint.h"
#include "core/infer/bench/step_bench_options.h"
#include "core/infer/bench/step_measurement.h"
#include "core/infer/bench/step_report.h"
#include "core/infer/weights/safetensors_reader.h"
#include "tests/core/infer/bench/bench_test_support.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

using namespace storyreel::infer;
using namespace storyreel::infer::bench;
using Catch::Contains;
using storyreel::infer::bench::testing::freshBenchFolder;
using storyreel::infer::bench::testing::tinyWanI2V;

namespace {

// A stand-in for a reference script, run by /bin/sh: prints `lines` and exits `status`;
// a report may use $ARGS, the arguments it was given (JSON-escaped).
StepBenchCommon fakeReference(const std::string& name, const std::string& lines, int status) {
    const std::filesystem::path folder = freshBenchFolder("fake-" + name);
    StepBenchCommon o;
    o.python = "/bin/sh";
    o.script = folder / "reference.sh";
    // $ARGS: the arguments with their double quotes escaped, to sit in a JSON string.
    std::ofstream(o.script) << R"(ARGS=$(printf '%s' "$*" | sed 's/"/\\"/g'))"
                            << "\n"
                            << lines << "exit " << status << "\n";
    o.reference = folder;
    o.threads = 3;
    o.warmup = 0;
    o.repeats = 2;
    return o;
}

}  // namespace

TEST_CASE("The step benches' common options parse into StepBenchCommon", "[infer][bench]") {
    StepBenchCommon o;
    bool extra = false;
    std::int64_t layers = 0;
    OptionSetters setters = commonStepSetters(o);
    setters["--layers"] = [&](auto& k, auto& v) { layers = integerOption(k, v, 1, 100); };
    applyOptions(
        {"--frames",  "9",        "--height",         "64",      "--width",           "96",
         "--threads", "4",        "--warmup",         "0",       "--repeats",         "5",
         "--rounds",  "2",        "--seed",           "42",      "--device",          "cuda:1",
         "--dtype",   "bfloat16", "--profile",        "16gb",    "--resident-blocks", "3",
         "--ref",     "/ref",     "--python",         "py",      "--script",          "s.py",
         "--work",    "/w",       "--device-weights", "--extra", "--layers",          "7"},
        setters, {{"--device-weights", &o.deviceWeights}, {"--extra", &extra}}, "U");
    CHECK(o.frames == 9);
    CHECK(o.height == 64);
    CHECK(o.width == 96);
    CHECK(o.threads == 4);
    CHECK(o.warmup == 0);
    CHECK(o.repeats == 5);
    CHECK(o.rounds == 2);
    CHECK(o.seed == 42);
    CHECK(o.device == "cuda:1");
    CHECK(o.dtype == at::kBFloat16);
    CHECK(o.profile == "16gb");
    CHECK(o.residentBlocks == 3);
    CHECK(o.reference == "/ref");
    CHECK(o.python == "py");
    CHECK(o.script == "s.py");
    CHECK(o.workDir == "/w");
    CHECK(o.deviceWeights);
    CHECK(extra);
    CHECK(layers == 7);

    const auto apply = [&](std::vector<std::string> args) {
        applyOptions(args, setters, {}, "usage: bench");
    };
    CHECK_THROWS_WITH(apply({"--repeats", "0"}),
                      Contains("--repeats must be a whole number from 1 to 1000, not '0'"));
    CHECK_THROWS_WITH(apply({"--threads", "2x"}), Contains("--threads"));
    CHECK_THROWS_WITH(apply({"--dtype", "half"}), Contains("float32 or bfloat16"));
    CHECK_THROWS_WITH(apply({"--frobnicate"}), Contains("unknown option '--frobnicate'"));
    CHECK_THROWS_WITH(apply({"--frobnicate"}), Contains("usage: bench"));
    CHECK_THROWS_WITH(apply({"--seed"}), Contains("--seed needs a value"));
}

TEST_CASE("The step bench rounds time the reference, then Storyreel loaded once",
          "[infer][bench]") {
    StepBenchCommon o;
    o.rounds = 3;
    o.warmup = 2;
    o.repeats = 4;
    o.threads = 1;
    std::vector<int> referenceRounds;
    int loads = 0;
    int steps = 0;
    StepRounds rounds;
    rounds.reference = [&](int round) {
        CHECK(loads == (round == 0 ? 0 : 1));  // the reference runs first, then Storyreel
        referenceRounds.push_back(round);
        MeasuredRun r;
        r.seconds = {1.0 + round, 2.0 + round};
        r.cpuSeconds = {0.5};
        r.stepPeakBytes = 100 * (round + 1);
        r.processPeakBytes = 300 - round;
        r.version = "torch x";
        r.threads = 5;
        return r;
    };
    rounds.load = [&] { ++loads; };
    rounds.step = [&] {
        CHECK(loads == 1);
        ++steps;
    };
    const StepRoundsResult runs = runStepRounds(o, rounds);
    CHECK(referenceRounds == std::vector<int>{0, 1, 2});
    CHECK(loads == 1);
    CHECK(steps == 2 + 3 * 4);  // warm-up once, then the repeats of every round
    CHECK(runs.storyreel.seconds.size() == 12);
    CHECK(runs.storyreel.cpuSeconds.size() == 12);
    CHECK(runs.storyreel.threads >= 1);
    CHECK(runs.storyreel.version.rfind("LibTorch ", 0) == 0);
    CHECK(runs.storyreel.stepPeakBytes > 0);
    CHECK(runs.storyreel.processPeakBytes >= runs.storyreel.stepPeakBytes);
    CHECK(runs.reference.seconds == std::vector<double>{1, 2, 2, 3, 3, 4});
    CHECK(runs.reference.stepPeakBytes == 300);     // the largest of the rounds
    CHECK(runs.reference.processPeakBytes == 300);  // the largest of the rounds
    CHECK(runs.reference.version == "torch x");
    CHECK(runs.reference.threads == 5);
    CHECK_FALSE(runs.loadBefore.empty());

    rounds.reference = nullptr;  // Storyreel only
    o.rounds = 1;
    loads = 0;
    CHECK(runStepRounds(o, rounds).reference.seconds.empty());
    o.repeats = 0;
    CHECK_THROWS_AS(runStepRounds(o, rounds), storyreel::UserError);
}

TEST_CASE("A reference step script gets the common arguments and its report is read",
          "[infer][bench]") {
    const SeededWanCheckpoint seeded(tinyWanI2V(), 11, at::kCPU);
    StepBenchCommon o = fakeReference(
        "report",
        "echo 'a line of log'\n"
        "echo \"{\\\"seconds\\\": [1.5, 2.5], \\\"cpu_seconds\\\": [3.0, 4.0], "
        "\\\"peak_rss_bytes\\\": 2048, \\\"step_peak_rss_bytes\\\": null, "
        "\\\"cuda_peak_allocated_bytes\\\": 0, \\\"threads\\\": 3, \\\"torch\\\": \\\"1.13.0\\\", "
        "\\\"args\\\": \\\"$ARGS\\\"}\"\n",
        0);
    const ReferenceReport file =
        runReferenceStep(o, {"--attention", "segments"}, seeded, "w.safetensors", "in.safetensors",
                         "out.safetensors");
    CHECK(file.run.seconds == std::vector<double>{1.5, 2.5});
    CHECK(file.run.cpuSeconds == std::vector<double>{3.0, 4.0});
    CHECK(file.run.processPeakBytes == 2048);
    CHECK(file.run.stepPeakBytes == 0);  // null: the kernel refused the reset
    CHECK(file.run.threads == 3);
    CHECK(file.run.version == "torch 1.13.0");
    const std::string args = file.json.find("args")->text();
    CHECK_THAT(args, Contains("--ref " + o.reference.string() + " --inputs in.safetensors"));
    CHECK_THAT(args, Contains("--threads 3 --warmup 0 --repeats 2 --attention segments"));
    CHECK_THAT(args, Contains("--weights w.safetensors --save out.safetensors"));

    o.deviceWeights = true;  // the seeded rule instead of the file, and no outputs
    const std::string drawn = runReferenceStep(o, {}, seeded, "w.safetensors", "in.safetensors", "")
                                  .json.find("args")
                                  ->text();
    CHECK_THAT(drawn, Contains("--repeats 2 --random-weights 11 --config {"));
    CHECK(drawn.find("--weights") == std::string::npos);
    CHECK(drawn.find("--save") == std::string::npos);
}

TEST_CASE("A failing reference step script is a UserError with its output", "[infer][bench]") {
    const SeededWanCheckpoint seeded(tinyWanI2V(), 1, at::kCPU);
    const StepBenchCommon failed = fakeReference("failed", "echo 'no wan/ here'\n", 3);
    CHECK_THROWS_WITH(
        runReferenceStep(failed, {}, seeded, "w", "i", ""),
        Contains("failed with status 3") && Contains("no wan/ here") && Contains("reference.sh"));
    const StepBenchCommon silent = fakeReference("silent", "echo done\n", 0);
    CHECK_THROWS_WITH(runReferenceStep(silent, {}, seeded, "w", "i", ""),
                      Contains("failed with status 0"));
    const StepBenchCommon broken = fakeReference("broken", "echo '{\"seconds\": [1,'\n", 0);
    CHECK_THROWS_WITH(runReferenceStep(broken, {}, seeded, "w", "i", ""),
                      Contains("not JSON") && Contains("reference.sh"));
}

TEST_CASE("The step bench report's numbers", "[infer][bench]") {
    CHECK(median({}) == 0.0);
    CHECK(median({3.0, 1.0, 2.0}) == 2.0);
    CHECK(median({4.0, 1.0, 3.0, 2.0}) == 2.5);
    CHECK(gib(3LL << 29) == "1.50 GiB");
    CHECK(fixed(0.99749, 3) == "0.997");
    CHECK(secondsList({3.104, 3.25, 12.0}) == "3.10 3.25 12.00");
    CHECK(secondsList({}).empty());
    CHECK(relativeError(at::tensor({3.0, 4.0}), at::tensor({3.0, 4.0})) == 0.0);
    CHECK(relativeError(at::tensor({3.0, 0.0}), at::tensor({3.0, 4.0})) == Approx(0.8));
}

TEST_CASE("reference_step_common.seeded_weight draws what SeededCheckpoint reads",
          "[infer][bench]") {
    // Needs Python 3 with PyTorch (packaging/install-bench-deps.sh), as the benches' --ref.
    const std::string python = "/usr/bin/python3";
    if (runChild({python, "-c", "import torch"}).exitStatus != 0) {
        std::cout << "no " << python << " with torch: the Python seeded rule is not compared\n";
        return;
    }
    const SeededWanCheckpoint seeded(tinyWanI2V(), 5, at::kCPU);
    // A matrix, a convolution, a modulation, a norm gain and a bias.
    const std::vector<std::string> names = {"blocks.0.ffn.0.weight", "patch_embedding.weight",
                                            "blocks.1.modulation", "blocks.0.norm3.weight",
                                            "blocks.0.ffn.0.bias"};
    std::string script =
        "import sys\nsys.path.insert(0, sys.argv[1])\n"
        "from reference_step_common import seeded_weight, write_tensors\ntensors = {}\n";
    for (const std::string& name : names) {
        const TensorInfo* info = seeded.find(name);
        REQUIRE(info != nullptr);
        std::string shape;
        for (const std::int64_t size : info->shape) {
            shape += (shape.empty() ? "" : ", ") + std::to_string(size);
        }
        const auto index = static_cast<std::uint64_t>(info - seeded.tensors().data());
        script += "tensors['" + name + "'] = seeded_weight('" + name + "', [" + shape + "], " +
                  std::to_string(seeded.seed() + index) + ", 'cpu')\n";
    }
    script += "write_tensors(sys.argv[2], tensors)\n";
    const std::filesystem::path file = freshBenchFolder("python-seeded") / "drawn.safetensors";
    const std::filesystem::path tools = std::filesystem::path(STORYREEL_SOURCE_DIR) / "tools/bench";
    const ChildResult child = runChild({python, "-c", script, tools.string(), file.string()});
    INFO(child.output);
    REQUIRE(child.exitStatus == 0);
    const SafetensorsReader drawn(file);
    for (const std::string& name : names) {
        INFO(name);
        CHECK(at::equal(drawn.tensor(name), seeded.read(name)));
    }
    std::cout << "checked " << names.size() << " tensors drawn by seeded_weight in " << tools
              << "\n";
}
