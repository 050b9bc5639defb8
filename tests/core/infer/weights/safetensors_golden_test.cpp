// Reads every golden safetensors file (../shared/golden/safetensors, see its README.md and
// bad/README.md) and compares names, shapes, dtypes and float32 values with the expected
// files, which the reader under test also reads.
#include "core/base/user_error.h"
#include "core/infer/weights/float_codecs.h"
#include "core/infer/weights/json_value.h"
#include "core/infer/weights/mapped_file.h"
#include "core/infer/weights/safetensors_file.h"
#include "core/infer/weights/safetensors_reader.h"
#include "tests/core/infer/weights/golden_dir.h"
#include "tests/core/infer/weights/tensor_compare.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

using Catch::Matchers::Contains;
using storyreel::UserError;
using storyreel::infer::JsonValue;
using storyreel::infer::MappedFile;
using storyreel::infer::SafetensorsReader;
using storyreel::infer::StorageType;
using storyreel::infer::storageTypeName;
using storyreel::test::compareFloats;
using storyreel::test::goldenDir;

namespace fs = std::filesystem;

namespace {

const std::string kExpectedSuffix = ".expected.safetensors";
const std::string kDequantizedSuffix = ".dequantized.expected.safetensors";

fs::path safetensorsDir() {
    return goldenDir() / "safetensors";
}

bool endsWith(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<fs::path> filesIn(const fs::path& dir, const std::string& suffix) {
    std::vector<fs::path> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
        if (entry.is_regular_file() && endsWith(entry.path().filename().string(), suffix)) {
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

// Every tensor of `reader` against `expected`: same names, shapes and values.
void checkAgainstExpected(const SafetensorsReader& reader, const SafetensorsReader& expected) {
    CHECK(reader.names() == expected.names());
    for (const std::string& name : expected.names()) {
        INFO("tensor " << name);
        REQUIRE(reader.contains(name));
        const at::Tensor want = expected.tensor(name);
        CHECK(reader.info(name).shape == want.sizes().vec());
        CHECK(compareFloats(reader.tensor(name), want) == "");
    }
}

// The reference spelling of our storage types (safetensors calls e4m3fn "F8_E4M3").
std::string safetensorsDtype(StorageType type) {
    return type == StorageType::F8_E4M3FN ? "F8_E4M3" : std::string(storageTypeName(type));
}

// dtype, shape, byte size and metadata as the folder's manifest.json lists them.
void checkAgainstManifest(const SafetensorsReader& reader, const JsonValue& entry) {
    const JsonValue* tensors = entry.find("tensors");
    REQUIRE(tensors != nullptr);
    CHECK(tensors->size() == reader.names().size());
    for (const JsonValue& tensor : tensors->items()) {
        const std::string& name = tensor.find("name")->text();
        INFO("manifest tensor " << name);
        REQUIRE(reader.contains(name));
        const auto& info = reader.info(name);
        CHECK(safetensorsDtype(info.storageType) == tensor.find("dtype")->text());
        std::vector<std::int64_t> shape;
        for (const JsonValue& dim : tensor.find("shape")->items()) {
            shape.push_back(*dim.asInt64());
        }
        CHECK(info.shape == shape);
        CHECK(info.sizeBytes == *tensor.find("nbytes")->asUint64());
    }
    if (const JsonValue* metadata = entry.find("metadata"); metadata && metadata->isObject()) {
        CHECK(reader.metadata().size() == metadata->size());
        for (std::size_t i = 0; i < metadata->size(); ++i) {
            const auto found = reader.metadata().find(metadata->key(i));
            REQUIRE(found != reader.metadata().end());
            CHECK(found->second == metadata->at(i).text());
        }
    }
}

}  // namespace

TEST_CASE("Every golden safetensors file reads back as its expected float32 values",
          "[infer][safetensors][golden]") {
    REQUIRE(fs::is_directory(safetensorsDir()));
    const JsonValue manifest =
        storyreel::infer::parseJson(readText(safetensorsDir() / "manifest.json"));
    std::map<std::string, const JsonValue*> manifestEntries;
    for (const JsonValue& entry : manifest.find("files")->items()) {
        manifestEntries[entry.find("file")->text()] = &entry;
    }
    int checked = 0;
    for (const fs::path& path : filesIn(safetensorsDir(), ".safetensors")) {
        const std::string fileName = path.filename().string();
        if (endsWith(fileName, kExpectedSuffix)) {
            continue;
        }
        const std::string stem =
            fileName.substr(0, fileName.size() - std::string(".safetensors").size());
        const fs::path expectedPath = path.parent_path() / (stem + kExpectedSuffix);
        if (!fs::exists(expectedPath)) {
            continue;
        }
        std::cout << "safetensors golden: " << fileName << std::endl;
        INFO("file " << fileName);
        const SafetensorsReader reader(path);
        CHECK_FALSE(reader.isSharded());
        checkAgainstExpected(reader, SafetensorsReader(expectedPath));
        if (manifestEntries.count(fileName)) {
            checkAgainstManifest(reader, *manifestEntries[fileName]);
        }
        ++checked;
    }
    CHECK(checked >= 8);
}

TEST_CASE("A sharded checkpoint reads every tensor from the shard its index names",
          "[infer][safetensors][golden]") {
    const fs::path index = safetensorsDir() / "sharded" / "model.safetensors.index.json";
    std::cout << "safetensors golden: sharded/" << index.filename().string() << std::endl;
    const SafetensorsReader reader(index);
    CHECK(reader.isSharded());
    CHECK(reader.metadata().at("total_size") == "181120");
    CHECK(reader.fileOf("shared.weight").filename() == "model-00001-of-00002.safetensors");
    CHECK(reader.fileOf("encoder.final_layer_norm.weight").filename() ==
          "model-00002-of-00002.safetensors");
    checkAgainstExpected(reader,
                         SafetensorsReader(safetensorsDir() / "sharded.expected.safetensors"));
}

TEST_CASE("A sharded checkpoint names a missing shard or a tensor its shard lacks",
          "[infer][safetensors]") {
    const fs::path dir = fs::path(STORYREEL_TEST_BINARY_DIR) / "safetensors_sharded_errors";
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy_file(safetensorsDir() / "sharded" / "model-00002-of-00002.safetensors",
                  dir / "present.safetensors");
    std::ofstream(dir / "broken.safetensors.index.json")
        << R"({"metadata": {"total_size": 1}, "weight_map": {)"
        << R"("encoder.final_layer_norm.weight": "present.safetensors",)"
        << R"("not.in.that.shard": "present.safetensors",)"
        << R"("shared.weight": "absent-00001.safetensors"}})";
    const SafetensorsReader reader(dir / "broken.safetensors.index.json");
    CHECK(reader.names().size() == 3);
    CHECK(reader.tensor("encoder.final_layer_norm.weight").sizes().vec() ==
          std::vector<std::int64_t>{64});
    CHECK_THROWS_WITH(reader.tensor("shared.weight"),
                      Contains("broken.safetensors.index.json") &&
                          Contains("shard 'absent-00001.safetensors' cannot be read"));
    CHECK_THROWS_AS(reader.tensor("shared.weight"), UserError);
    CHECK_THROWS_WITH(reader.info("not.in.that.shard"),
                      Contains("not.in.that.shard") && Contains("does not contain it"));
    CHECK_THROWS_WITH(reader.tensor("no.such.tensor"), Contains("has no tensor 'no.such.tensor'"));

    std::ofstream(dir / "escape.safetensors.index.json")
        << R"({"weight_map": {"w": "../elsewhere.safetensors"}})";
    CHECK_THROWS_WITH(SafetensorsReader(dir / "escape.safetensors.index.json"),
                      Contains("escape.safetensors.index.json") && Contains("relative file name"));
}

TEST_CASE("A scaled-fp8 checkpoint gives raw fp8 values and weights times scale_weight",
          "[infer][safetensors][golden]") {
    const std::string stem = "umt5_xxl_fp8_e4m3fn_scaled_mini";
    std::cout << "safetensors golden: " << stem << ".safetensors (raw and dequantised)"
              << std::endl;
    const SafetensorsReader reader(safetensorsDir() / (stem + ".safetensors"));
    checkAgainstExpected(reader, SafetensorsReader(safetensorsDir() / (stem + kExpectedSuffix)));

    const SafetensorsReader dequantized(safetensorsDir() / (stem + kDequantizedSuffix));
    CHECK(reader.dequantizedNames() == dequantized.names());
    const std::string q = "encoder.block.0.layer.0.SelfAttention.q.weight";
    CHECK(reader.info(q).storageType == StorageType::F8_E4M3FN);
    CHECK(reader.hasScaleWeight(q));
    CHECK_FALSE(reader.hasScaleWeight("shared.weight"));
    for (const std::string& name : dequantized.names()) {
        INFO("tensor " << name);
        CHECK(compareFloats(reader.dequantized(name), dequantized.tensor(name)) == "");
    }
}

TEST_CASE("Every malformed safetensors file is refused with the file and the problem named",
          "[infer][safetensors][golden]") {
    // The problem each message must state (bad/README.md), by file.
    const std::map<std::string, std::string> problems = {
        {"zero_length.safetensors", "empty"},
        {"shorter_than_8_bytes.safetensors", "too short"},
        {"header_len_larger_than_file.safetensors", "header length 1080"},
        {"huge_header_length.safetensors", "too large"},
        {"invalid_json.safetensors", "not valid JSON"},
        {"header_not_object.safetensors", "not a JSON object"},
        {"header_not_utf8.safetensors", "not valid UTF-8"},
        {"unknown_dtype.safetensors", "dtype 'F7'"},
        {"data_offsets_out_of_range.safetensors", "has only 32 bytes"},
        {"data_offsets_overlapping.safetensors", "overlaps"},
        {"data_offsets_size_mismatch.safetensors", "needs 16 bytes"},
        {"data_offsets_gap.safetensors", "belong to no tensor"},
        {"trailing_bytes.safetensors", "follow the last tensor"},
        {"begin_after_end.safetensors", "begin lies after the end"},
        {"duplicate_tensor_name.safetensors", "'w' appears twice"},
        {"negative_dimension.safetensors", "-1"},
        {"shape_product_overflow.safetensors", "overflows"},
        {"metadata_value_not_string.safetensors", "not a string"},
    };
    const std::vector<fs::path> files = filesIn(safetensorsDir() / "bad", ".safetensors");
    CHECK(files.size() >= problems.size());
    for (const fs::path& path : files) {
        const std::string fileName = path.filename().string();
        std::cout << "safetensors bad: " << fileName << std::endl;
        INFO("file " << fileName);
        CHECK_THROWS_AS(SafetensorsReader(path), UserError);
        CHECK_THROWS_WITH(SafetensorsReader(path), Contains(fileName));
        const auto problem = problems.find(fileName);
        if (problem == problems.end()) {
            WARN("no expected problem listed for " << fileName);
        } else {
            CHECK_THROWS_WITH(SafetensorsReader(path), Contains(problem->second));
        }
    }
}

TEST_CASE("fp8 codes decode to the values of their formats", "[infer][safetensors]") {
    using storyreel::infer::fp8E4M3FNToFloat;
    using storyreel::infer::fp8E5M2ToFloat;
    CHECK(fp8E4M3FNToFloat(0x7E) == 448.0f);
    CHECK(fp8E4M3FNToFloat(0x01) == 0x1p-9f);
    CHECK(fp8E4M3FNToFloat(0x38) == 1.0f);
    CHECK(std::isnan(fp8E4M3FNToFloat(0x7F)));
    CHECK(std::isnan(fp8E4M3FNToFloat(0xFF)));
    CHECK(std::signbit(fp8E4M3FNToFloat(0x80)));
    CHECK(fp8E5M2ToFloat(0x7B) == 57344.0f);
    CHECK(std::isinf(fp8E5M2ToFloat(0x7C)));
    CHECK(fp8E5M2ToFloat(0x3C) == 1.0f);
    CHECK(fp8E5M2ToFloat(0x01) == 0x1p-16f);
}

TEST_CASE("A mapped file refuses ranges outside it and maps nothing for an empty file",
          "[infer][safetensors]") {
    const MappedFile empty(safetensorsDir() / "bad" / "zero_length.safetensors");
    CHECK(empty.sizeBytes() == 0);
    CHECK(empty.bytes(0, 0).empty());
    CHECK_THROWS_WITH(empty.bytes(0, 1),
                      Contains("zero_length.safetensors") && Contains("outside"));

    const MappedFile file(safetensorsDir() / "no_tensors.safetensors");
    CHECK(file.sizeBytes() == 80);
    CHECK(file.bytes(72, 8).size() == 8);
    CHECK_THROWS_AS(file.bytes(73, 8), UserError);
    CHECK_THROWS_AS(file.bytes(~0ull, 2), UserError);
    CHECK_THROWS_WITH(MappedFile(safetensorsDir() / "missing.safetensors"),
                      Contains("missing.safetensors") && Contains("cannot open"));
}
