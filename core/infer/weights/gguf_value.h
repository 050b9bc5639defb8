// GgufValue: one metadata value of a GGUF file (gguf.md "gguf_metadata_value_t"): a scalar
// of one of the twelve scalar types or string, or an array of them.
//
//   const GgufValue* arch = reader.find("general.architecture");
//   if (arch && arch->asString()) use(*arch->asString());
//   for (const GgufScalar& dim : reader.find("comfy.gguf.orig_shape.x")->array) ...
//
// Thread-safety: value types; copy freely.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace storyreel::infer {

// The on-disk type ids.
enum class GgufValueType : std::uint32_t {
    Uint8 = 0,
    Int8 = 1,
    Uint16 = 2,
    Int16 = 3,
    Uint32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    Uint64 = 10,
    Int64 = 11,
    Float64 = 12,
};

// "UINT8", ..., "FLOAT64", as gguf-py's GGUFValueType names them.
std::string_view ggufValueTypeName(GgufValueType type);

// Alternatives in the order of the type ids (String at index 8, no Array).
using GgufScalar =
    std::variant<std::uint8_t, std::int8_t, std::uint16_t, std::int16_t, std::uint32_t,
                 std::int32_t, float, bool, std::string, std::uint64_t, std::int64_t, double>;

// An integer scalar's value when it fits in int64 (bool and floats are not integers).
std::optional<std::int64_t> integerValue(const GgufScalar& scalar);

struct GgufValue {
    GgufValueType type = GgufValueType::Uint8;
    // For arrays: the type of every element (arrays of arrays are refused).
    GgufValueType elementType = GgufValueType::Uint8;
    GgufScalar scalar;              // when type != Array
    std::vector<GgufScalar> array;  // when type == Array

    const std::string* asString() const { return std::get_if<std::string>(&scalar); }
};

}  // namespace storyreel::infer
