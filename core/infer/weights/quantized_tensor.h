// QuantizedTensor: a weight kept as its raw GGUF blocks (a uint8 tensor, about 4.5 bits a
// value for Q4_K) with its GGML type and logical shape, so that a 14B DiT stays quantised
// in memory and each layer is dequantised just before use (ComfyUI-GGUF's GGMLTensor). The
// blocks move to a device like any tensor (to(), pinned()); dequantize() copies them to the
// device asked for when they are elsewhere and dequantises there with gguf_dequant_torch.
//
//   QuantizedTensor q = QuantizedTensor::fromBytes(reader.rawBytes(name), info.storageType,
//                                                   info.shape);
//   QuantizedTensor onGpu = q.pinned().to(at::kCUDA, /*nonBlocking=*/true);
//   at::Tensor w = onGpu.dequantize(onGpu.device(), at::kBFloat16);   // [out, in]
//
// Thread-safety: a value type sharing its blocks (like at::Tensor); const methods from any
// thread.
#pragma once

#include "core/infer/weights/tensor_info.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <span>
#include <vector>

namespace storyreel::infer {

class QuantizedTensor {
public:
    QuantizedTensor() = default;
    // `raw`: uint8, exactly the blocks of `type` that `shape` needs (read in row-major
    // order; made contiguous). Throws std::invalid_argument otherwise or when `type` has no
    // torch dequantiser (F32, F16, BF16 and the GGML block types have).
    QuantizedTensor(at::Tensor raw, StorageType type, std::vector<std::int64_t> shape);
    // Copies `bytes` (e.g. from a memory-mapped GGUF file) into a CPU tensor of its own.
    static QuantizedTensor fromBytes(std::span<const std::uint8_t> bytes, StorageType type,
                                     std::vector<std::int64_t> shape);

    bool defined() const { return raw_.defined(); }
    StorageType type() const { return type_; }
    // Logical shape, PyTorch order.
    const std::vector<std::int64_t>& shape() const { return shape_; }
    std::int64_t numel() const;
    // The blocks: uint8, [sizeBytes()].
    const at::Tensor& raw() const { return raw_; }
    std::int64_t sizeBytes() const { return raw_.numel(); }
    c10::Device device() const { return raw_.device(); }
    // True when the blocks are in page-locked host memory.
    bool isPinned() const;

    // The same weight with its blocks on `device` (shares them when already there).
    QuantizedTensor to(const c10::Device& device, bool nonBlocking = false) const;
    // The same weight with its blocks in page-locked host memory, from which copies to CUDA
    // run asynchronously. Without CUDA there is nothing to pin for: returns *this.
    QuantizedTensor pinned() const;

    // The values in the logical shape on `device` as `dtype` (computed in float32). The
    // blocks are copied to `device` first when they are elsewhere (the copy is the small,
    // quantised one) and the copy is dropped on return.
    at::Tensor dequantize(const c10::Device& device, at::ScalarType dtype = at::kFloat) const;

private:
    at::Tensor raw_;
    StorageType type_ = StorageType::Q8_0;
    std::vector<std::int64_t> shape_;
};

}  // namespace storyreel::infer
