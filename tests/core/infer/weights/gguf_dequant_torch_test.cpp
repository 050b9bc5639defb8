// The ATen dequantiser (gguf_dequant_torch.h) against the scalar one (gguf_dequant.h, itself
// checked bit for bit against gguf-py in gguf_golden_test.cpp): every tensor of every golden
// GGUF file, and random blocks of every type.
//
// Bit-exact: every type. The golden README allows the two-operation types (Q4_1, Q5_1,
// Q2_K, Q3_K... where a value is d*q + m or (d*sc)*q - (dmin*m)) about 1 ulp of the block's
// largest value when a different evaluation order or a fused multiply-add is used; the
// torch code evaluates in ggml's order with one ATen kernel per operation (nothing fuses),
// so it needs no tolerance, and the test asks for none.
#include "core/infer/weights/gguf_dequant_torch.h"

#include "core/infer/weights/gguf_dequant.h"
#include "core/infer/weights/gguf_reader.h"
#include "tests/core/infer/weights/golden_dir.h"
#include "tests/core/infer/weights/tensor_compare.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>
#include <torch/cuda.h>

#include <algorithm>
#include <cstring>
#include <iostream>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

using storyreel::infer::dequantizeGgml;
using storyreel::infer::dequantizeGgmlTorch;
using storyreel::infer::GgmlType;
using storyreel::infer::ggmlTypeOf;
using storyreel::infer::GgufReader;
using storyreel::infer::hasTorchDequantizer;
using storyreel::infer::StorageType;
using storyreel::infer::storageTypeName;
using storyreel::test::compareFloats;
using storyreel::test::goldenDir;

namespace fs = std::filesystem;

namespace {

const StorageType kTorchTypes[] = {
    StorageType::F32,  StorageType::F16,    StorageType::BF16,   StorageType::Q8_0,
    StorageType::Q4_0, StorageType::Q4_1,   StorageType::Q5_0,   StorageType::Q5_1,
    StorageType::Q2_K, StorageType::Q3_K,   StorageType::Q4_K,   StorageType::Q5_K,
    StorageType::Q6_K, StorageType::IQ4_NL, StorageType::IQ4_XS,
};

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

at::Tensor bytesTensor(std::span<const std::uint8_t> bytes) {
    at::Tensor raw = at::empty({static_cast<std::int64_t>(bytes.size())}, at::kByte);
    std::memcpy(raw.data_ptr<std::uint8_t>(), bytes.data(), bytes.size());
    return raw;
}

at::Tensor scalarDequantized(StorageType type, const at::Tensor& raw, std::int64_t values) {
    at::Tensor out = at::empty({values}, at::kFloat);
    dequantizeGgml(type,
                   std::span<const std::uint8_t>(raw.data_ptr<std::uint8_t>(),
                                                 static_cast<std::size_t>(raw.numel())),
                   std::span<float>(out.data_ptr<float>(), static_cast<std::size_t>(values)));
    return out;
}

// `blocks` blocks of random bytes: every packed bit pattern is a legal encoding. The float16
// scales are random too (NaN or infinite one time in 32, compared as NaN); plain F32, F16
// and BF16 values are kept finite.
at::Tensor randomBlocks(StorageType type, std::int64_t blocks) {
    const GgmlType& ggml = *ggmlTypeOf(type);
    at::Tensor raw = at::randint(0, 256, {blocks * ggml.typeSize}, at::kByte);
    if (ggml.blockSize == 1 && type != StorageType::F32) {
        // F16/BF16: clear the top exponent bit of every value's high byte.
        raw.view({-1, 2}).select(1, 1).bitwise_and_(0xBF);
    } else if (type == StorageType::F32) {
        raw.view({-1, 4}).select(1, 3).bitwise_and_(0xBF);
    }
    return raw;
}

}  // namespace

