// LoRA files in the kohya, ComfyUI and diffusers/PEFT key layouts, written by the test into
// its binary folder, merged into and applied beside a small random "model" whose parameters
// carry Wan 2.1 names. Expected values are computed here from the factors, as ComfyUI does
// (comfy/weight_adapter/lora.py): W + strength * alpha / rank * up @ down.
#include "core/base/user_error.h"
#include "core/infer/lora/lora_file.h"
#include "core/infer/lora/lora_key.h"
#include "core/infer/lora/lora_stack.h"
#include "core/infer/lora/lora_target_matcher.h"
#include "tests/core/infer/lora/safetensors_writer.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

using Catch::Matchers::Contains;
using storyreel::UserError;
using storyreel::infer::LoraFile;
using storyreel::infer::LoraKeyRole;
using storyreel::infer::LoraLayout;
using storyreel::infer::LoraStack;
using storyreel::infer::LoraTargetMatcher;
using storyreel::infer::ParameterShapes;
using storyreel::infer::parseLoraKey;
using storyreel::test::NamedTensors;
using storyreel::test::writeSafetensors;

namespace fs = std::filesystem;

namespace {

// How a test LoRA spells its keys.
enum class KeyStyle { Kohya, ComfyUI, Peft };

struct Factors {
    std::string module;  // "blocks.0.self_attn.q"
    at::Tensor down;     // [rank, in, kernel...]
    at::Tensor up;       // [out, rank, 1...]
    std::optional<float> alpha;
};

fs::path testDir() {
    const fs::path dir = fs::path(STORYREEL_TEST_BINARY_DIR) / "lora_test";
    fs::create_directories(dir);
    return dir;
}

// A handful of Wan 2.1 parameters, float32.
std::map<std::string, at::Tensor> makeModel() {
    at::manual_seed(20250101);
    return {
        {"blocks.0.self_attn.q.weight", at::randn({64, 48})},
        {"blocks.0.self_attn.q.bias", at::randn({64})},
        {"blocks.0.cross_attn.k_img.weight", at::randn({64, 64})},
        {"blocks.0.norm3.weight", at::randn({64})},
        {"blocks.0.modulation", at::randn({1, 6, 64})},
        {"blocks.1.ffn.0.weight", at::randn({80, 64})},
        {"blocks.1.ffn.0.bias", at::randn({80})},
        {"patch_embedding.weight", at::randn({24, 16, 1, 2, 2})},
        {"patch_embedding.bias", at::randn({24})},
    };
}

ParameterShapes shapesOf(const std::map<std::string, at::Tensor>& model) {
    ParameterShapes shapes;
    for (const auto& [name, tensor] : model) {
        shapes[name] = tensor.sizes().vec();
    }
    return shapes;
}

Factors randomFactors(const std::string& module, const at::Tensor& weight, std::int64_t rank,
                      std::optional<float> alpha) {
    std::vector<std::int64_t> downShape = weight.sizes().vec();
    downShape[0] = rank;
    std::vector<std::int64_t> upShape(weight.dim(), 1);
    upShape[0] = weight.size(0);
    upShape[1] = rank;
    return {module, at::randn(downShape) * 0.1, at::randn(upShape) * 0.1, alpha};
}

std::string keyOf(KeyStyle style, const std::string& module, const std::string& role) {
    switch (style) {
        case KeyStyle::Kohya:
            return "lora_unet_" + storyreel::infer::underscoreForm(module) + "." + role;
        case KeyStyle::ComfyUI:
            return "diffusion_model." + module + "." + role;
        case KeyStyle::Peft:
            return "transformer." + module + "." + role;
    }
    return module;
}

fs::path writeLora(const std::string& fileName, KeyStyle style, const std::vector<Factors>& factors,
                   const NamedTensors& extra = {}) {
    const bool ab = style == KeyStyle::Peft;
    NamedTensors tensors;
    for (const Factors& f : factors) {
        tensors.emplace_back(keyOf(style, f.module, ab ? "lora_A.weight" : "lora_down.weight"),
                             f.down);
        tensors.emplace_back(keyOf(style, f.module, ab ? "lora_B.weight" : "lora_up.weight"), f.up);
        if (f.alpha) {
            tensors.emplace_back(keyOf(style, f.module, "alpha"), at::scalar_tensor(*f.alpha));
        }
    }
    tensors.insert(tensors.end(), extra.begin(), extra.end());
    const fs::path path = testDir() / fileName;
    writeSafetensors(path, tensors);
    return path;
}

// strength * alpha / rank * up @ down in the weight's shape, float32.
at::Tensor expectedDelta(const Factors& f, const at::Tensor& weight, float strength) {
    const double rank = static_cast<double>(f.down.size(0));
    const double scale = f.alpha ? *f.alpha / rank : 1.0;
    return at::mm(f.up.flatten(1), f.down.flatten(1)).reshape(weight.sizes()) * (strength * scale);
}

// max |got - want| <= tolerance * max |want|.
bool closeRelative(const at::Tensor& got, const at::Tensor& want, double tolerance) {
    REQUIRE(got.sizes() == want.sizes());
    const double error = (got.to(at::kDouble) - want.to(at::kDouble)).abs().max().item<double>();
    const double largest = want.to(at::kDouble).abs().max().item<double>();
    INFO("largest difference " << error << " against largest value " << largest);
    return error <= tolerance * largest;
}

std::string styleName(KeyStyle style) {
    switch (style) {
        case KeyStyle::Kohya:
            return "kohya";
        case KeyStyle::ComfyUI:
            return "ComfyUI";
        case KeyStyle::Peft:
            return "PEFT";
    }
    return "";
}

}  // namespace

