// GGML tensor types and their dequantisation to float32, ported from the behaviour of
// ggml's dequantize_row_* (ggml/src/ggml-quants.c) and gguf-py's gguf/quants.py. Values are
// evaluated in float32 in the same order as ggml (this file is compiled with
// -ffp-contract=off so no fused multiply-add changes a rounding), which makes them
// bit-identical to ggml and gguf-py.
//
//   const GgmlType* type = findGgmlType(12);              // Q4_K, or nullptr if unknown
//   std::vector<float> out(elements);
//   dequantizeGgml(*type->storage, bytes, out);
//
// Thread-safety: pure functions.
#pragma once

#include "core/infer/weights/tensor_info.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace storyreel::infer {

// One entry of ggml's type table (ggml.h enum ggml_type, gguf-py GGML_QUANT_SIZES).
struct GgmlType {
    std::uint32_t id = 0;
    std::string_view name;
    std::uint32_t blockSize = 1;  // elements per block
    std::uint32_t typeSize = 4;   // bytes per block
    // Set when Storyreel can dequantise the type.
    std::optional<StorageType> storage;
};

// The type with ggml id `id`, or nullptr when ggml has no such type.
const GgmlType* findGgmlType(std::uint32_t id);
// The GGML type of a storage type that has one (F32, F16, BF16, Q*, IQ4_*), else nullptr.
const GgmlType* ggmlTypeOf(StorageType type);

// Dequantises whole blocks: `source` holds n blocks of `type` and `out` n * blockSize
// floats. Throws std::invalid_argument when the sizes disagree or `type` is not a GGML
// type Storyreel dequantises.
void dequantizeGgml(StorageType type, std::span<const std::uint8_t> source, std::span<float> out);

}  // namespace storyreel::infer
