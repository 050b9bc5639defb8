// GGML dequantisation with ATen tensor operations: the raw blocks of a GGUF tensor, held in
// a uint8 tensor, become float32 values on the device the bytes are on. On the CPU the
// operations are ATen's CPU kernels; on CUDA they are CUDA kernels, so quantised weights
// are copied to the GPU as blocks (about a quarter of their bf16 size for Q4_K) and
// dequantised there, layer by layer. The approach follows ComfyUI-GGUF's dequant.py (the
// blocks viewed as a [blocks, bytes] matrix, bit fields unpacked with broadcast shifts);
// the arithmetic follows ggml's dequantize_row_* in float32 and in ggml's order, so the
// results equal gguf_dequant.h's scalar ones bit for bit (no operation is fused: every
// product and difference is its own ATen kernel, rounded to float32).
//
//   at::Tensor raw = ...;                                    // uint8, [blocks * 144] bytes
//   at::Tensor w = dequantizeGgmlTorch(StorageType::Q4_K, raw.to(at::kCUDA), {5120, 5120});
//   at::Tensor h = dequantizeGgmlTorch(StorageType::Q8_0, raw, {64, 64}, at::kBFloat16);
//
// Thread-safety: pure functions.
#pragma once

#include "core/infer/weights/tensor_info.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <c10/util/ArrayRef.h>

#include <cstdint>

namespace storyreel::infer {

// True for the types dequantizeGgmlTorch takes: F32, F16, BF16 and the GGML block types
// gguf_dequant.h dequantises (Q4_0 ... Q6_K, IQ4_NL, IQ4_XS).
bool hasTorchDequantizer(StorageType type);

// `raw`: a uint8 tensor of whole blocks of `type` (any shape, read in row-major order), on
// any device. Returns the values in `shape` (whose element count must be the blocks times
// the block size) on raw's device: computed in float32, then converted to `dtype`.
// Throws std::invalid_argument when raw is not uint8, the sizes disagree or the type has
// no torch dequantiser (these are programming errors: readers check files before).
at::Tensor dequantizeGgmlTorch(StorageType type, const at::Tensor& raw, at::IntArrayRef shape,
                               at::ScalarType dtype = at::kFloat);

}  // namespace storyreel::infer
