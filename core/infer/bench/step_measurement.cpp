#include "core/infer/bench/step_measurement.h"

#include "core/base/user_error.h"

#include <ATen/Parallel.h>
#include <time.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>

namespace storyreel::infer::bench {
namespace {

// CPU time of every thread of the process: on a loaded machine it varies less than the
// wall clock (both implementations run on the same libtorch and OpenMP runtime).
double processCpuSeconds() {
    timespec now{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

void addReferenceRun(MeasuredRun& theirs, const MeasuredRun& r) {
    theirs.seconds.insert(theirs.seconds.end(), r.seconds.begin(), r.seconds.end());
    theirs.cpuSeconds.insert(theirs.cpuSeconds.end(), r.cpuSeconds.begin(), r.cpuSeconds.end());
    theirs.stepPeakBytes = std::max(theirs.stepPeakBytes, r.stepPeakBytes);
    theirs.processPeakBytes = std::max(theirs.processPeakBytes, r.processPeakBytes);
    theirs.cudaPeakBytes = std::max(theirs.cudaPeakBytes, r.cudaPeakBytes);
    theirs.version = r.version;
    theirs.threads = r.threads;
}

}  // namespace

void synchronize(const c10::Device& device) {
    if (device.is_cuda()) {
        torch::cuda::synchronize(device.index());
    }
}

std::string loadAverage() {
    std::ifstream file("/proc/loadavg");
    std::string one;
    file >> one;
    return one.empty() ? "?" : one;
}

StepRoundsResult runStepRounds(const StepBenchCommon& o, const StepRounds& rounds) {
    if (o.rounds < 1 || o.repeats < 1) {
        throw UserError("the step bench needs at least one round and one repeat");
    }
    const c10::Device device(o.device);
    StepRoundsResult result;
    result.loadBefore = loadAverage();
    MeasuredRun& ours = result.storyreel;
    ours.version = std::string("LibTorch ") + TORCH_VERSION;
    ours.threads = at::get_num_threads();
    std::optional<PeakMemoryTracker> tracker;
    for (int round = 0; round < o.rounds; ++round) {
        if (rounds.reference) {
            addReferenceRun(result.reference, rounds.reference(round));
        }
        if (!tracker) {
            rounds.load();
            ours.processPeakBytes = peakResidentBytes();  // loading
            tracker.emplace(device);
            for (int i = 0; i < o.warmup; ++i) {
                rounds.step();
            }
        }
        for (int i = 0; i < o.repeats; ++i) {
            const auto start = std::chrono::steady_clock::now();
            const double cpuStart = processCpuSeconds();
            rounds.step();
            ours.cpuSeconds.push_back(processCpuSeconds() - cpuStart);
            ours.seconds.push_back(
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        }
    }
    result.peaks = tracker->report();
    ours.stepPeakBytes = result.peaks.cpuPeakResidentBytes;
    ours.processPeakBytes = std::max(ours.processPeakBytes, result.peaks.cpuPeakResidentBytes);
    ours.cudaPeakBytes = result.peaks.cudaPeakAllocatedBytes;
    result.loadAfter = loadAverage();
    return result;
}

}  // namespace storyreel::infer::bench