TEST_CASE("Each key layout merges W + strength * alpha / rank * up @ down into the weights",
          "[infer][lora]") {
    const std::map<std::string, at::Tensor> model = makeModel();
    const ParameterShapes shapes = shapesOf(model);
    const LoraLayout layouts[] = {LoraLayout::Kohya, LoraLayout::ComfyUI, LoraLayout::Peft};
    for (const KeyStyle style : {KeyStyle::Kohya, KeyStyle::ComfyUI, KeyStyle::Peft}) {
        for (const bool withAlpha : {true, false}) {
            INFO(styleName(style) << (withAlpha ? " with alpha" : " without alpha"));
            const std::vector<Factors> factors = {
                randomFactors("blocks.0.self_attn.q", model.at("blocks.0.self_attn.q.weight"), 4,
                              withAlpha ? std::optional<float>(8.0f) : std::nullopt),
                randomFactors("blocks.0.cross_attn.k_img",
                              model.at("blocks.0.cross_attn.k_img.weight"), 8,
                              withAlpha ? std::optional<float>(3.0f) : std::nullopt),
                randomFactors("blocks.1.ffn.0", model.at("blocks.1.ffn.0.weight"), 2,
                              withAlpha ? std::optional<float>(1.0f) : std::nullopt),
                randomFactors("patch_embedding", model.at("patch_embedding.weight"), 4,
                              withAlpha ? std::optional<float>(2.0f) : std::nullopt),
            };
            const fs::path path = writeLora(
                styleName(style) + std::to_string(withAlpha) + ".safetensors", style, factors);
            const LoraFile lora(path, shapes);
            CHECK(lora.layout() == layouts[static_cast<int>(style)]);
            REQUIRE(lora.modules().size() == factors.size());
            CHECK(lora.find("blocks.0.self_attn.q")->rank == 4);
            CHECK(lora.find("blocks.0.self_attn.q")->alpha == (withAlpha ? 8.0f : 4.0f));

            LoraStack stack;
            const float strength = 0.75f;
            stack.add(lora, strength);
            CHECK(stack.affectedParameters() ==
                  std::vector<std::string>{"blocks.0.cross_attn.k_img.weight",
                                           "blocks.0.self_attn.q.weight", "blocks.1.ffn.0.weight",
                                           "patch_embedding.weight"});
            for (const Factors& f : factors) {
                const std::string name = f.module + ".weight";
                INFO("parameter " << name);
                at::Tensor weight = model.at(name).clone();
                REQUIRE(stack.mergeInto(name, weight));
                const at::Tensor want = model.at(name) + expectedDelta(f, model.at(name), strength);
                CHECK(closeRelative(weight, want, 1e-6));
            }
            at::Tensor bias = model.at("blocks.0.self_attn.q.bias").clone();
            CHECK_FALSE(stack.mergeInto("blocks.0.self_attn.q.bias", bias));
            CHECK(at::equal(bias, model.at("blocks.0.self_attn.q.bias")));
        }
    }
}

