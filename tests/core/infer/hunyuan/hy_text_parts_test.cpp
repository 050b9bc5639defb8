// Parts of HunyuanVideo-I2V's text encoders checked on their own: the prompt cropping rule
// (hyvideo/text_encoder TextEncoder.encode, data_type "video") on hand-made rows, PIL's
// bicubic resize, and the configs' readers.
#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/clip_image_processor.h"
#include "core/infer/models/hunyuan/hy_prompt_crop.h"
#include "core/infer/models/hunyuan/llama_attention.h"
#include "core/infer/models/hunyuan/llava_config.h"
#include "core/infer/models/hunyuan/pil_resize.h"
#include "core/infer/weights/json_value.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

using namespace storyreel::infer;
using namespace storyreel::infer::hunyuan;

namespace {

// A row laid out as the template: "\n\n" (id 9) at the given positions, other ids 1.
at::Tensor rowIds(std::int64_t length, const std::vector<std::int64_t>& doubleReturns) {
    at::Tensor ids = at::ones({length}, at::kLong);
    for (const std::int64_t p : doubleReturns) {
        ids[p].fill_(9);
    }
    return ids;
}

HunyuanPromptTemplate tinyTemplate() {
    HunyuanPromptTemplate t;
    t.cropStart = 6;
    t.imageEmbStart = 2;
    t.imageEmbEnd = 6;
    t.imageEmbLen = 4;
    t.doubleReturnTokenId = 9;
    return t;
}

// Values of a cropped [1, N, 1] states tensor built from hidden[i] = i.
std::vector<std::int64_t> values(const at::Tensor& states) {
    const at::Tensor flat = states.reshape({-1}).to(at::kLong);
    return {flat.data_ptr<std::int64_t>(), flat.data_ptr<std::int64_t>() + flat.numel()};
}

}  // namespace

TEST_CASE("the prompt crop keeps the last \"\\n\\n\" rule, and the input length when 3 remain",
          "[hunyuan][text]") {
    CHECK(lastDoubleReturnIndex(rowIds(20, {1, 5, 8, 15}), 9) == 15);
    CHECK(lastDoubleReturnIndex(rowIds(20, {1, 5, 8}), 9) == 20);  // truncated prompt
    CHECK(lastDoubleReturnIndex(rowIds(20, {1, 5, 8, 12, 15}), 9) == 15);
    CHECK(lastDoubleReturnIndex(rowIds(20, {3, 4}), 9) == 4);
    REQUIRE_THROWS_AS(lastDoubleReturnIndex(rowIds(20, {}), 9), storyreel::UserError);
}

TEST_CASE(
    "the prompt crop takes the interleaved image tokens and the prompt without the "
    "assistant header",
    "[hunyuan][text]") {
    const HunyuanPromptTemplate t = tinyTemplate();
    const std::int64_t length = 16;              // input ids
    const std::int64_t merged = length + 4 - 1;  // the image's 4 tokens replace one
    const at::Tensor hidden = at::arange(merged, at::kFloat).view({merged, 1});
    at::Tensor mask = at::ones({length}, at::kLong);
    mask.narrow(0, 14, 2).zero_();
    // k = 12: text = hidden[6+3 : 12+3-4] ++ hidden[12+3 :], mask = mask[6:8] ++ mask[12:]
    const HunyuanTextStates four =
        cropPromptRow(hidden, rowIds(length, {1, 4, 10, 12}), mask, t, 4);
    CHECK(values(four.states) == std::vector<std::int64_t>{2, 9, 10, 15, 16, 17, 18});
    CHECK(values(four.mask) == std::vector<std::int64_t>{1, 1, 1, 1, 1, 0, 0});
    const HunyuanTextStates two = cropPromptRow(hidden, rowIds(length, {1, 4, 10, 12}), mask, t, 2);
    CHECK(values(two.states) == std::vector<std::int64_t>{2, 4, 9, 10, 15, 16, 17, 18});
    CHECK(two.mask.size(1) == two.states.size(1));
    // Out of 1..5 the reference keeps every image token.
    const HunyuanTextStates all = cropPromptRow(hidden, rowIds(length, {1, 4, 10, 12}), mask, t, 0);
    CHECK(values(all.states).size() == 4 + 6);
    // Truncated (3 "\n\n"): k = 16, text = hidden[9 : 15] ++ hidden[19 :] (empty).
    const HunyuanTextStates cut = cropPromptRow(hidden, rowIds(length, {1, 4, 10}), mask, t, 4);
    CHECK(values(cut.states) == std::vector<std::int64_t>{2, 9, 10, 11, 12, 13, 14});
    CHECK(values(cut.mask) == std::vector<std::int64_t>{1, 1, 1, 1, 1, 1, 1});
}

