// HunyuanVideo-I2V's text encoders against the reference's golden data
// (../shared/golden/hunyuan: kinds hunyuan_llava_text_encoder and hunyuan_clip_text). Every
// case of a kind is built from its stored config, its weights loaded by the transformers
// names, and each output compared with ||got - want|| / ||want|| against the case's
// suggested tolerance. out.hidden_state is compared at its mask==1 positions (the README
// allows it: padding never reaches the DiT) and, for information, in full.
#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/clip_image_processor.h"
#include "core/infer/models/hunyuan/clip_text_config.h"
#include "core/infer/models/hunyuan/clip_text_encoder.h"
#include "core/infer/models/hunyuan/llava_config.h"
#include "core/infer/models/hunyuan/llava_encoder.h"
#include "tests/core/infer/golden_cases.h"
#include "tests/core/infer/hunyuan/hy_text_weights.h"
#include "tests/core/infer/wan/golden_io.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

using namespace storyreel::infer;
using namespace storyreel::infer::hunyuan;
using storyreel::test::GoldenCase;
using storyreel::test::goldenCases;
using storyreel::test::HyTextWeights;
using storyreel::test::int64Tensor;
using storyreel::test::relativeError;
using storyreel::test::rewriteWeights;

namespace {

constexpr const char* kLlavaKind = "hunyuan_llava_text_encoder";
constexpr const char* kClipKind = "hunyuan_clip_text";

// The rows of `t` ([B, L, ...]) where mask ([B, L]) is 1, flattened.
at::Tensor masked(const at::Tensor& t, const at::Tensor& mask) {
    const at::Tensor flat = t.reshape({t.size(0) * t.size(1), -1});
    const at::Tensor keep = mask.reshape({-1}).ne(0).nonzero().view({-1});
    return flat.index_select(0, keep.to(flat.device()));
}

double report(const std::string& name, const at::Tensor& got, const at::Tensor& want) {
    REQUIRE(got.sizes() == want.sizes());
    const double error = relativeError(got, want);
    std::cout << "  " << name << " rel. error " << error << "\n";
    return error;
}

}  // namespace

TEST_CASE("LLaVA text encoder matches the reference on every golden case", "[hunyuan][text]") {
    const std::vector<GoldenCase> cases = goldenCases("hunyuan", kLlavaKind);
    REQUIRE_FALSE(cases.empty());
    for (const GoldenCase& golden : cases) {
        std::cout << kLlavaKind << ": " << golden.name << "\n";
        INFO(golden.name);
        REQUIRE_FALSE(golden.weights.empty());
        const LlavaEncoderConfig config = LlavaEncoderConfig::fromJson(golden.config);
        const HyTextWeights weights(golden.weights, ModelFamily::LlavaLlama3, config.describe());
        const LlavaTextEncoder encoder(config, weights.module);
        const SafetensorsReader io(golden.io);

        const at::Tensor pixels =
            clipImagePixels(io.tensor("in.image_rgb_u8"), config.imageProcessor);
        CHECK(report("out.pixel_values", pixels, io.tensor("out.pixel_values")) <=
              golden.tolerance);

        const at::Tensor ids = int64Tensor(io, "in.input_ids");
        const at::Tensor mask = int64Tensor(io, "in.attention_mask");
        // hidden_states[-3] over the merged sequence, padding rows included.
        const at::Tensor merged = encoder.mergedStates(ids, mask, pixels);
        CHECK(report("out.hidden_states_skip2", merged, io.tensor("out.hidden_states_skip2")) <=
              golden.tolerance);
        // transformers 4.39.3 zeroes the <pad> tokens' embeddings before the LLM
        // (_merge_input_ids_with_image_features); without that the padded rows differ.
        if (mask.eq(0).any().item<bool>()) {
            LlavaEncoderConfig keepPads = config;
            keepPads.padTokenId = -1;
            const LlavaTextEncoder plain(keepPads, weights.module);
            const double error = relativeError(plain.mergedStates(ids, mask, pixels),
                                               io.tensor("out.hidden_states_skip2"));
            std::cout << "  (<pad> embeddings kept: rel. error " << error << ")\n";
            CHECK(error > golden.tolerance);
        }

        // As the pipeline calls it: one row at a time.
        std::vector<at::Tensor> states, masks;
        for (std::int64_t b = 0; b < ids.size(0); ++b) {
            const HunyuanTextStates row =
                encoder.encode(ids.narrow(0, b, 1), mask.narrow(0, b, 1), pixels);
            states.push_back(row.states);
            masks.push_back(row.mask);
        }
        const HunyuanTextStates rows{at::cat(states), at::cat(masks)};
        const at::Tensor wantStates = io.tensor("out.hidden_state");
        const at::Tensor wantMask = int64Tensor(io, "out.attention_mask");
        REQUIRE(rows.mask.sizes() == wantMask.sizes());
        CHECK(at::equal(rows.mask, wantMask));
        CHECK(report("out.hidden_state (mask==1 rows)", masked(rows.states, wantMask),
                     masked(wantStates, wantMask)) <= golden.tolerance);
        report("out.hidden_state (all rows, for information)", rows.states, wantStates);

        // The same rows in one batched call.
        const HunyuanTextStates batch = encoder.encode(ids, mask, pixels);
        CHECK(at::equal(batch.mask, wantMask));
        CHECK(report("out.hidden_state batched (mask==1 rows)", masked(batch.states, wantMask),
                     masked(wantStates, wantMask)) <= golden.tolerance);
    }
}