TEST_CASE("Applying a LoRA at run time equals running the merged linear layer", "[infer][lora]") {
    const std::map<std::string, at::Tensor> model = makeModel();
    const std::string name = "blocks.1.ffn.0.weight";
    const Factors factors =
        randomFactors("blocks.1.ffn.0", model.at(name), 4, std::optional<float>(16.0f));
    const LoraFile lora(writeLora("runtime.safetensors", KeyStyle::Kohya, {factors}),
                        shapesOf(model));
    LoraStack stack;
    stack.add(lora, 0.6f);

    const at::Tensor input = at::randn({2, 7, 64});
    const at::Tensor& bias = model.at("blocks.1.ffn.0.bias");
    at::Tensor merged = model.at(name).clone();
    REQUIRE(stack.mergeInto(name, merged));
    const at::Tensor want = at::linear(input, merged, bias);

    at::Tensor got = at::linear(input, model.at(name), bias);
    stack.applyAtRuntime(name, input, got);
    CHECK(closeRelative(got, want, 1e-5));

    // A weight no LoRA changes is left alone.
    at::Tensor untouched = at::linear(input, model.at(name), bias);
    const at::Tensor before = untouched.clone();
    stack.applyAtRuntime("blocks.0.self_attn.q.weight", input.narrow(2, 0, 48), untouched);
    CHECK(at::equal(untouched, before));
}

TEST_CASE("Two LoRAs with different strengths add up, merged and at run time", "[infer][lora]") {
    const std::map<std::string, at::Tensor> model = makeModel();
    const ParameterShapes shapes = shapesOf(model);
    const std::string name = "blocks.0.self_attn.q.weight";
    const Factors first = randomFactors("blocks.0.self_attn.q", model.at(name), 4, 2.0f);
    const Factors second = randomFactors("blocks.0.self_attn.q", model.at(name), 8, std::nullopt);
    const Factors ffn = randomFactors("blocks.1.ffn.0", model.at("blocks.1.ffn.0.weight"), 2, 4.0f);
    LoraStack stack;
    stack.add(LoraFile(writeLora("first.safetensors", KeyStyle::Kohya, {first, ffn}), shapes),
              0.7f);
    stack.add(LoraFile(writeLora("second.safetensors", KeyStyle::Peft, {second}), shapes), -0.4f);

    at::Tensor weight = model.at(name).clone();
    REQUIRE(stack.mergeInto(name, weight));
    const at::Tensor want = model.at(name) + expectedDelta(first, model.at(name), 0.7f) +
                            expectedDelta(second, model.at(name), -0.4f);
    CHECK(closeRelative(weight, want, 1e-6));
    CHECK(closeRelative(stack.delta(name), want - model.at(name), 1e-5));

    const at::Tensor input = at::randn({5, 48});
    at::Tensor got = at::linear(input, model.at(name));
    stack.applyAtRuntime(name, input, got);
    CHECK(closeRelative(got, at::linear(input, weight), 1e-5));
}

TEST_CASE("A merge computes in float32 and casts back to the weight's dtype", "[infer][lora]") {
    const std::map<std::string, at::Tensor> model = makeModel();
    const std::string name = "blocks.0.self_attn.q.weight";
    const Factors factors = randomFactors("blocks.0.self_attn.q", model.at(name), 4, 4.0f);
    LoraStack stack;
    stack.add(
        LoraFile(writeLora("bf16.safetensors", KeyStyle::ComfyUI, {factors}), shapesOf(model)),
        1.0f);
    at::Tensor weight = model.at(name).to(at::kBFloat16);
    REQUIRE(stack.mergeInto(name, weight));
    CHECK(weight.scalar_type() == at::kBFloat16);
    const at::Tensor want =
        (model.at(name).to(at::kBFloat16).to(at::kFloat) + expectedDelta(factors, weight, 1.0f))
            .to(at::kBFloat16);
    CHECK(at::equal(weight, want));
}

