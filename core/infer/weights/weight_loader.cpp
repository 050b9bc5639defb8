#include "core/infer/weights/weight_loader.h"

#include <ATen/ATen.h>

#include <string>
#include <utility>
#include <vector>

namespace storyreel::infer {

WeightLoadOptions weightLoadOptions(const MemoryProfile& profile,
                                    std::shared_ptr<const LoraStack> loras) {
    WeightLoadOptions options;
    switch (profile.weightDtype) {
        case WeightDtype::AsStored:
            break;
        case WeightDtype::BFloat16:
            options.dtype = at::kBFloat16;
            break;
        case WeightDtype::Float16:
            options.dtype = at::kHalf;
            break;
    }
    options.keepQuantized = profile.keepGgufQuantized;
    options.loras = std::move(loras);
    return options;
}

WeightLoader::WeightLoader(const InternalView& view, WeightLoadOptions options)
    : view_(view), options_(std::move(options)) {}

at::ScalarType WeightLoader::denseDtype(std::string_view internalName) const {
    if (options_.dtype) {
        return *options_.dtype;
    }
    const std::vector<std::string> sources = view_.sourcesOf(internalName);
    const TensorInfo* stored = view_.file().find(sources.front());
    switch (stored->storageType) {
        case StorageType::F32:
        case StorageType::F64:
        case StorageType::I64:
        case StorageType::I32:
        case StorageType::I16:
        case StorageType::I8:
        case StorageType::U8:
        case StorageType::Bool:
            return at::kFloat;
        case StorageType::F16:
            return at::kHalf;
        default:
            return at::kBFloat16;  // BF16, fp8 and GGUF blocks
    }
}

Weight WeightLoader::load(std::string_view internalName) const {
    const std::vector<std::string> sources = view_.sourcesOf(internalName);
    const MappingKind kind = view_.kindOf(internalName);
    const bool oneTensor =
        sources.size() == 1 && (kind == MappingKind::Rename || kind == MappingKind::Unsqueeze);
    if (options_.keepQuantized && oneTensor) {
        if (std::optional<QuantizedTensor> blocks = view_.file().quantized(sources.front())) {
            const std::vector<std::int64_t> shape = view_.shape(internalName);
            const bool loraMerges =
                options_.loras && options_.loras->affects(internalName) && shape.size() != 2;
            if (!loraMerges) {
                // Unsqueeze only adds leading ones: the blocks are the same in either shape.
                return QuantizedTensor(blocks->raw(), blocks->type(), shape);
            }
        }
    }
    return loadDense(internalName);
}

at::Tensor WeightLoader::loadDense(std::string_view internalName,
                                   std::optional<at::ScalarType> dtype) const {
    // Float32, fp8 scales applied, GGUF dequantised.
    at::Tensor values = view_.tensor(internalName);
    if (options_.loras) {
        options_.loras->mergeInto(internalName, values);
    }
    return values.to(dtype.value_or(denseDtype(internalName)));
}

bool WeightLoader::needsRuntimeLora(std::string_view internalName, const Weight& weight) const {
    return weight.isQuantized() && options_.loras && options_.loras->affects(internalName);
}

}  // namespace storyreel::infer
