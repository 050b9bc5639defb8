#include "core/infer/memory/block_swap.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <optional>

#ifdef STORYREEL_WITH_CUDA
#include <ATen/cuda/CUDAEvent.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace storyreel::infer {

#ifdef STORYREEL_WITH_CUDA
// Copies run on their own stream; an event per block orders its compute after its copy.
struct BlockSwapRunner::CudaState {
    c10::cuda::CUDAStream copyStream;
    std::vector<std::optional<at::cuda::CUDAEvent>> ready;
};
#else
struct BlockSwapRunner::CudaState {};
#endif

namespace {

std::vector<at::Tensor> tensorsOf(torch::nn::Module& module) {
    std::vector<at::Tensor> tensors = module.parameters(/*recurse=*/true);
    for (at::Tensor& buffer : module.buffers(/*recurse=*/true)) {
        tensors.push_back(buffer);
    }
    return tensors;
}

}  // namespace

BlockSwapRunner::BlockSwapRunner(Blocks blocks, c10::Device device, std::int64_t residentBlocks)
    : blocks_(std::move(blocks)),
      device_(device),
      resident_(
          std::clamp<std::int64_t>(residentBlocks, 0, static_cast<std::int64_t>(blocks_.size()))),
      slots_(blocks_.size()) {
#ifdef STORYREEL_WITH_CUDA
    if (device_.is_cuda()) {
        if (!device_.has_index()) {
            device_ = c10::Device(c10::kCUDA, 0);
        }
        cuda_ = std::make_unique<CudaState>(
            CudaState{c10::cuda::getStreamFromPool(false, device_.index()), {}});
        cuda_->ready.resize(blocks_.size());
    }
#endif
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
        if (!isSwapped(i)) {
            blocks_[i]->to(device_);
            slots_[i].tensors = tensorsOf(*blocks_[i]);
            continue;
        }
        Slot& slot = slots_[i];
        slot.tensors = tensorsOf(*blocks_[i]);
        for (at::Tensor& tensor : slot.tensors) {
            // detach(): a handle of its own, so that set_data() below and in load() leaves
            // the host copy alone even when the block already was on the CPU.
            at::Tensor host = tensor.detach().to(at::kCPU);
            if (device_.is_cuda()) {
                host = host.pin_memory();  // lets the copy run asynchronously
            }
            tensor.set_data(host);
            slot.host.push_back(host);
        }
    }
}

BlockSwapRunner::~BlockSwapRunner() {
    releaseAll();
}

void BlockSwapRunner::load(std::size_t index) {
    Slot& slot = slots_[index];
    if (slot.loaded) {
        return;
    }
    for (const at::Tensor& host : slot.host) {
        stats_.bytesCopied += static_cast<std::int64_t>(host.numel() * host.element_size());
    }
    slot.loaded = true;
    ++stats_.blockLoads;
#ifdef STORYREEL_WITH_CUDA
    if (cuda_) {
        // The stream the blocks compute on: the caller's, read before the guard below.
        const c10::cuda::CUDAStream computeStream =
            c10::cuda::getCurrentCUDAStream(device_.index());
        const c10::cuda::CUDAStreamGuard onCopyStream(cuda_->copyStream);
        for (std::size_t j = 0; j < slot.tensors.size(); ++j) {
            // Allocated on, and copied by, the copy stream; from pinned memory the copy
            // returns at once.
            at::Tensor onDevice = slot.host[j].to(device_, /*non_blocking=*/true);
            // The compute stream reads it: the allocator must not hand the memory out again
            // before that stream is past its use, whenever the tensor is released.
            c10::cuda::CUDACachingAllocator::recordStream(onDevice.storage().data_ptr(),
                                                          computeStream);
            slot.tensors[j].set_data(onDevice);
        }
        cuda_->ready[index].emplace();
        cuda_->ready[index]->record(cuda_->copyStream);
        return;
    }
#endif
    // The CPU: a clone stands for the copy, so the same bookkeeping runs.
    for (std::size_t j = 0; j < slot.tensors.size(); ++j) {
        slot.tensors[j].set_data(slot.host[j].clone());
    }
}

void BlockSwapRunner::waitUntilLoaded([[maybe_unused]] std::size_t index) {
#ifdef STORYREEL_WITH_CUDA
    if (cuda_ && cuda_->ready[index]) {
        // Later work on the compute stream waits for the copy; the host does not.
        cuda_->ready[index]->block(c10::cuda::getCurrentCUDAStream(device_.index()));
        cuda_->ready[index].reset();
    }
#endif
}

void BlockSwapRunner::release(std::size_t index) {
    Slot& slot = slots_[index];
    if (!slot.loaded) {
        return;
    }
    for (std::size_t j = 0; j < slot.tensors.size(); ++j) {
        slot.tensors[j].set_data(slot.host[j]);
    }
    slot.loaded = false;
#ifdef STORYREEL_WITH_CUDA
    if (cuda_) {
        cuda_->ready[index].reset();
    }
#endif
}

void BlockSwapRunner::releaseAll() noexcept {
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        if (isSwapped(i)) {
            release(i);
        }
    }
}

void BlockSwapRunner::forEachBlock(const std::function<void(std::size_t)>& compute,
                                   const CancelToken* cancel) {
    try {
        for (std::size_t i = 0; i < blocks_.size(); ++i) {
            if (cancel) {
                cancel->throwIfCancelled();
            }
            if (isSwapped(i)) {
                load(i);  // a no-op when the previous iteration prefetched it
                waitUntilLoaded(i);
            }
            if (i + 1 < blocks_.size() && isSwapped(i + 1)) {
                load(i + 1);  // overlaps compute(i) on CUDA
            }
            compute(i);
            if (isSwapped(i)) {
                release(i);
            }
        }
    } catch (...) {
        releaseAll();
        throw;
    }
}

at::Tensor BlockSwapRunner::run(
    at::Tensor x, const std::function<at::Tensor(std::size_t, const at::Tensor&)>& forward,
    const CancelToken* cancel) {
    forEachBlock([&](std::size_t i) { x = forward(i, x); }, cancel);
    return x;
}

std::int64_t BlockSwapRunner::moduleBytes(const torch::nn::Module& module) {
    std::int64_t bytes = 0;
    for (const at::Tensor& tensor : module.parameters(true)) {
        bytes += static_cast<std::int64_t>(tensor.numel() * tensor.element_size());
    }
    for (const at::Tensor& tensor : module.buffers(true)) {
        bytes += static_cast<std::int64_t>(tensor.numel() * tensor.element_size());
    }
    return bytes;
}

}  // namespace storyreel::infer