TEST_CASE("diff and diff_b deltas are added at full strength to weights, norms and biases",
          "[infer][lora]") {
    const std::map<std::string, at::Tensor> model = makeModel();
    const Factors factors =
        randomFactors("blocks.0.self_attn.q", model.at("blocks.0.self_attn.q.weight"), 4, 1.0f);
    const at::Tensor normDiff = at::randn({64});
    const at::Tensor biasDiff = at::randn({64});
    const at::Tensor modulationDiff = at::randn({1, 6, 64});
    const LoraFile lora(writeLora("diff.safetensors", KeyStyle::ComfyUI, {factors},
                                  {{"diffusion_model.blocks.0.norm3.diff", normDiff},
                                   {"diffusion_model.blocks.0.self_attn.q.diff_b", biasDiff},
                                   {"diffusion_model.blocks.0.modulation.diff", modulationDiff}}),
                        shapesOf(model));
    LoraStack stack;
    stack.add(lora, 0.5f);
    for (const auto& [name, diff] :
         std::map<std::string, at::Tensor>{{"blocks.0.norm3.weight", normDiff},
                                           {"blocks.0.self_attn.q.bias", biasDiff},
                                           {"blocks.0.modulation", modulationDiff}}) {
        INFO("parameter " << name);
        at::Tensor value = model.at(name).clone();
        REQUIRE(stack.mergeInto(name, value));
        CHECK(closeRelative(value, model.at(name) + 0.5f * diff, 1e-6));
    }
}

TEST_CASE("LoRA keys split into prefix, module and role", "[infer][lora]") {
    const auto kohya = parseLoraKey("lora_unet_blocks_0_self_attn_q.lora_up.weight");
    REQUIRE(kohya);
    CHECK(kohya->prefix == "lora_unet_");
    CHECK(kohya->module == "blocks_0_self_attn_q");
    CHECK(kohya->role == LoraKeyRole::Up);
    CHECK(kohya->isUnderscoreForm());
    const auto peft = parseLoraKey("transformer.blocks.0.ffn.0.lora_A.weight");
    REQUIRE(peft);
    CHECK(peft->prefix == "transformer.");
    CHECK(peft->module == "blocks.0.ffn.0");
    CHECK(peft->role == LoraKeyRole::Down);
    CHECK_FALSE(peft->isUnderscoreForm());
    CHECK(parseLoraKey("blocks.0.norm3.diff")->role == LoraKeyRole::Diff);
    CHECK(parseLoraKey("diffusion_model.blocks.0.self_attn.q.diff_b")->role ==
          LoraKeyRole::DiffBias);
    CHECK_FALSE(parseLoraKey("blocks.0.self_attn.q.hada_w1_a"));
}

TEST_CASE("Module names of other tools resolve to the model's own names", "[infer][lora]") {
    const ParameterShapes wan = {{"blocks.0.self_attn.q.weight", {8, 8}},
                                 {"blocks.0.cross_attn.k_img.weight", {8, 8}},
                                 {"blocks.0.ffn.0.weight", {16, 8}},
                                 {"head.head.weight", {4, 8}}};
    const LoraTargetMatcher matcher(wan);
    CHECK(matcher.match("blocks_0_self_attn_q").module == "blocks.0.self_attn.q");
    CHECK(matcher.match("blocks_0_cross_attn_k_img").module == "blocks.0.cross_attn.k_img");
    CHECK(matcher.match("blocks.0.attn1.to_q").module == "blocks.0.self_attn.q");
    CHECK(matcher.match("blocks.0.attn2.add_k_proj").module == "blocks.0.cross_attn.k_img");
    CHECK(matcher.match("blocks.0.ffn.net.0.proj").module == "blocks.0.ffn.0");
    CHECK(matcher.match("proj_out").module == "head.head");
    CHECK_FALSE(matcher.match("blocks.1.self_attn.q").found());

    const ParameterShapes hunyuan = {{"double_blocks.0.img_attn_qkv.weight", {24, 8}},
                                     {"double_blocks.0.img_mod.linear.weight", {48, 8}},
                                     {"double_blocks.0.img_mlp.fc1.weight", {32, 8}},
                                     {"time_in.mlp.0.weight", {8, 16}}};
    const LoraTargetMatcher hunyuanMatcher(hunyuan);
    CHECK(hunyuanMatcher.match("double_blocks.0.img_attn.qkv").module ==
          "double_blocks.0.img_attn_qkv");
    CHECK(hunyuanMatcher.match("double_blocks.0.img_mod.lin").module ==
          "double_blocks.0.img_mod.linear");
    CHECK(hunyuanMatcher.match("double_blocks.0.img_mlp.0").module ==
          "double_blocks.0.img_mlp.fc1");
    CHECK(hunyuanMatcher.match("time_in.mlp.0").module == "time_in.mlp.0");

    const ParameterShapes clash = {{"a.b_c.weight", {2, 2}}, {"a_b.c.weight", {2, 2}}};
    const auto ambiguous = LoraTargetMatcher(clash).match("a_b_c");
    CHECK_FALSE(ambiguous.found());
    CHECK(ambiguous.ambiguousWith == std::vector<std::string>{"a.b_c", "a_b.c"});
}

