// QuantizedTensor and QuantizedLinear on the weights of the golden miniature Wan DiT
// (../shared/golden/gguf/mixed_wan_Q4_K_M.gguf: Q4_K, Q6_K and Q8_0 linear weights, F32
// biases), against an ordinary linear layer with the dequantised weight.
#include "core/infer/layers/quantized_linear.h"

#include "core/infer/lora/lora_file.h"
#include "core/infer/lora/lora_stack.h"
#include "core/infer/weights/gguf_reader.h"
#include "core/infer/weights/quantized_tensor.h"
#include "tests/core/infer/lora/safetensors_writer.h"
#include "tests/core/infer/weights/golden_dir.h"

#include <ATen/ATen.h>
#include <c10/util/intrusive_ptr.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using storyreel::infer::GgufReader;
using storyreel::infer::LoraFile;
using storyreel::infer::LoraStack;
using storyreel::infer::ParameterShapes;
using storyreel::infer::QuantizedLinear;
using storyreel::infer::QuantizedTensor;
using storyreel::infer::StorageType;
using storyreel::infer::Weight;
using storyreel::test::goldenDir;
using storyreel::test::NamedTensors;
using storyreel::test::writeSafetensors;

namespace fs = std::filesystem;

namespace {

const GgufReader& mixedWan() {
    static const GgufReader reader(goldenDir() / "gguf/mixed_wan_Q4_K_M.gguf");
    return reader;
}

QuantizedTensor blocksOf(const std::string& name) {
    const auto& info = mixedWan().info(name).tensor;
    return QuantizedTensor::fromBytes(mixedWan().rawBytes(name), info.storageType, info.shape);
}

// name: "blocks.0.ffn.0" -> its .weight (quantised) and .bias (F32).
std::shared_ptr<QuantizedLinear> layerOf(const std::string& module) {
    return std::make_shared<QuantizedLinear>(module + ".weight", blocksOf(module + ".weight"),
                                             mixedWan().tensor(module + ".bias"));
}

struct Case {
    const char* module;
    StorageType type;
};
const Case kCases[] = {
    {"blocks.0.self_attn.q", StorageType::Q4_K},  {"blocks.0.ffn.0", StorageType::Q4_K},
    {"blocks.0.self_attn.v", StorageType::Q6_K},  {"blocks.0.ffn.2", StorageType::Q6_K},
    {"blocks.0.cross_attn.q", StorageType::Q8_0},
};

fs::path testDir() {
    const fs::path dir = fs::path(STORYREEL_TEST_BINARY_DIR) / "quantized_linear_test";
    fs::create_directories(dir);
    return dir;
}

}  // namespace

TEST_CASE("A QuantizedTensor keeps the GGUF blocks and dequantises to the reader's values",
          "[infer][gguf][layers]") {
    const QuantizedTensor q = blocksOf("blocks.0.ffn.2.weight");
    CHECK(q.type() == StorageType::Q6_K);
    CHECK(q.shape() == std::vector<std::int64_t>{256, 512});
    CHECK(q.raw().scalar_type() == at::kByte);
    CHECK(q.sizeBytes() == 107520);  // 512 blocks of 210 bytes: the file's bytes, no more
    CHECK(at::equal(q.dequantize(at::kCPU), mixedWan().tensor("blocks.0.ffn.2.weight")));
    CHECK(q.dequantize(at::kCPU, at::kBFloat16).scalar_type() == at::kBFloat16);
    // Moving to where it is shares the blocks; without CUDA there is nothing to pin.
    CHECK(q.to(at::kCPU).raw().data_ptr() == q.raw().data_ptr());
    if (!at::hasCUDA()) {
        CHECK_FALSE(q.pinned().isPinned());
    }
    CHECK_THROWS_AS(QuantizedTensor(q.raw(), StorageType::Q6_K, {256, 256}), std::invalid_argument);
    CHECK_THROWS_AS(QuantizedTensor(q.raw(), StorageType::F8_E4M3FN, {256, 512}),
                    std::invalid_argument);
}

