// LoRA module names of the kohya, diffusers and ComfyUI tools matched to a model's own
// parameter names (Wan 2.1 and HunyuanVideo names).
#include "core/infer/lora/lora_key.h"
#include "core/infer/lora/lora_target_matcher.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using storyreel::infer::LoraTargetMatcher;
using storyreel::infer::ParameterShapes;

TEST_CASE("LoRA keys split into prefix, module and role", "[infer][lora]") {
    using storyreel::infer::LoraKeyRole;
    using storyreel::infer::parseLoraKey;
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