TEST_CASE("CLIP-L text encoder matches the reference on every golden case", "[hunyuan][text]") {
    const std::vector<GoldenCase> cases = goldenCases("hunyuan", kClipKind);
    REQUIRE_FALSE(cases.empty());
    for (const GoldenCase& golden : cases) {
        std::cout << kClipKind << ": " << golden.name << "\n";
        INFO(golden.name);
        REQUIRE_FALSE(golden.weights.empty());
        const ClipTextConfig config = ClipTextConfig::fromJson(golden.config);
        const HyTextWeights weights(golden.weights, ModelFamily::ClipLText, config.describe());
        const ClipTextEncoder encoder(config, weights.module);
        const SafetensorsReader io(golden.io);
        const at::Tensor ids = int64Tensor(io, "in.input_ids");
        const at::Tensor mask = int64Tensor(io, "in.attention_mask");
        const at::Tensor last = encoder.lastHiddenState(ids, mask);
        CHECK(report("out.last_hidden_state", last, io.tensor("out.last_hidden_state")) <=
              golden.tolerance);
        CHECK(report("out.pooled", encoder.pooled(ids, mask), io.tensor("out.pooled")) <=
              golden.tolerance);
    }
}

// The reference runs the LLM in fp16 on the GPU; LibTorch 1.13 has no fp16 matmul on the
// CPU, so bfloat16 checks the compute-dtype path here. No golden tolerance applies; the
// bound catches a broken cast or a norm or softmax left in the half type.
TEST_CASE("LLaVA and CLIP text encoders run in bfloat16 close to the float32 reference",
          "[hunyuan][text]") {
    for (const GoldenCase& golden : goldenCases("hunyuan", kLlavaKind)) {
        const LlavaEncoderConfig config = LlavaEncoderConfig::fromJson(golden.config);
        const HyTextWeights weights(golden.weights, ModelFamily::LlavaLlama3, config.describe());
        const LlavaTextEncoder encoder(config, weights.module, at::kBFloat16);
        const SafetensorsReader io(golden.io);
        const at::Tensor mask = int64Tensor(io, "in.attention_mask");
        const HunyuanTextStates out =
            encoder.encode(int64Tensor(io, "in.input_ids"), mask, io.tensor("out.pixel_values"));
        CHECK(out.states.scalar_type() == at::kBFloat16);
        const at::Tensor wantMask = int64Tensor(io, "out.attention_mask");
        const double error = relativeError(masked(out.states, wantMask),
                                           masked(io.tensor("out.hidden_state"), wantMask));
        std::cout << golden.name << " bfloat16 out.hidden_state rel. error " << error << "\n";
        CHECK(error < 5e-2);
    }
    for (const GoldenCase& golden : goldenCases("hunyuan", kClipKind)) {
        const ClipTextConfig config = ClipTextConfig::fromJson(golden.config);
        const HyTextWeights weights(golden.weights, ModelFamily::ClipLText, config.describe());
        const ClipTextEncoder encoder(config, weights.module, at::kBFloat16);
        const SafetensorsReader io(golden.io);
        const at::Tensor pooled =
            encoder.pooled(int64Tensor(io, "in.input_ids"), int64Tensor(io, "in.attention_mask"));
        CHECK(pooled.scalar_type() == at::kBFloat16);
        const double error = relativeError(pooled, io.tensor("out.pooled"));
        std::cout << golden.name << " bfloat16 out.pooled rel. error " << error << "\n";
        CHECK(error < 5e-2);
    }
}