TEST_CASE("The torch dequantiser equals the scalar one on every golden GGUF file",
          "[infer][gguf][golden]") {
    const fs::path dir = goldenDir() / "gguf";
    REQUIRE(fs::is_directory(dir));
    std::set<StorageType> typesSeen;
    for (const fs::path& path : ggufFilesIn(dir)) {
        std::cout << "gguf torch dequant: " << path.filename().string() << std::endl;
        INFO("file " << path.filename().string());
        const GgufReader reader(path);
        for (const auto& info : reader.tensors()) {
            const StorageType type = info.tensor.storageType;
            INFO("tensor " << info.tensor.name << " (" << storageTypeName(type) << ")");
            REQUIRE(hasTorchDequantizer(type));
            typesSeen.insert(type);
            const at::Tensor raw = bytesTensor(reader.rawBytes(info.tensor.name));
            const at::Tensor got = dequantizeGgmlTorch(type, raw, info.tensor.shape);
            CHECK(compareFloats(got, reader.tensor(info.tensor.name)) == "");
        }
    }
    for (const StorageType type : kTorchTypes) {
        INFO("type " << storageTypeName(type));
        CHECK(typesSeen.count(type) == 1);
    }
}

TEST_CASE("The torch dequantiser equals the scalar one on random blocks of every type",
          "[infer][gguf]") {
    at::manual_seed(7);
    for (const StorageType type : kTorchTypes) {
        INFO("type " << storageTypeName(type));
        const GgmlType& ggml = *ggmlTypeOf(type);
        const std::int64_t blocks = 777;
        const at::Tensor raw = randomBlocks(type, blocks);
        const std::int64_t values = blocks * ggml.blockSize;
        const at::Tensor want = scalarDequantized(type, raw, values);
        CHECK(compareFloats(dequantizeGgmlTorch(type, raw, {values}), want) == "");
        // A target dtype is the float32 result converted (compared as bits: NaN != NaN).
        CHECK(at::equal(dequantizeGgmlTorch(type, raw, {values}, at::kBFloat16).view(at::kShort),
                        want.to(at::kBFloat16).view(at::kShort)));
    }
}

TEST_CASE("The torch dequantiser never returns a view of the blocks", "[infer][gguf]") {
    const at::Tensor raw = at::arange(8, at::kFloat).view(at::kByte).flatten();
    at::Tensor values = dequantizeGgmlTorch(StorageType::F32, raw, {2, 4});
    CHECK(at::equal(values, at::arange(8, at::kFloat).view({2, 4})));
    values.fill_(0.0f);
    CHECK(at::equal(raw.view(at::kFloat), at::arange(8, at::kFloat)));
}

TEST_CASE("The torch dequantiser refuses blocks that do not make the shape", "[infer][gguf]") {
    const at::Tensor raw = at::zeros({34 * 2}, at::kByte);
    CHECK(dequantizeGgmlTorch(StorageType::Q8_0, raw, {2, 32}).sizes() == at::IntArrayRef{2, 32});
    CHECK_THROWS_AS(dequantizeGgmlTorch(StorageType::Q8_0, raw, {3, 32}), std::invalid_argument);
    CHECK_THROWS_AS(dequantizeGgmlTorch(StorageType::Q8_0, raw.narrow(0, 0, 33), {32}),
                    std::invalid_argument);
    CHECK_THROWS_AS(dequantizeGgmlTorch(StorageType::Q8_0, raw.to(at::kInt), {2, 32}),
                    std::invalid_argument);
    CHECK_THROWS_AS(dequantizeGgmlTorch(StorageType::F8_E4M3FN, raw, {68}), std::invalid_argument);
    CHECK(dequantizeGgmlTorch(StorageType::Q4_K, at::empty({0}, at::kByte), {0, 256}).numel() == 0);
}

// Run on a CUDA machine: test_infer "[.cuda]".
TEST_CASE("On CUDA the torch dequantiser gives the CPU's values", "[.cuda][infer][gguf]") {
    REQUIRE(torch::cuda::is_available());
    at::manual_seed(11);
    for (const StorageType type : kTorchTypes) {
        INFO("type " << storageTypeName(type));
        const GgmlType& ggml = *ggmlTypeOf(type);
        const at::Tensor raw = randomBlocks(type, 4096);
        const std::int64_t values = raw.numel() / ggml.typeSize * ggml.blockSize;
        const at::Tensor want = dequantizeGgmlTorch(type, raw, {values});
        const at::Tensor got = dequantizeGgmlTorch(type, raw.to(at::kCUDA), {values});
        CHECK(got.device().is_cuda());
        CHECK(compareFloats(got.cpu(), want) == "");
    }
}
