// The run estimate: shapes of the real models, what fits where, and a check against a
// measured CPU run of a small block stack.
#include "core/infer/memory/estimate.h"

#include "core/infer/memory/block_swap.h"
#include "core/infer/memory/device_memory.h"
#include "tests/core/infer/memory/tiny_blocks.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>
#include <torch/csrc/autograd/grad_mode.h>

#include <algorithm>

using storyreel::infer::EstimateInput;
using storyreel::infer::estimateRun;
using storyreel::infer::RunEstimate;
using storyreel::infer::suggestProfile;
using storyreel::infer::TransformerShape;

namespace {

constexpr std::int64_t kGiB = std::int64_t{1} << 30;

}  // namespace

TEST_CASE("Model shapes give the published sizes and token counts", "[infer][memory][estimate]") {
    const TransformerShape wan = storyreel::infer::wan21I2V14B();
    CHECK(wan.parameterCount() > 16'300'000'000);  // "14B" I2V: 16.4 B with the image path
    CHECK(wan.parameterCount() < 16'500'000'000);
    CHECK(storyreel::infer::hunyuanVideoI2V().parameterCount() > 12'500'000'000);
    CHECK(storyreel::infer::hunyuanVideoI2V().parameterCount() < 13'500'000'000);
    CHECK(storyreel::infer::wanTokens(81, 480, 832) == 21 * 30 * 52);
    CHECK(storyreel::infer::wanTokens(81, 720, 1280) == 75600);
    CHECK(storyreel::infer::hunyuanTokens(129, 720, 1280) == 33 * 45 * 80);
}

TEST_CASE("Estimates grow with resident blocks and tokens and say what would fit",
          "[infer][memory][estimate]") {
    const TransformerShape wan = storyreel::infer::wan21I2V14B();
    const storyreel::infer::DeviceThroughput gpu{150e12, 100e12, 20e9};  // a 4090-like device
    EstimateInput in{wan, storyreel::infer::wanTokens(81, 480, 832), 1.0, 2, 40, 2, 0};
    const RunEstimate all = estimateRun(in, gpu);
    in.residentBlocks = 10;
    const RunEstimate swapped = estimateRun(in, gpu);
    CHECK(all.weightBytes > swapped.weightBytes);
    CHECK(all.activationBytes == swapped.activationBytes);
    // fp8 all resident: 16.4 GB of weights plus a few GB of working set.
    CHECK(all.peakBytes > 17 * kGiB);
    CHECK(all.peakBytes < 21 * kGiB);
    CHECK(all.fits(24 * kGiB));
    CHECK_FALSE(all.fits(16 * kGiB));
    // 30 blocks of 404 MB at 20 GB/s take 0.6 s a pass, hidden behind ~8 s of compute.
    CHECK(swapped.copySecondsPerStep > 0.5);
    CHECK(swapped.secondsPerStep == Approx(all.secondsPerStep));
    CHECK(all.summary().find("s/step") != std::string::npos);

    const std::int64_t tokens480 = storyreel::infer::wanTokens(81, 480, 832);
    const auto on12 = suggestProfile(wan, tokens480, 1.0, 12 * kGiB);
    REQUIRE(on12);
    CHECK((on12->name == "8gb" || on12->name == "12gb"));
    CHECK(suggestProfile(wan, tokens480, 1.0, 80 * kGiB)->name == "80gb");
    CHECK_FALSE(suggestProfile(wan, tokens480, 1.0, 2 * kGiB));
}

// Honest bounds. Memory: the estimate counts the tensors a block holds at its widest point;
// the measurement is the growth of the process's resident set (VmHWM reset at the start),
// which also holds allocator slack, BLAS workspaces and pages not yet returned to the
// system, and misses tensors that never coexist as the formula assumes. Time: the estimate
// counts matmul FLOPs only, at the rate of a benchmark matmul; norms, softmax, GELU and
// copies add time, and the two CPU cores are shared with other builds. Hence factors of 2
// for memory and 4 for time, both ways.
TEST_CASE("The estimate matches a measured CPU run of a small block stack",
          "[infer][memory][estimate]") {
    const torch::NoGradGuard noGrad;
    const storyreel::test::TinyBlockShape shape{256, 4, 1024, std::int64_t{64} << 20};
    const auto stack = storyreel::test::makeTinyStack(2, shape);
    const std::int64_t tokens = 2048;
    const at::Tensor x = at::randn({1, tokens, shape.dim});

    TransformerShape tiny;
    tiny.name = "tiny";
    tiny.blockCount = 2;
    tiny.blockParameters = storyreel::infer::BlockSwapRunner::moduleBytes(*stack[0]) / 4;
    tiny.hiddenDim = shape.dim;
    tiny.heads = shape.heads;
    tiny.ffnDim = shape.ffnDim;
    const EstimateInput in{tiny, tokens, 4.0, 4, 2, 1, shape.maxScoreBytes};
    const auto throughput = storyreel::infer::measureThroughput(c10::Device(c10::kCPU), at::kFloat);
    const RunEstimate estimate = estimateRun(in, throughput);

    storyreel::test::runAllResident(stack, x);  // warm-up: thread pools, allocator
    const storyreel::infer::PeakMemoryTracker tracker(c10::Device(c10::kCPU));
    const at::Tensor y = storyreel::test::runAllResident(stack, x);
    const auto report = tracker.report();
    // The faster of two runs, so that a burst of load from another process counts less.
    const storyreel::infer::PeakMemoryTracker again(c10::Device(c10::kCPU));
    storyreel::test::runAllResident(stack, x);
    const double seconds = std::min(report.seconds, again.report().seconds);
    const double measuredBytes =
        static_cast<double>(report.cpuPeakResidentBytes - report.cpuStartResidentBytes);
    const double memoryRatio = measuredBytes / static_cast<double>(estimate.activationBytes);
    const double timeRatio = seconds / estimate.secondsPerStep;
    INFO("estimate: activations " << estimate.activationBytes / 1048576.0 << " MiB, "
                                  << estimate.secondsPerStep
                                  << " s; measured: " << measuredBytes / 1048576.0 << " MiB, "
                                  << seconds << " s; matmul "
                                  << throughput.matmulFlopsPerSecond / 1e9 << " GFLOP/s, attention "
                                  << throughput.attentionFlopsPerSecond / 1e9 << " GFLOP/s");
    CHECK(y.sizes() == x.sizes());
    if (report.cpuPeakIsSinceStart) {
        CHECK(memoryRatio > 0.5);
        CHECK(memoryRatio < 2.0);
    }
    CHECK(timeRatio > 0.25);
    CHECK(timeRatio < 4.0);
}
