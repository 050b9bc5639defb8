// TensorInfo: what a checkpoint reader knows about one tensor before reading it: its name,
// how it is stored, its logical shape and where its bytes are. Readers hand these out so
// that callers (the model registry, config detection) look at checkpoints without loading.
//
//   for (const TensorInfo& info : reader.tensors())
//       log(info.name + " " + std::string(storageTypeName(info.storageType)));
//   at::Tensor w = reader.tensor("blocks.0.self_attn.q.weight");  // read only now
//
// Thread-safety: value types; copy freely.
#pragma once

#include <c10/core/ScalarType.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer {

// How a tensor's bytes are encoded. The float and integer types come from safetensors
// (F8_E4M3FN is safetensors' "F8_E4M3"); F32, F16 and BF16 are also the GGML types of the
// same name; Q*/IQ* are GGML block quantisations (ggml-common.h block_q4_0 and friends).
enum class StorageType {
    F32,
    F16,
    BF16,
    F8_E4M3FN,
    F8_E5M2,
    F64,
    I64,
    I32,
    I16,
    I8,
    U8,
    Bool,
    Q4_0,
    Q4_1,
    Q5_0,
    Q5_1,
    Q8_0,
    Q2_K,
    Q3_K,
    Q4_K,
    Q5_K,
    Q6_K,
    IQ4_NL,
    IQ4_XS,
};

// "F32", "F8_E4M3FN", "Q4_K", ... (the GGML spelling for GGML types).
std::string_view storageTypeName(StorageType type);

// The dtype readers return a stored tensor in: float64, the integer types and bool keep
// their own; every narrower float format (and every GGML type) is decoded to float32.
c10::ScalarType scalarTypeOf(StorageType type);

struct TensorInfo {
    std::string name;
    StorageType storageType = StorageType::F32;
    // Logical shape in PyTorch order (outermost first); empty for a 0-dim scalar.
    std::vector<std::int64_t> shape;
    // Where the stored bytes lie, from the start of the file.
    std::uint64_t offsetBytes = 0;
    std::uint64_t sizeBytes = 0;

    std::int64_t numel() const {
        std::int64_t count = 1;
        for (const std::int64_t dim : shape) {
            count *= dim;
        }
        return count;
    }
};

}  // namespace storyreel::infer
