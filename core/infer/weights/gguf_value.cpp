#include "core/infer/weights/gguf_value.h"

#include <limits>

namespace storyreel::infer {

std::string_view ggufValueTypeName(GgufValueType type) {
    switch (type) {
        case GgufValueType::Uint8:
            return "UINT8";
        case GgufValueType::Int8:
            return "INT8";
        case GgufValueType::Uint16:
            return "UINT16";
        case GgufValueType::Int16:
            return "INT16";
        case GgufValueType::Uint32:
            return "UINT32";
        case GgufValueType::Int32:
            return "INT32";
        case GgufValueType::Float32:
            return "FLOAT32";
        case GgufValueType::Bool:
            return "BOOL";
        case GgufValueType::String:
            return "STRING";
        case GgufValueType::Array:
            return "ARRAY";
        case GgufValueType::Uint64:
            return "UINT64";
        case GgufValueType::Int64:
            return "INT64";
        case GgufValueType::Float64:
            return "FLOAT64";
    }
    return "UNKNOWN";
}

std::optional<std::int64_t> integerValue(const GgufScalar& scalar) {
    return std::visit(
        [](const auto& value) -> std::optional<std::int64_t> {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, std::uint64_t>) {
                if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
                    return std::nullopt;
                }
                return static_cast<std::int64_t>(value);
            } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
                return static_cast<std::int64_t>(value);
            } else {
                return std::nullopt;
            }
        },
        scalar);
}

}  // namespace storyreel::infer
