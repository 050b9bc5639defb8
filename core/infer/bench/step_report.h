// The printed report of the step benchmarks (wan-step, hunyuan-step): the figures' formats
// and the markdown table both print: configuration, seconds per step of each (median of the
// repeats), their ratio, peak memory of each process (and CUDA's), how far the two outputs
// differ; then every step's seconds, the CPU seconds, and the block swap figures.
//
//   std::printf("\nWan 2.1 DiT step (...): ...; %s\n\n", runContext(o, runs).c_str());
//   printStepTable(o, "dim 1536, 4 layers, ...", agreement, runs);
//   printBlockSwap(o, runs.peaks, resident, blocks, loads);
//
// Thread-safety: pure functions; the print functions write to stdout.
#pragma once

#include "core/infer/bench/step_bench_options.h"
#include "core/infer/bench/step_measurement.h"

#include <cstdint>
#include <string>
#include <vector>

namespace storyreel::infer::bench {

// The median; 0 for none.
double median(std::vector<double> values);
// "1.23 GiB"
std::string gib(std::int64_t bytes);
// `value` with `digits` decimals.
std::string fixed(double value, int digits);
// "3.10 3.25 3.02": the values with 2 decimals.
std::string secondsList(const std::vector<double>& seconds);

// The end of a mode's title line: "cpu Float, 2 threads; load average 1.7 -> 2.1; LibTorch
// 1.13.0 vs torch 1.13.0" ("vs no reference" without one).
std::string runContext(const StepBenchCommon& o, const StepRoundsResult& runs);

// The table (a CUDA peak column on a CUDA device) with one row, `config` its first cell and
// `agreement` its last ("-" without a reference), then the seconds and CPU seconds per step
// of each and their ratios.
void printStepTable(const StepBenchCommon& o, const std::string& config,
                    const std::string& agreement, const StepRoundsResult& runs);

// With block swap (fewer than `blocks` resident) or on CUDA: the resident and copied-in
// blocks and the steps' PeakMemoryReport row; nothing otherwise.
void printBlockSwap(const StepBenchCommon& o, const PeakMemoryReport& peaks,
                    std::int64_t residentBlocks, std::int64_t blocks, std::int64_t blockLoads);

}  // namespace storyreel::infer::bench