TEST_CASE("PIL bicubic resize keeps flat images flat and matches Pillow bit for bit",
          "[hunyuan][text]") {
    const at::Tensor flat = at::full({40, 50, 3}, 77, at::kByte);
    CHECK(pilResize(flat, 13, 17, PilFilter::Bicubic).eq(77).all().item<bool>());
    CHECK(pilResize(flat, 91, 60, PilFilter::Bicubic).eq(77).all().item<bool>());
    // A 7x5 image with sharp edges (values wrap at 256), resized by Pillow 9.4
    // (Image.resize((w, h), Image.BICUBIC)); the expected bytes are Pillow's output.
    at::Tensor image = at::empty({5, 7, 3}, at::kByte);
    for (int y = 0; y < 5; ++y) {
        for (int x = 0; x < 7; ++x) {
            for (int c = 0; c < 3; ++c) {
                image[y][x][c].fill_((y * 37 + x * 11 + c * 5 + x * y * 13) % 256);
            }
        }
    }
    const auto bytes = [](const at::Tensor& t) {
        const at::Tensor c = t.contiguous();
        return std::vector<int>(c.data_ptr<std::uint8_t>(), c.data_ptr<std::uint8_t>() + c.numel());
    };
    const std::vector<int> down = {19,  24,  29,  48,  53,  58,  82,  87,  92,  108, 113, 118,
                                   91,  96,  101, 145, 150, 155, 138, 143, 148, 83,  88,  93,
                                   164, 169, 174, 100, 105, 110, 97,  102, 107, 116, 121, 126};
    CHECK(bytes(pilResize(image, 3, 4, PilFilter::Bicubic)) == down);
    const std::vector<int> up = {
        0,   3,   8,   3,   8,   13,  12,  17,  22,  19,  24,  29,  26,  31,  36,  34,  39,  44,
        42,  47,  52,  48,  53,  58,  57,  62,  67,  63,  68,  73,  26,  30,  35,  36,  41,  46,
        52,  57,  62,  66,  71,  76,  80,  85,  90,  93,  98,  103, 109, 114, 119, 136, 141, 146,
        157, 162, 167, 166, 171, 176, 57,  62,  67,  73,  78,  83,  97,  102, 107, 120, 125, 130,
        155, 160, 165, 190, 195, 200, 200, 205, 210, 89,  94,  99,  68,  73,  78,  95,  100, 105,
        87,  92,  97,  108, 113, 118, 148, 153, 158, 187, 192, 197, 137, 142, 147, 129, 134, 139,
        155, 160, 165, 51,  56,  61,  45,  50,  55,  86,  91,  96,  118, 123, 128, 150, 155, 160,
        183, 188, 193, 176, 181, 186, 57,  62,  67,  12,  17,  22,  66,  71,  76,  122, 127, 132,
        138, 143, 148, 131, 136, 141, 145, 150, 155, 196, 201, 206, 175, 180, 185, 15,  20,  25,
        48,  53,  58,  107, 112, 117, 150, 155, 160, 213, 218, 223, 121, 126, 131, 0,   1,   6};
    CHECK(bytes(pilResize(image, 6, 10, PilFilter::Bicubic)) == up);
    REQUIRE_THROWS_AS(pilResize(at::zeros({4, 4}, at::kByte), 2, 2, PilFilter::Bicubic),
                      storyreel::UserError);
}