TEST_CASE("HunyuanVideo text encoders name a missing or misshapen tensor and the file",
          "[hunyuan][text]") {
    const std::vector<GoldenCase> llava = goldenCases("hunyuan", kLlavaKind);
    const std::vector<GoldenCase> clip = goldenCases("hunyuan", kClipKind);
    REQUIRE_FALSE(llava.empty());
    REQUIRE_FALSE(clip.empty());
    const std::filesystem::path dir = std::filesystem::temp_directory_path();
    const LlavaEncoderConfig llavaConfig = LlavaEncoderConfig::fromJson(llava.front().config);

    const std::filesystem::path missing = dir / "storyreel_hy_llava_missing.safetensors";
    rewriteWeights(llava.front().weights, missing, [](const std::string& name, at::Tensor t) {
        return name == "language_model.model.layers.1.mlp.up_proj.weight" ? at::Tensor() : t;
    });
    {
        const HyTextWeights weights(missing, ModelFamily::LlavaLlama3, llavaConfig.describe());
        REQUIRE_THROWS_AS(LlavaTextEncoder(llavaConfig, weights.module), storyreel::UserError);
        REQUIRE_THROWS_WITH(LlavaTextEncoder(llavaConfig, weights.module),
                            Catch::Contains("language_model.model.layers.1.mlp.up_proj.weight") &&
                                Catch::Contains("storyreel_hy_llava_missing.safetensors") &&
                                Catch::Contains("missing"));
    }
    std::filesystem::remove(missing);

    const std::filesystem::path misshapen = dir / "storyreel_hy_llava_shape.safetensors";
    rewriteWeights(llava.front().weights, misshapen, [](const std::string& name, at::Tensor t) {
        return name == "multi_modal_projector.linear_1.weight" ? t.narrow(1, 0, t.size(1) - 1) : t;
    });
    {
        const HyTextWeights weights(misshapen, ModelFamily::LlavaLlama3, llavaConfig.describe());
        REQUIRE_THROWS_WITH(LlavaTextEncoder(llavaConfig, weights.module),
                            Catch::Contains("multi_modal_projector.linear_1.weight") &&
                                Catch::Contains("storyreel_hy_llava_shape.safetensors") &&
                                Catch::Contains("shape"));
    }
    std::filesystem::remove(misshapen);

    const ClipTextConfig clipConfig = ClipTextConfig::fromJson(clip.front().config);
    const std::filesystem::path clipMissing = dir / "storyreel_hy_clip_missing.safetensors";
    rewriteWeights(clip.front().weights, clipMissing, [](const std::string& name, at::Tensor t) {
        return name == "text_model.final_layer_norm.bias" ? at::Tensor() : t;
    });
    {
        const HyTextWeights weights(clipMissing, ModelFamily::ClipLText, clipConfig.describe());
        REQUIRE_THROWS_WITH(ClipTextEncoder(clipConfig, weights.module),
                            Catch::Contains("text_model.final_layer_norm.bias") &&
                                Catch::Contains("storyreel_hy_clip_missing.safetensors"));
    }
    std::filesystem::remove(clipMissing);
}

TEST_CASE("LLaVA text encoder refuses inputs that do not follow the I2V template",
          "[hunyuan][text]") {
    const std::vector<GoldenCase> cases = goldenCases("hunyuan", kLlavaKind);
    REQUIRE_FALSE(cases.empty());
    const GoldenCase& golden = cases.front();
    const LlavaEncoderConfig config = LlavaEncoderConfig::fromJson(golden.config);
    const HyTextWeights weights(golden.weights, ModelFamily::LlavaLlama3, config.describe());
    const LlavaTextEncoder encoder(config, weights.module);
    const SafetensorsReader io(golden.io);
    const at::Tensor ids = int64Tensor(io, "in.input_ids");
    const at::Tensor mask = int64Tensor(io, "in.attention_mask");
    const at::Tensor pixels = io.tensor("out.pixel_values");

    const at::Tensor noImage = ids.masked_fill(ids.eq(config.imageTokenIndex), 10);
    REQUIRE_THROWS_WITH(encoder.encode(noImage, mask, pixels), Catch::Contains("<image>"));
    REQUIRE_THROWS_WITH(encoder.encode(ids, mask.narrow(1, 0, 5), pixels),
                        Catch::Contains("attention mask"));
    REQUIRE_THROWS_WITH(encoder.encode(ids, mask, pixels.narrow(2, 0, 28)),
                        Catch::Contains("pixel values"));
    const at::Tensor outside = ids.clone();
    outside[0][7].fill_(config.text.vocabSize + 5);
    REQUIRE_THROWS_WITH(encoder.encode(outside, mask, pixels), Catch::Contains("vocabulary"));
}

TEST_CASE("LLaVA text encoder gives the same states with its Llama layers block-swapped",
          "[hunyuan][text]") {
    const std::vector<GoldenCase> cases = goldenCases("hunyuan", kLlavaKind);
    REQUIRE_FALSE(cases.empty());
    const GoldenCase& golden = cases.front();
    const LlavaEncoderConfig config = LlavaEncoderConfig::fromJson(golden.config);
    const HyTextWeights weights(golden.weights, ModelFamily::LlavaLlama3, config.describe());
    LlavaTextEncoder encoder(config, weights.module);
    const SafetensorsReader io(golden.io);
    const at::Tensor ids = int64Tensor(io, "in.input_ids");
    const at::Tensor mask = int64Tensor(io, "in.attention_mask");
    const at::Tensor pixels = io.tensor("out.pixel_values");
    const HunyuanTextStates resident = encoder.encode(ids, mask, pixels);
    REQUIRE(encoder.languageBlocks().size() ==
            static_cast<std::size_t>(config.text.numLayers - config.hiddenStateSkipLayer));
    encoder.enableBlockSwap(at::kCPU, 1);
    REQUIRE(encoder.blockSwap() != nullptr);
    const HunyuanTextStates swapped = encoder.encode(ids, mask, pixels);
    CHECK(encoder.blockSwap()->stats().blockLoads ==
          static_cast<std::int64_t>(encoder.languageBlocks().size()) - 1);
    CHECK(at::equal(swapped.states, resident.states));
    CHECK(at::equal(swapped.mask, resident.mask));
}
