// BlockSwapRunner: runs a transformer's blocks in order while only the first N of them live
// on the compute device. The others stay in host memory (pinned on CUDA) and are copied in
// just before use, the copy of the next one overlapping the compute of the current one on
// a separate CUDA stream, and are released after their call. Results are bit-identical to
// an all-resident run: the copied weights are the same bytes and the compute is the same.
//
//   BlockSwapRunner runner(blockModules, device, profile.residentBlocks(40, blockBytes));
//   runner.forEachBlock([&](std::size_t i) { x = blocks[i]->forward(x, e, context); });
//
// On the CPU the same code path runs, the "copy" being a clone, so the logic is exercised
// by the CPU tests.
//
// Thread-safety: one runner per model, used from the thread that owns the device.
#pragma once

#include "core/base/cancel_token.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <torch/nn/module.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace storyreel::infer {

class BlockSwapRunner {
public:
    using Blocks = std::vector<std::shared_ptr<torch::nn::Module>>;

    struct Stats {
        std::int64_t blockLoads = 0;   // swapped blocks copied in
        std::int64_t bytesCopied = 0;  // their parameter and buffer bytes
    };

    // Moves blocks [0, residentBlocks) to `device` and the others to host memory (their
    // parameters and buffers then point at host copies). residentBlocks is clamped to
    // 0..blocks.size(). Blocks must not share tensors.
    BlockSwapRunner(Blocks blocks, c10::Device device, std::int64_t residentBlocks);
    ~BlockSwapRunner();

    BlockSwapRunner(const BlockSwapRunner&) = delete;
    BlockSwapRunner& operator=(const BlockSwapRunner&) = delete;

    std::size_t size() const { return blocks_.size(); }
    std::int64_t residentBlocks() const { return resident_; }
    c10::Device device() const { return device_; }
    const Stats& stats() const { return stats_; }

    // Calls compute(i) for i = 0 .. size()-1, with block i's weights on device() during the
    // call. Checks `cancel` between blocks (throws Cancelled). When compute throws, the
    // swapped blocks are released before the exception goes on.
    void forEachBlock(const std::function<void(std::size_t)>& compute,
                      const CancelToken* cancel = nullptr);

    // forEachBlock for blocks whose step is x -> forward(i, x).
    at::Tensor run(at::Tensor x,
                   const std::function<at::Tensor(std::size_t, const at::Tensor&)>& forward,
                   const CancelToken* cancel = nullptr);

    // Bytes of a module's parameters and buffers, for MemoryProfile::residentBlocks.
    static std::int64_t moduleBytes(const torch::nn::Module& module);

private:
    struct CudaState;
    struct Slot {
        std::vector<at::Tensor> tensors;  // the block's parameters and buffers
        std::vector<at::Tensor> host;     // their host copies (swapped blocks only)
        bool loaded = false;
    };

    bool isSwapped(std::size_t index) const {
        return static_cast<std::int64_t>(index) >= resident_;
    }
    void load(std::size_t index);
    void waitUntilLoaded(std::size_t index);
    void release(std::size_t index);
    void releaseAll() noexcept;

    Blocks blocks_;
    c10::Device device_;
    std::int64_t resident_ = 0;
    std::vector<Slot> slots_;
    Stats stats_;
    std::unique_ptr<CudaState> cuda_;  // streams and events; null off CUDA
};

}  // namespace storyreel::infer