TEST_CASE("QuantizedLinear on Q4_K, Q6_K and Q8_0 weights equals a linear layer",
          "[infer][gguf][layers]") {
    at::manual_seed(3);
    for (const Case& c : kCases) {
        INFO(c.module);
        const auto layer = layerOf(c.module);
        REQUIRE(layer->isQuantized());
        CHECK(layer->weight().quantized().type() == c.type);
        const at::Tensor weight = mixedWan().tensor(std::string(c.module) + ".weight");
        const at::Tensor bias = mixedWan().tensor(std::string(c.module) + ".bias");
        const at::Tensor x = at::randn({2, 7, weight.size(1)});
        CHECK(at::equal(layer->forward(x), at::linear(x, weight, bias)));
        // In the input's dtype: the weight dequantised to bfloat16.
        const at::Tensor xb = x.to(at::kBFloat16);
        CHECK(at::equal(layer->forward(xb),
                        at::linear(xb, weight.to(at::kBFloat16), bias.to(at::kBFloat16))));
    }
    // A dense weight takes the same path without dequantising.
    const at::Tensor weight = mixedWan().tensor("blocks.0.ffn.0.weight");
    const QuantizedLinear dense("blocks.0.ffn.0.weight", weight);
    CHECK_FALSE(dense.isQuantized());
    const at::Tensor x = at::randn({3, 256});
    CHECK(at::equal(dense.forward(x), at::linear(x, weight)));
}

TEST_CASE("QuantizedLinear adds a LoRA at run time as if merged into the weight",
          "[infer][gguf][layers][lora]") {
    at::manual_seed(5);
    NamedTensors factors;
    ParameterShapes shapes;
    for (const Case& c : kCases) {
        const std::string module = c.module;
        const auto shape = mixedWan().info(module + ".weight").tensor.shape;
        shapes[module + ".weight"] = shape;
        factors.emplace_back("diffusion_model." + module + ".lora_down.weight",
                             at::randn({8, shape[1]}) * 0.1);
        factors.emplace_back("diffusion_model." + module + ".lora_up.weight",
                             at::randn({shape[0], 8}) * 0.1);
        factors.emplace_back("diffusion_model." + module + ".alpha", at::full({}, 4.0f));
    }
    const fs::path path = testDir() / "lora.safetensors";
    writeSafetensors(path, factors);
    auto loras = std::make_shared<LoraStack>();
    loras->add(LoraFile(path, shapes), 0.75f);

    for (const Case& c : kCases) {
        INFO(c.module);
        const std::string name = std::string(c.module) + ".weight";
        const auto layer = layerOf(c.module);
        layer->setRuntimeLora(loras);
        at::Tensor merged = mixedWan().tensor(name);
        REQUIRE(loras->mergeInto(name, merged));
        const at::Tensor bias = mixedWan().tensor(std::string(c.module) + ".bias");
        const at::Tensor x = at::randn({4, merged.size(1)});
        CHECK(at::allclose(layer->forward(x), at::linear(x, merged, bias), 1e-5, 1e-5));
    }
}

TEST_CASE("QuantizedLinear drops the dequantised weight after each forward",
          "[infer][gguf][layers]") {
    const auto layer = layerOf("blocks.0.ffn.2");
    std::vector<c10::weak_intrusive_ptr<c10::StorageImpl>> seen;
    layer->setWeightObserver([&seen](const at::Tensor& values) {
        CHECK(values.scalar_type() == at::kFloat);
        CHECK(values.sizes() == at::IntArrayRef{256, 512});
        seen.push_back(values.storage().getWeakStorageImpl());
    });
    const at::Tensor x = at::randn({5, 512});
    const at::Tensor y1 = layer->forward(x);
    const at::Tensor y2 = layer->forward(x);
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].expired());
    CHECK(seen[1].expired());
    CHECK(at::equal(y1, y2));
    // What the layer holds is the blocks alone: one uint8 buffer and the F32 bias.
    const auto buffers = layer->buffers();
    REQUIRE(buffers.size() == 1);
    CHECK(buffers[0].scalar_type() == at::kByte);
    CHECK(buffers[0].numel() == 107520);
    CHECK(layer->parameters().size() == 1);
}

TEST_CASE("Module::to(dtype) converts a QuantizedLinear's dense values, not its blocks",
          "[infer][gguf][layers]") {
    const auto layer = layerOf("blocks.0.self_attn.q");
    layer->to(at::kBFloat16);
    CHECK(layer->weight().quantized().raw().scalar_type() == at::kByte);
    CHECK(layer->bias().scalar_type() == at::kBFloat16);
    const at::Tensor x = at::randn({2, 256}).to(at::kBFloat16);
    const at::Tensor weight = mixedWan().tensor("blocks.0.self_attn.q.weight");
    CHECK(at::equal(layer->forward(x), at::linear(x, weight.to(at::kBFloat16), layer->bias())));

    const QuantizedLinear dense("w", at::ones({4, 3}), at::zeros({4}));
    CHECK_THROWS_AS(QuantizedLinear("w", at::ones({4, 3, 1})), std::invalid_argument);
    CHECK_THROWS_AS(QuantizedLinear("w", at::ones({4, 3}), at::zeros({3})), std::invalid_argument);
}
