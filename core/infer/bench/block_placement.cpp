#include "core/infer/bench/block_placement.h"

#include "core/infer/bench/step_report.h"
#include "core/infer/memory/memory_profile.h"

#include <algorithm>
#include <cstdio>

namespace storyreel::infer::bench {

bool usesBlockSwap(const StepBenchCommon& o) {
    return c10::Device(o.device).is_cuda() || !o.profile.empty() || o.residentBlocks >= 0;
}

std::int64_t residentBlockCount(const StepBenchCommon& o, const BlockSwapRunner::Blocks& blocks,
                                std::int64_t modelBytes, const char* blockWord) {
    const MemoryProfile profile = o.profile.empty() ? MemoryProfile{} : profileByName(o.profile);
    // Blocks may differ in size (HunyuanVideo's double and single): the profile counts the
    // largest.
    std::int64_t blockBytes = 0;
    std::int64_t allBlockBytes = 0;
    for (const auto& block : blocks) {
        const std::int64_t bytes = BlockSwapRunner::moduleBytes(*block);
        blockBytes = std::max(blockBytes, bytes);
        allBlockBytes += bytes;
    }
    const std::int64_t otherBytes = modelBytes - allBlockBytes;
    const auto count = static_cast<std::int64_t>(blocks.size());
    std::int64_t resident =
        o.profile.empty() ? count : profile.residentBlocks(count, blockBytes, otherBytes);
    if (o.residentBlocks >= 0) {
        resident = std::min(o.residentBlocks, count);
    }
    std::printf("placement: %lld of %lld blocks resident on %s (%s %s, rest %s)\n",
                static_cast<long long>(resident), static_cast<long long>(count),
                c10::Device(o.device).str().c_str(), blockWord, gib(blockBytes).c_str(),
                gib(otherBytes).c_str());
    return resident;
}

}  // namespace storyreel::infer::bench