TEST_CASE("CLIP image processor sizes follow CLIPImageProcessor and refuse bad images",
          "[hunyuan][text]") {
    ClipImageProcessorConfig config;
    config.shortestEdge = 28;
    config.cropHeight = config.cropWidth = 28;
    const at::Tensor tall = at::full({70, 40, 3}, 128, at::kByte);
    const at::Tensor pixels = clipImagePixels(tall, config);
    CHECK(pixels.sizes() == at::IntArrayRef({1, 3, 28, 28}));
    CHECK(pixels.scalar_type() == at::kFloat);
    // (128/255 - mean) / std per channel.
    CHECK(pixels[0][0][5][5].item<float>() ==
          Approx((128.0 / 255.0 - config.mean[0]) / config.std[0]).epsilon(1e-6));
    // Geometry: 70x40 -> short side 28, long side int(28 * 70 / 40) = 49, rows 10..37 kept
    // (floor of half the excess); 40x71 -> 28 x int(28 * 71 / 40) = 49 columns, 10..37.
    at::Tensor pattern = at::arange(70 * 40 * 3, at::kLong).remainder(251).to(at::kByte);
    pattern = pattern.view({70, 40, 3});
    const auto expected = [&](const at::Tensor& resized, std::int64_t top, std::int64_t left) {
        const at::Tensor crop = resized.narrow(0, top, 28).narrow(1, left, 28).permute({2, 0, 1});
        const at::Tensor mean = at::tensor({0.48145466f, 0.4578275f, 0.40821073f}).view({3, 1, 1});
        const at::Tensor std = at::tensor({0.26862954f, 0.26130258f, 0.27577711f}).view({3, 1, 1});
        return crop.to(at::kDouble).div(255.0).to(at::kFloat).sub(mean).div(std).unsqueeze(0);
    };
    CHECK(at::allclose(clipImagePixels(pattern, config),
                       expected(pilResize(pattern, 49, 28, PilFilter::Bicubic), 10, 0), 0.0, 1e-6));
    const at::Tensor wide =
        at::arange(40 * 71 * 3, at::kLong).remainder(253).to(at::kByte).view({40, 71, 3});
    CHECK(at::allclose(clipImagePixels(wide, config),
                       expected(pilResize(wide, 28, 49, PilFilter::Bicubic), 0, 10), 0.0, 1e-6));
    REQUIRE_THROWS_WITH(clipImagePixels(at::full({10, 10, 3}, 300.0), config),
                        Catch::Contains("0..255"));
    REQUIRE_THROWS_WITH(clipImagePixels(at::full({10, 10, 3}, 1.5), config),
                        Catch::Contains("0..255"));
    REQUIRE_THROWS_AS(clipImagePixels(at::zeros({10, 10}, at::kByte), config),
                      storyreel::UserError);
}

TEST_CASE("LLaVA encoder config reads HunyuanVideo's and transformers' forms", "[hunyuan][text]") {
    const LlavaEncoderConfig released = LlavaEncoderConfig::released();
    CHECK(released.text.numLayers == 32);
    CHECK(released.vision.numPatches() == 576);
    CHECK(released.prompt.cropStart == 103);
    const LlavaEncoderConfig bare = LlavaEncoderConfig::fromJson(parseJson(
        R"({"image_token_index": 7, "pad_token_id": 8, "text_config": {"hidden_size": 64,
            "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 3},
            "vision_config": {"image_size": 28, "patch_size": 14}})"));
    CHECK(bare.text.hiddenSize == 64);
    CHECK(bare.text.numKeyValueHeads == 2);
    CHECK(bare.vision.numPatches() == 4);
    CHECK(bare.imageTokenIndex == 7);
    CHECK(bare.padTokenId == 8);
    CHECK(bare.imageEmbedInterleave == 4);
    REQUIRE_THROWS_WITH(LlavaEncoderConfig::fromJson(
                            parseJson(R"({"text_config": {"rope_scaling": {"type": "x"}}})")),
                        Catch::Contains("rope_scaling"));
    REQUIRE_THROWS_WITH(
        LlavaEncoderConfig::fromJson(
            parseJson(R"({"llava": {}, "apply_final_norm": true, "hidden_state_skip_layer": 2})")),
        Catch::Contains("apply_final_norm"));
    REQUIRE_THROWS_WITH(LlavaEncoderConfig::fromJson(
                            parseJson(R"({"llava": {}, "image_processor": {"resample": 2}})")),
                        Catch::Contains("bicubic"));
}

TEST_CASE("the causal padding mask hides later and padded keys and leaves no row empty",
          "[hunyuan][text]") {
    const at::Tensor mask = at::tensor({0L, 1L, 1L, 0L}).view({1, 4});
    const at::Tensor allowed = causalPaddingMask(mask).to(at::kInt).view({4, 4});
    const at::Tensor want =
        at::tensor({1, 1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0}, at::kInt).view({4, 4});
    CHECK(at::equal(allowed, want));
    // Attention over it stays finite.
    const at::Tensor q = at::randn({1, 2, 4, 8});
    CHECK(at::isfinite(maskedAttention(q, q, q, causalPaddingMask(mask))).all().item<bool>());
}
