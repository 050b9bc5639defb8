// Reads every golden GGUF file (../shared/golden/gguf, see its README.md and bad/README.md)
// and compares names, GGML types, logical shapes, offsets and dequantised float32 values
// with the expected safetensors files written from gguf-py.
#include "core/base/user_error.h"
#include "core/infer/weights/gguf_dequant.h"
#include "core/infer/weights/gguf_reader.h"
#include "core/infer/weights/json_value.h"
#include "core/infer/weights/safetensors_reader.h"
#include "tests/core/infer/weights/golden_dir.h"
#include "tests/core/infer/weights/tensor_compare.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

using Catch::Matchers::Contains;
using storyreel::UserError;
using storyreel::infer::findGgmlType;
using storyreel::infer::GgufReader;
using storyreel::infer::GgufScalar;
using storyreel::infer::GgufValue;
using storyreel::infer::GgufValueType;
using storyreel::infer::ggufValueTypeName;
using storyreel::infer::JsonValue;
using storyreel::infer::SafetensorsReader;
using storyreel::infer::StorageType;
using storyreel::infer::storageTypeName;
using storyreel::test::compareFloats;
using storyreel::test::countInexact;
using storyreel::test::goldenDir;

namespace fs = std::filesystem;

namespace {

const std::string kExpectedSuffix = ".expected.safetensors";

fs::path ggufDir() {
    return goldenDir() / "gguf";
}

std::vector<fs::path> ggufFilesIn(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
        if (entry.is_regular_file() && entry.path().extension() == ".gguf") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string readText(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Types whose dequantisation is one float32 product (or a plain conversion) are exact by
// construction; the README allows the others ~1 ulp of the block's largest value.
bool isSingleOperation(StorageType type) {
    switch (type) {
        case StorageType::F32:
        case StorageType::F16:
        case StorageType::BF16:
        case StorageType::Q8_0:
        case StorageType::Q4_0:
        case StorageType::Q5_0:
        case StorageType::IQ4_NL:
            return true;
        default:
            return false;
    }
}

void checkTensor(const GgufReader& reader, const SafetensorsReader& expected,
                 const std::string& name) {
    INFO("tensor " << name);
    REQUIRE(reader.contains(name));
    const auto& info = reader.info(name).tensor;
    const at::Tensor want = expected.tensor(name);
    CHECK(info.shape == want.sizes().vec());
    const at::Tensor got = reader.tensor(name);
    if (isSingleOperation(info.storageType)) {
        CHECK(compareFloats(got, want) == "");
        return;
    }
    const std::int64_t block = findGgmlType(reader.info(name).ggmlType)->blockSize;
    CHECK(compareFloats(got, want, block) == "");
    if (const std::int64_t inexact = countInexact(got, want); inexact != 0) {
        WARN(name << ": " << inexact << " values within tolerance but not bit-identical");
    }
}

// GGML type, dims, logical shape, byte size and absolute offset as manifest.json lists them.
void checkAgainstManifest(const GgufReader& reader, const JsonValue& entry) {
    CHECK(reader.alignment() == *entry.find("alignment")->asUint64());
    const JsonValue& tensors = *entry.find("tensors");
    CHECK(tensors.size() == reader.tensors().size());
    for (const JsonValue& tensor : tensors.items()) {
        const std::string& name = tensor.find("name")->text();
        INFO("manifest tensor " << name);
        REQUIRE(reader.contains(name));
        const auto& info = reader.info(name);
        CHECK(storageTypeName(info.tensor.storageType) == tensor.find("ggml_type")->text());
        CHECK(info.ggmlType == *tensor.find("ggml_type_id")->asUint64());
        std::vector<std::uint64_t> dims;
        for (const JsonValue& dim : tensor.find("gguf_dims")->items()) {
            dims.push_back(*dim.asUint64());
        }
        CHECK(info.dims == dims);
        std::vector<std::int64_t> shape;
        for (const JsonValue& dim : tensor.find("logical_shape")->items()) {
            shape.push_back(*dim.asInt64());
        }
        CHECK(info.tensor.shape == shape);
        CHECK(info.tensor.sizeBytes == *tensor.find("n_bytes")->asUint64());
        CHECK(info.tensor.offsetBytes == *tensor.find("data_offset_in_file")->asUint64());
        CHECK(reader.rawBytes(name).size() == info.tensor.sizeBytes);
    }
}

std::uint64_t hexBits(const JsonValue& value) {
    return std::stoull(value.find("hex_bits")->text(), nullptr, 16);
}

// One scalar against its kv_all_types.expected.json value.
bool scalarMatches(const GgufScalar& scalar, GgufValueType type, const JsonValue& want) {
    switch (type) {
        case GgufValueType::Float32:
            return std::bit_cast<std::uint32_t>(std::get<float>(scalar)) == hexBits(want);
        case GgufValueType::Float64:
            return std::bit_cast<std::uint64_t>(std::get<double>(scalar)) == hexBits(want);
        case GgufValueType::Bool:
            return want.kind() == JsonValue::Kind::Bool && std::get<bool>(scalar) == want.boolean();
        case GgufValueType::String:
            return want.isString() && std::get<std::string>(scalar) == want.text();
        case GgufValueType::Uint64:
            return want.asUint64() && std::get<std::uint64_t>(scalar) == *want.asUint64();
        default:
            return want.asInt64() && storyreel::infer::integerValue(scalar) == *want.asInt64();
    }
}

}  // namespace

TEST_CASE("Every golden GGUF file dequantises to gguf-py's float32 values",
          "[infer][gguf][golden]") {
    REQUIRE(fs::is_directory(ggufDir()));
    const JsonValue manifest = storyreel::infer::parseJson(readText(ggufDir() / "manifest.json"));
    std::map<std::string, const JsonValue*> manifestEntries;
    for (const JsonValue& entry : manifest.find("files")->items()) {
        manifestEntries[entry.find("file")->text()] = &entry;
    }
    std::set<std::string> typesSeen;
    for (const fs::path& path : ggufFilesIn(ggufDir())) {
        const std::string fileName = path.filename().string();
        const fs::path expectedPath = path.parent_path() / (path.stem().string() + kExpectedSuffix);
        if (!fs::exists(expectedPath)) {
            continue;
        }
        std::cout << "gguf golden: " << fileName << std::endl;
        INFO("file " << fileName);
        const GgufReader reader(path);
        const SafetensorsReader expected(expectedPath);
        std::vector<std::string> names;
        for (const auto& info : reader.tensors()) {
            names.push_back(info.tensor.name);
            typesSeen.insert(std::string(storageTypeName(info.tensor.storageType)));
        }
        std::sort(names.begin(), names.end());
        CHECK(names == expected.names());
        // The expected file records the GGML type of every tensor.
        const JsonValue ggmlTypes =
            storyreel::infer::parseJson(expected.metadata().at("ggml_types"));
        for (const std::string& name : expected.names()) {
            CHECK(storageTypeName(reader.info(name).tensor.storageType) ==
                  ggmlTypes.find(name)->text());
            checkTensor(reader, expected, name);
        }
        if (manifestEntries.count(fileName)) {
            checkAgainstManifest(reader, *manifestEntries[fileName]);
        }
    }
    for (const char* type : {"F32", "F16", "BF16", "Q8_0", "Q5_1", "Q5_0", "Q4_1", "Q4_0", "Q6_K",
                             "Q5_K", "Q4_K", "Q3_K", "Q2_K", "IQ4_NL", "IQ4_XS"}) {
        INFO("type " << type);
        CHECK(typesSeen.count(type) == 1);
    }
}

TEST_CASE("GGUF metadata of every value type reads as gguf-py reads it", "[infer][gguf][golden]") {
    std::cout << "gguf golden: kv_all_types.gguf (metadata)" << std::endl;
    const GgufReader reader(ggufDir() / "kv_all_types.gguf");
    CHECK(reader.version() == 3);
    const JsonValue expected =
        storyreel::infer::parseJson(readText(ggufDir() / "kv_all_types.expected.json"));
    REQUIRE(expected.isObject());
    CHECK(reader.metadata().size() == expected.size());
    std::set<GgufValueType> typesSeen;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const std::string& key = expected.key(i);
        const JsonValue& want = expected.at(i);
        INFO("key " << key);
        const GgufValue* value = reader.find(key);
        REQUIRE(value != nullptr);
        CHECK(ggufValueTypeName(value->type) == want.find("type")->text());
        typesSeen.insert(value->type);
        if (value->type != GgufValueType::Array) {
            CHECK(scalarMatches(value->scalar, value->type, *want.find("value")));
            continue;
        }
        CHECK(ggufValueTypeName(value->elementType) == want.find("element_type")->text());
        typesSeen.insert(value->elementType);
        const JsonValue& items = *want.find("value");
        REQUIRE(value->array.size() == items.size());
        for (std::size_t k = 0; k < items.size(); ++k) {
            INFO("element " << k);
            CHECK(scalarMatches(value->array[k], value->elementType, items.at(k)));
        }
    }
    CHECK(typesSeen.size() == 13);
    CHECK(*reader.find("test.string")->asString() == "Ünïcödé ✓ 测试 \"quoted\"\nnewline");
}

TEST_CASE("A GGUF file with general.alignment 64 places its data on 64-byte boundaries",
          "[infer][gguf][golden]") {
    const GgufReader reader(ggufDir() / "alignment64.gguf");
    CHECK(reader.alignment() == 64);
    for (const auto& info : reader.tensors()) {
        CHECK(info.tensor.offsetBytes % 64 == 0);
    }
}

TEST_CASE("GGUF types without a dequantiser are refused by name", "[infer][gguf][golden]") {
    const std::vector<fs::path> files = ggufFilesIn(ggufDir() / "fallback");
    CHECK(files.size() == 9);
    for (const fs::path& path : files) {
        const std::string fileName = path.filename().string();
        const std::string type = path.stem().string();
        std::cout << "gguf fallback (refused): " << fileName << std::endl;
        INFO("file " << fileName);
        CHECK_THROWS_AS(GgufReader(path), UserError);
        CHECK_THROWS_WITH(GgufReader(path),
                          Contains(fileName) && Contains("unsupported GGML type " + type + " "));
    }
}

TEST_CASE("Every malformed GGUF file is refused with the file and the problem named",
          "[infer][gguf][golden]") {
    // The problem each message must state (bad/README.md), by file.
    const std::map<std::string, std::string> problems = {
        {"zero_length.gguf", "empty"},
        {"bad_magic.gguf", "not a GGUF file"},
        {"unsupported_version.gguf", "GGUF version 4 is not supported"},
        {"truncated_header.gguf", "truncated"},
        {"truncated_tensor_data.gguf", "beyond the end of the file"},
        {"tensor_offset_beyond_eof.gguf", "beyond the end of the file"},
        {"overlapping_tensors.gguf", "overlaps"},
        {"misaligned_offset.gguf", "misaligned"},
        {"absurd_n_dims.gguf", "4294967280 dimensions"},
        {"overflowing_element_count.gguf", "more elements than 64 bits"},
        {"unknown_tensor_type.gguf", "unknown GGML type 99"},
        {"string_length_beyond_eof.gguf", "runs past the end of the file"},
        {"metadata_array_absurd_length.gguf", "cannot fit in the rest of the file"},
        {"tensor_count_absurd.gguf", "9223372036854775807 tensors"},
        {"duplicate_tensor_name.gguf", "duplicate tensor name"},
        {"unknown_kv_value_type.gguf", "unknown GGUF value type 13"},
        {"row_not_multiple_of_block.gguf", "not a multiple of the Q8_0 block size (32)"},
    };
    const std::vector<fs::path> files = ggufFilesIn(ggufDir() / "bad");
    CHECK(files.size() >= problems.size());
    for (const fs::path& path : files) {
        const std::string fileName = path.filename().string();
        std::cout << "gguf bad: " << fileName << std::endl;
        INFO("file " << fileName);
        CHECK_THROWS_AS(GgufReader(path), UserError);
        CHECK_THROWS_WITH(GgufReader(path), Contains(fileName));
        const auto problem = problems.find(fileName);
        if (problem == problems.end()) {
            WARN("no expected problem listed for " << fileName);
        } else {
            CHECK_THROWS_WITH(GgufReader(path), Contains(problem->second));
        }
    }
}

TEST_CASE("A GGUF version 1 file is refused with a message", "[infer][gguf]") {
    const fs::path path = fs::path(STORYREEL_TEST_BINARY_DIR) / "gguf_version1.gguf";
    {
        std::ofstream out(path, std::ios::binary);
        const char header[] = {'G', 'G', 'U', 'F', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        out.write(header, sizeof header);
    }
    CHECK_THROWS_WITH(GgufReader(path), Contains("gguf_version1.gguf") && Contains("version 1"));
}

TEST_CASE("The GGML type table knows ids, block sizes and what can be dequantised",
          "[infer][gguf]") {
    REQUIRE(findGgmlType(12) != nullptr);
    CHECK(findGgmlType(12)->name == "Q4_K");
    CHECK(findGgmlType(12)->typeSize == 144);
    CHECK(findGgmlType(17)->name == "IQ2_XS");
    CHECK_FALSE(findGgmlType(17)->storage.has_value());
    CHECK(findGgmlType(99) == nullptr);
    CHECK(findGgmlType(4) == nullptr);  // Q4_2, removed from ggml

    std::vector<std::uint8_t> block(34, 0);
    block[1] = 0x3C;  // d = 1.0 (binary16 0x3C00)
    block[2] = 5;
    block[3] = 0xFB;  // -5
    std::vector<float> out(32);
    storyreel::infer::dequantizeGgml(StorageType::Q8_0, block, out);
    CHECK(out[0] == 5.0f);
    CHECK(out[1] == -5.0f);
    CHECK(out[2] == 0.0f);
    std::vector<float> wrongSize(31);
    CHECK_THROWS_AS(storyreel::infer::dequantizeGgml(StorageType::Q8_0, block, wrongSize),
                    std::invalid_argument);
}
