#include "core/infer/weights/tensor_info.h"

namespace storyreel::infer {

std::string_view storageTypeName(StorageType type) {
    switch (type) {
        case StorageType::F32:
            return "F32";
        case StorageType::F16:
            return "F16";
        case StorageType::BF16:
            return "BF16";
        case StorageType::F8_E4M3FN:
            return "F8_E4M3FN";
        case StorageType::F8_E5M2:
            return "F8_E5M2";
        case StorageType::F64:
            return "F64";
        case StorageType::I64:
            return "I64";
        case StorageType::I32:
            return "I32";
        case StorageType::I16:
            return "I16";
        case StorageType::I8:
            return "I8";
        case StorageType::U8:
            return "U8";
        case StorageType::Bool:
            return "BOOL";
        case StorageType::Q4_0:
            return "Q4_0";
        case StorageType::Q4_1:
            return "Q4_1";
        case StorageType::Q5_0:
            return "Q5_0";
        case StorageType::Q5_1:
            return "Q5_1";
        case StorageType::Q8_0:
            return "Q8_0";
        case StorageType::Q2_K:
            return "Q2_K";
        case StorageType::Q3_K:
            return "Q3_K";
        case StorageType::Q4_K:
            return "Q4_K";
        case StorageType::Q5_K:
            return "Q5_K";
        case StorageType::Q6_K:
            return "Q6_K";
        case StorageType::IQ4_NL:
            return "IQ4_NL";
        case StorageType::IQ4_XS:
            return "IQ4_XS";
    }
    return "unknown";
}

c10::ScalarType scalarTypeOf(StorageType type) {
    switch (type) {
        case StorageType::F64:
            return c10::kDouble;
        case StorageType::I64:
            return c10::kLong;
        case StorageType::I32:
            return c10::kInt;
        case StorageType::I16:
            return c10::kShort;
        case StorageType::I8:
            return c10::kChar;
        case StorageType::U8:
            return c10::kByte;
        case StorageType::Bool:
            return c10::kBool;
        default:
            return c10::kFloat;
    }
}

}  // namespace storyreel::infer
