#include "core/infer/bench/step_report.h"

#include <c10/core/Device.h>

#include <algorithm>
#include <cstdio>

namespace storyreel::infer::bench {

double median(std::vector<double> values) {
    if (values.empty()) {
        return 0.0;
    }
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

std::string gib(std::int64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f GiB", static_cast<double>(bytes) / (1 << 30));
    return text;
}

std::string fixed(double value, int digits) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", digits, value);
    return text;
}

std::string secondsList(const std::vector<double>& seconds) {
    std::string text;
    for (const double s : seconds) {
        char value[32];
        std::snprintf(value, sizeof value, "%s%.2f", text.empty() ? "" : " ", s);
        text += value;
    }
    return text;
}

std::string runContext(const StepBenchCommon& o, const StepRoundsResult& runs) {
    const bool haveReference = !runs.reference.seconds.empty();
    return c10::Device(o.device).str() + " " + c10::toString(o.dtype) + ", " +
           std::to_string(runs.storyreel.threads) + " threads; load average " + runs.loadBefore +
           " -> " + runs.loadAfter + "; " + runs.storyreel.version + " vs " +
           (haveReference ? runs.reference.version : std::string("no reference"));
}

void printStepTable(const StepBenchCommon& o, const std::string& config,
                    const std::string& agreement, const StepRoundsResult& runs) {
    const MeasuredRun& ours = runs.storyreel;
    const MeasuredRun& theirs = runs.reference;
    const bool cuda = c10::Device(o.device).is_cuda();
    const bool haveReference = !theirs.seconds.empty();
    std::printf(
        "| config | Storyreel s/step | reference s/step | ratio | Storyreel peak RSS (step / "
        "process) | reference peak RSS (step / process) |%s output rel. error |\n"
        "| --- | --- | --- | --- | --- | --- |%s --- |\n",
        cuda ? " CUDA peak allocated (Storyreel / reference) |" : "", cuda ? " --- |" : "");
    const double oursMedian = median(ours.seconds);
    const double theirsMedian = median(theirs.seconds);
    const std::string referencePeaks =
        haveReference ? gib(theirs.stepPeakBytes) + " / " + gib(theirs.processPeakBytes) : "-";
    std::printf("| %s | %.2f | %s | %s | %s / %s | %s |", config.c_str(), oursMedian,
                haveReference ? fixed(theirsMedian, 2).c_str() : "-",
                haveReference ? fixed(oursMedian / theirsMedian, 3).c_str() : "-",
                gib(ours.stepPeakBytes).c_str(), gib(ours.processPeakBytes).c_str(),
                referencePeaks.c_str());
    if (cuda) {
        std::printf(" %s / %s |", gib(ours.cudaPeakBytes).c_str(),
                    haveReference ? gib(theirs.cudaPeakBytes).c_str() : "-");
    }
    std::printf(" %s |\n\nseconds per step: Storyreel %s; reference %s\n", agreement.c_str(),
                secondsList(ours.seconds).c_str(),
                haveReference ? secondsList(theirs.seconds).c_str() : "-");
    const double oursCpu = median(ours.cpuSeconds);
    const double theirsCpu = median(theirs.cpuSeconds);
    std::printf(
        "CPU seconds per step (all threads): Storyreel %s (median %.2f); reference %s "
        "(median %s); ratio %s\n",
        secondsList(ours.cpuSeconds).c_str(), oursCpu,
        haveReference ? secondsList(theirs.cpuSeconds).c_str() : "-",
        haveReference ? fixed(theirsCpu, 2).c_str() : "-",
        haveReference && theirsCpu > 0 ? fixed(oursCpu / theirsCpu, 3).c_str() : "-");
}

void printBlockSwap(const StepBenchCommon& o, const PeakMemoryReport& peaks,
                    std::int64_t residentBlocks, std::int64_t blocks, std::int64_t blockLoads) {
    if (residentBlocks >= blocks && !c10::Device(o.device).is_cuda()) {
        return;
    }
    std::printf("block swap: %lld of %lld blocks resident, %lld blocks copied in\n\n%s\n%s\n",
                static_cast<long long>(residentBlocks), static_cast<long long>(blocks),
                static_cast<long long>(blockLoads), PeakMemoryReport::tableHeader().c_str(),
                peaks.tableRow(o.profile.empty() ? "all resident" : o.profile).c_str());
}

}  // namespace storyreel::infer::bench