TEST_CASE("A Wan Fun LoRA's double underscore prefix reads like lora_unet_", "[infer][lora]") {
    const std::map<std::string, at::Tensor> model = makeModel();
    const std::string name = "blocks.0.self_attn.q.weight";
    const Factors f = randomFactors("blocks.0.self_attn.q", model.at(name), 4, 4.0f);
    const fs::path path = testDir() / "wan_fun.safetensors";
    writeSafetensors(path, {{"lora_unet__blocks_0_self_attn_q.lora_down.weight", f.down},
                            {"lora_unet__blocks_0_self_attn_q.lora_up.weight", f.up},
                            {"lora_unet__blocks_0_self_attn_q.alpha", at::scalar_tensor(4.0)}});
    const LoraFile lora(path, shapesOf(model));
    CHECK(lora.layout() == LoraLayout::Kohya);
    REQUIRE(lora.find("blocks.0.self_attn.q") != nullptr);
    CHECK(lora.find("blocks.0.self_attn.q")->sourceName == "lora_unet__blocks_0_self_attn_q");
}

TEST_CASE("A LoRA that fits the model badly is refused with the file and the keys named",
          "[infer][lora]") {
    const std::map<std::string, at::Tensor> model = makeModel();
    const ParameterShapes shapes = shapesOf(model);
    const at::Tensor& q = model.at("blocks.0.self_attn.q.weight");
    const Factors good = randomFactors("blocks.0.self_attn.q", q, 4, 4.0f);

    SECTION("keys that match nothing in the model") {
        const Factors other =
            randomFactors("double_blocks.0.img_attn_qkv", at::zeros({192, 64}), 4, 4.0f);
        const fs::path path = writeLora("for_hunyuan.safetensors", KeyStyle::Kohya, {other});
        CHECK_THROWS_AS(LoraFile(path, shapes), UserError);
        CHECK_THROWS_WITH(LoraFile(path, shapes),
                          Contains("for_hunyuan.safetensors") && Contains("none of its 1") &&
                              Contains("lora_unet_double_blocks_0_img_attn_qkv") &&
                              Contains("kohya") && Contains("another model"));
    }
    SECTION("keys of which only some match") {
        const Factors stray = randomFactors("blocks.7.self_attn.q", q, 4, 4.0f);
        const fs::path path = writeLora("partial.safetensors", KeyStyle::Peft, {good, stray});
        CHECK_THROWS_WITH(LoraFile(path, shapes),
                          Contains("partial.safetensors") &&
                              Contains("1 of its 2 LoRA modules match no parameter") &&
                              Contains("'transformer.blocks.7.self_attn.q'") &&
                              Contains("diffusers/PEFT"));
    }
    SECTION("a product whose shape is not the weight's") {
        Factors wrong = good;
        wrong.down = at::randn({4, 40});
        const fs::path path = writeLora("shape.safetensors", KeyStyle::ComfyUI, {wrong});
        CHECK_THROWS_WITH(LoraFile(path, shapes),
                          Contains("shape.safetensors") && Contains("[64, 40]") &&
                              Contains("[64, 48]") && Contains("blocks.0.self_attn.q.weight"));
    }
    SECTION("halves of different ranks") {
        Factors wrong = good;
        wrong.up = at::randn({64, 3});
        const fs::path path = writeLora("ranks.safetensors", KeyStyle::Kohya, {wrong});
        CHECK_THROWS_WITH(LoraFile(path, shapes), Contains("ranks.safetensors") &&
                                                      Contains("[64, 3]") && Contains("[4, 48]"));
    }
    SECTION("an up half without its down half") {
        const fs::path path = testDir() / "no_down.safetensors";
        writeSafetensors(path, {{"transformer.blocks.0.self_attn.q.lora_B.weight", good.up}});
        CHECK_THROWS_WITH(LoraFile(path, shapes),
                          Contains("no_down.safetensors") &&
                              Contains("'transformer.blocks.0.self_attn.q.lora_A.weight' is "
                                       "missing"));
    }
    SECTION("a down half without its up half") {
        const fs::path path = testDir() / "no_up.safetensors";
        writeSafetensors(path, {{"lora_unet_blocks_0_self_attn_q.lora_down.weight", good.down},
                                {"lora_unet_blocks_0_self_attn_q.alpha", at::scalar_tensor(4.0)}});
        CHECK_THROWS_WITH(LoraFile(path, shapes),
                          Contains("'lora_unet_blocks_0_self_attn_q.lora_up.weight' is missing"));
    }
    SECTION("a diff whose shape is not the parameter's") {
        const fs::path path = testDir() / "diff_shape.safetensors";
        writeSafetensors(path, {{"diffusion_model.blocks.0.norm3.diff", at::randn({48})}});
        CHECK_THROWS_WITH(LoraFile(path, shapes), Contains("diff_shape.safetensors") &&
                                                      Contains("[48]") && Contains("[64]") &&
                                                      Contains("blocks.0.norm3.weight"));
    }
    SECTION("tensors of another adapter type") {
        const fs::path path = testDir() / "loha.safetensors";
        writeSafetensors(path, {{"lora_unet_blocks_0_self_attn_q.hada_w1_a", at::randn({64, 4})}});
        CHECK_THROWS_WITH(LoraFile(path, shapes), Contains("loha.safetensors") &&
                                                      Contains("LoHa") && Contains("hada_w1_a"));
        const fs::path dora = testDir() / "dora.safetensors";
        writeSafetensors(dora,
                         {{"transformer.blocks.0.self_attn.q.lora_A.weight", good.down},
                          {"transformer.blocks.0.self_attn.q.lora_B.weight", good.up},
                          {"transformer.blocks.0.self_attn.q.dora_scale", at::ones({1, 48})}});
        CHECK_THROWS_WITH(LoraFile(dora, shapes),
                          Contains("dora.safetensors") && Contains("DoRA") &&
                              Contains("'transformer.blocks.0.self_attn.q.dora_scale'"));
    }
    SECTION("a file without tensors") {
        const fs::path path = testDir() / "empty.safetensors";
        writeSafetensors(path, {});
        CHECK_THROWS_WITH(LoraFile(path, shapes),
                          Contains("empty.safetensors") && Contains("not a LoRA"));
    }
    SECTION("a convolution at run time") {
        const Factors conv =
            randomFactors("patch_embedding", model.at("patch_embedding.weight"), 4, 4.0f);
        LoraStack stack;
        stack.add(LoraFile(writeLora("conv.safetensors", KeyStyle::ComfyUI, {conv}), shapes), 1.0f);
        at::Tensor output = at::zeros({1, 24});
        CHECK_THROWS_WITH(
            stack.applyAtRuntime("patch_embedding.weight", at::zeros({1, 64}), output),
            Contains("conv.safetensors") && Contains("not a linear layer"));
    }
    SECTION("a weight whose shape differs from the one checked at load") {
        LoraStack stack;
        stack.add(LoraFile(writeLora("merge_shape.safetensors", KeyStyle::Kohya, {good}), shapes),
                  1.0f);
        at::Tensor weight = at::zeros({48, 64});
        CHECK_THROWS_WITH(
            stack.mergeInto("blocks.0.self_attn.q.weight", weight),
            Contains("merge_shape.safetensors") && Contains("[64, 48]") && Contains("[48, 64]"));
    }
}
