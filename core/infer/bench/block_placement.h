// Where the step benchmarks (wan-step, hunyuan-step) put their DiT's blocks: on CUDA, with a
// memory profile or with --resident-blocks, through block swap (memory/block_swap.h) with
// the profile's resident blocks (all of them without a profile; --resident-blocks over
// both); otherwise as built.
//
//   if (usesBlockSwap(o)) {
//       model->enableBlockSwap(device, residentBlockCount(o, model->blocks(), bytes, "block"));
//   }
//
// Thread-safety: pure functions (residentBlockCount prints a line to stdout).
#pragma once

#include "core/infer/bench/step_bench_options.h"
#include "core/infer/memory/block_swap.h"

#include <cstdint>

namespace storyreel::infer::bench {

// On CUDA, with a profile or with --resident-blocks.
bool usesBlockSwap(const StepBenchCommon& o);

// How many of `blocks` stay resident on o.device: all without a profile, else the
// profile's count for the largest block and the rest of `modelBytes` (the whole model's
// parameters and buffers); o.residentBlocks when >= 0. Prints "placement: R of N blocks
// resident on DEVICE (BLOCK_WORD X GiB, rest Y GiB)"; `blockWord` is "block" where all
// blocks are alike, "largest block" where they are not. Throws UserError for an unknown
// profile name.
std::int64_t residentBlockCount(const StepBenchCommon& o, const BlockSwapRunner::Blocks& blocks,
                                std::int64_t modelBytes, const char* blockWord);

}  // namespace storyreel::infer::bench
