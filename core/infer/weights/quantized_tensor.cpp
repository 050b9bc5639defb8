#include "core/infer/weights/quantized_tensor.h"

#include "core/infer/weights/gguf_dequant.h"
#include "core/infer/weights/gguf_dequant_torch.h"

#include <ATen/ATen.h>
#include <ATen/Context.h>
#include <ATen/Parallel.h>

#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace storyreel::infer {

namespace {

// On the CPU the scalar dequantiser is several times faster than the ATen one (README
// "Performance", storyreel-bench-infer dequant) and gives the same bits, so CPU blocks take
// it, on ATen's threads as GgufReader does.
at::Tensor dequantizeOnCpu(StorageType type, const at::Tensor& raw,
                           const std::vector<std::int64_t>& shape, at::ScalarType dtype) {
    const GgmlType& ggml = *ggmlTypeOf(type);
    at::Tensor out = at::empty(shape, at::kFloat);
    const std::uint8_t* bytes = raw.data_ptr<std::uint8_t>();
    float* values = out.data_ptr<float>();
    const std::int64_t blocks = raw.numel() / ggml.typeSize;
    at::parallel_for(0, blocks, 256, [&](std::int64_t begin, std::int64_t end) {
        const auto first = static_cast<std::size_t>(begin);
        const auto count = static_cast<std::size_t>(end - begin);
        dequantizeGgml(
            type,
            std::span<const std::uint8_t>(bytes + first * ggml.typeSize, count * ggml.typeSize),
            std::span<float>(values + first * ggml.blockSize, count * ggml.blockSize));
    });
    return out.to(dtype);
}

}  // namespace

QuantizedTensor::QuantizedTensor(at::Tensor raw, StorageType type, std::vector<std::int64_t> shape)
    : raw_(std::move(raw)), type_(type), shape_(std::move(shape)) {
    const GgmlType* ggml = ggmlTypeOf(type_);
    if (ggml == nullptr || !hasTorchDequantizer(type_)) {
        throw std::invalid_argument("QuantizedTensor: " + std::string(storageTypeName(type_)) +
                                    " is not a GGML type Storyreel dequantises");
    }
    if (!raw_.defined() || raw_.scalar_type() != at::kByte) {
        throw std::invalid_argument("QuantizedTensor: the blocks must be a uint8 tensor");
    }
    const std::int64_t values = numel();
    if (values % ggml->blockSize != 0 ||
        values / ggml->blockSize * ggml->typeSize != raw_.numel()) {
        throw std::invalid_argument("QuantizedTensor: " + std::to_string(raw_.numel()) +
                                    " bytes of " + std::string(ggml->name) + " do not make " +
                                    std::to_string(values) + " values");
    }
    raw_ = raw_.contiguous().view({-1});
}

QuantizedTensor QuantizedTensor::fromBytes(std::span<const std::uint8_t> bytes, StorageType type,
                                           std::vector<std::int64_t> shape) {
    at::Tensor raw = at::empty({static_cast<std::int64_t>(bytes.size())}, at::kByte);
    if (!bytes.empty()) {
        std::memcpy(raw.data_ptr<std::uint8_t>(), bytes.data(), bytes.size());
    }
    return {std::move(raw), type, std::move(shape)};
}

std::int64_t QuantizedTensor::numel() const {
    std::int64_t count = 1;
    for (const std::int64_t dim : shape_) {
        count *= dim;
    }
    return count;
}

bool QuantizedTensor::isPinned() const {
    // Pinning exists only with CUDA; without it LibTorch 2.x refuses even to ask.
    return raw_.defined() && raw_.is_cpu() && at::hasCUDA() && raw_.is_pinned();
}

QuantizedTensor QuantizedTensor::to(const c10::Device& device, bool nonBlocking) const {
    QuantizedTensor moved = *this;
    moved.raw_ = raw_.to(device, at::kByte, nonBlocking);
    return moved;
}

QuantizedTensor QuantizedTensor::pinned() const {
    if (!raw_.is_cpu() || !at::hasCUDA() || raw_.is_pinned()) {
        return *this;
    }
    QuantizedTensor copy = *this;
    copy.raw_ = raw_.pin_memory();
    return copy;
}

at::Tensor QuantizedTensor::dequantize(const c10::Device& device, at::ScalarType dtype) const {
    if (!raw_.defined()) {
        throw std::logic_error("QuantizedTensor::dequantize on an empty QuantizedTensor");
    }
    if (device.is_cpu() && raw_.is_cpu()) {
        return dequantizeOnCpu(type_, raw_, shape_, dtype);
    }
    // Pinned blocks can be copied without blocking; the dequantisation that follows runs on
    // the same stream, so it waits for them.
    const at::Tensor blocks =
        raw_.device() == device ? raw_ : raw_.to(device, at::kByte, isPinned());
    return dequantizeGgmlTorch(type_, blocks, shape_, dtype);
}

}  // namespace storyreel::infer
