// Reading the tensors of a Wan golden io file (../shared/golden/wan/README.md) by role:
// the scenario or sub-case prefixes named in the metadata "inputs"/"outputs" lists, and
// int64 tensors (timesteps, sizes) read exactly, since SafetensorsReader::tensor() decodes to
// float32.
//
//   const SafetensorsReader io(golden.io);
//   for (const std::string& key : goldenKeys(io, "outputs", "timesteps")) ...
//   const at::Tensor t = int64Tensor(io, "out." + key + ".timesteps");
//
// Thread-safety: reads files; call from the test thread.
#pragma once

#include "core/infer/weights/json_value.h"
#include "core/infer/weights/safetensors_reader.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

namespace storyreel::test {

// The prefixes KEY of the names "KEY.<field>" in the metadata list `list` ("inputs" or
// "outputs"), in the file's order.
inline std::vector<std::string> goldenKeys(const infer::SafetensorsReader& io,
                                           const std::string& list, const std::string& field) {
    std::vector<std::string> keys;
    const auto entry = io.metadata().find(list);
    REQUIRE(entry != io.metadata().end());
    const infer::JsonValue names = infer::parseJson(entry->second);
    const std::string suffix = "." + field;
    for (const infer::JsonValue& name : names.items()) {
        const std::string& text = name.text();
        if (text.size() > suffix.size() && text.ends_with(suffix)) {
            keys.push_back(text.substr(0, text.size() - suffix.size()));
        }
    }
    return keys;
}

// An I64 tensor of the file, exactly (little-endian, as safetensors stores it).
inline at::Tensor int64Tensor(const infer::SafetensorsReader& io, const std::string& name) {
    const infer::TensorInfo& info = io.info(name);
    REQUIRE(info.storageType == infer::StorageType::I64);
    at::Tensor values = at::empty(info.shape, at::TensorOptions().dtype(at::kLong));
    const auto bytes = io.rawBytes(name);
    REQUIRE(bytes.size() == static_cast<std::size_t>(values.numel()) * sizeof(std::int64_t));
    std::memcpy(values.data_ptr<std::int64_t>(), bytes.data(), bytes.size());
    return values;
}

}  // namespace storyreel::test
