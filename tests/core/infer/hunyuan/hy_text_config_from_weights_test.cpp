// The text encoders' configurations read from tensor shapes (files without a config.json:
// every ComfyUI file) against the golden cases' stored configs: every field a shape can
// tell must agree; what none tells comes from the released model or the caller. A view
// without a tensor the configuration is read from is refused, naming the file and the
// tensor.
#include "core/base/user_error.h"
#include "core/infer/layers/module_weights.h"
#include "core/infer/models/hunyuan/clip_text_config.h"
#include "core/infer/models/hunyuan/clip_text_encoder.h"
#include "core/infer/models/hunyuan/llava_config.h"
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

// The head sizes and token ids of the golden case: what no shape tells.
LlavaUnshapedSettings unshapedOf(const LlavaEncoderConfig& config) {
    LlavaUnshapedSettings settings;
    settings.llamaHeadDim = config.text.headDim();
    settings.visionHeadDim = config.vision.hiddenSize / config.vision.numHeads;
    settings.imageTokenIndex = config.imageTokenIndex;
    settings.padTokenId = config.padTokenId;
    return settings;
}

// Writes the golden weights without `name` and checks that `read` refuses them naming the
// file and the tensor.
template <typename Read>
void checkRefusedWithout(const GoldenCase& golden, ModelFamily family, const std::string& name,
                         Read read) {
    INFO("without " << name);
    // One file per family: CTest runs the LLaVA and the CLIP test cases at the same time.
    const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                       ("storyreel_hy_config_without_" +
                                        std::to_string(static_cast<int>(family)) + ".safetensors");
    rewriteWeights(golden.weights, path, [&](const std::string& tensor, at::Tensor t) {
        return tensor == name ? at::Tensor() : t;
    });
    {
        const HyTextWeights weights(path, family, "shapes");
        REQUIRE_THROWS_AS(read(weights.view), storyreel::UserError);
        REQUIRE_THROWS_WITH(read(weights.view),
                            Catch::Contains(name) && Catch::Contains(path.filename().string()));
    }
    std::filesystem::remove(path);
}

}  // namespace

TEST_CASE("LLaVA's configuration read from its shapes agrees with every golden config",
          "[hunyuan][text]") {
    const std::vector<GoldenCase> cases = goldenCases("hunyuan", kLlavaKind);
    REQUIRE_FALSE(cases.empty());
    for (const GoldenCase& golden : cases) {
        std::cout << kLlavaKind << " (config from shapes): " << golden.name << "\n";
        INFO(golden.name);
        const LlavaEncoderConfig want = LlavaEncoderConfig::fromJson(golden.config);
        const HyTextWeights weights(golden.weights, ModelFamily::LlavaLlama3, want.describe());
        const LlavaEncoderConfig got =
            LlavaEncoderConfig::fromWeights(weights.view, unshapedOf(want));
        CHECK(got.text.vocabSize == want.text.vocabSize);
        CHECK(got.text.hiddenSize == want.text.hiddenSize);
        CHECK(got.text.intermediateSize == want.text.intermediateSize);
        CHECK(got.text.numLayers == want.text.numLayers);
        CHECK(got.text.numHeads == want.text.numHeads);
        CHECK(got.text.numKeyValueHeads == want.text.numKeyValueHeads);
        CHECK(got.vision.hiddenSize == want.vision.hiddenSize);
        CHECK(got.vision.intermediateSize == want.vision.intermediateSize);
        CHECK(got.vision.numLayers == want.vision.numLayers);
        CHECK(got.vision.numHeads == want.vision.numHeads);
        CHECK(got.vision.numChannels == want.vision.numChannels);
        CHECK(got.vision.imageSize == want.vision.imageSize);
        CHECK(got.vision.patchSize == want.vision.patchSize);
        CHECK(got.imageProcessor.shortestEdge == want.imageProcessor.shortestEdge);
        CHECK(got.imageProcessor.cropHeight == want.imageProcessor.cropHeight);
        CHECK(got.imageProcessor.cropWidth == want.imageProcessor.cropWidth);
        CHECK(got.imageProcessor.mean == want.imageProcessor.mean);
        CHECK(got.imageProcessor.std == want.imageProcessor.std);
        CHECK(got.imageTokenIndex == want.imageTokenIndex);
        CHECK(got.padTokenId == want.padTokenId);
        // The released values where no shape tells (the golden configs use them too).
        CHECK(got.text.ropeTheta == 500000.0);
        CHECK(got.text.rmsNormEps == 1e-5);
        CHECK(got.vision.layerNormEps == 1e-5);
        CHECK(got.vision.hiddenAct == ClipHiddenAct::QuickGelu);
        CHECK(got.prompt.imageEmbLen == HunyuanPromptTemplate::released().imageEmbLen);
        std::cout << "  " << got.describe() << "\n";
    }
}

TEST_CASE("LLaVA's configuration from shapes refuses what the shapes cannot give",
          "[hunyuan][text]") {
    const std::vector<GoldenCase> cases = goldenCases("hunyuan", kLlavaKind);
    REQUIRE_FALSE(cases.empty());
    const GoldenCase& golden = cases.front();
    const LlavaEncoderConfig want = LlavaEncoderConfig::fromJson(golden.config);
    const LlavaUnshapedSettings settings = unshapedOf(want);
    for (const std::string name : {"language_model.model.embed_tokens.weight",
                                   "language_model.model.layers.0.self_attn.k_proj.weight",
                                   "vision_tower.vision_model.embeddings.position_embedding.weight",
                                   "vision_tower.vision_model.embeddings.patch_embedding.weight",
                                   "multi_modal_projector.linear_1.weight"}) {
        checkRefusedWithout(golden, ModelFamily::LlavaLlama3, name, [&](const InternalView& view) {
            return LlavaEncoderConfig::fromWeights(view, settings);
        });
    }

    const HyTextWeights weights(golden.weights, ModelFamily::LlavaLlama3, want.describe());
    // A head size that does not divide the width.
    LlavaUnshapedSettings badHeads = settings;
    badHeads.llamaHeadDim = want.text.hiddenSize + 1;
    REQUIRE_THROWS_WITH(
        LlavaEncoderConfig::fromWeights(weights.view, badHeads),
        Catch::Contains("language_model.model.embed_tokens.weight") && Catch::Contains("heads of"));
    // The released <image> id outside a vocabulary other than the released one.
    if (want.text.vocabSize <= LlavaUnshapedSettings{}.imageTokenIndex) {
        LlavaUnshapedSettings releasedIds = settings;
        releasedIds.imageTokenIndex = LlavaUnshapedSettings{}.imageTokenIndex;
        REQUIRE_THROWS_WITH(LlavaEncoderConfig::fromWeights(weights.view, releasedIds),
                            Catch::Contains("<image>") && Catch::Contains("vocabulary"));
    }
}

TEST_CASE("CLIP-L text configuration read from its shapes agrees with every golden config",
          "[hunyuan][text]") {
    const std::vector<GoldenCase> cases = goldenCases("hunyuan", kClipKind);
    REQUIRE_FALSE(cases.empty());
    for (const GoldenCase& golden : cases) {
        std::cout << kClipKind << " (config from shapes): " << golden.name << "\n";
        INFO(golden.name);
        const ClipTextConfig want = ClipTextConfig::fromJson(golden.config);
        const HyTextWeights weights(golden.weights, ModelFamily::ClipLText, want.describe());
        const ClipTextConfig got =
            ClipTextConfig::fromWeights(weights.view, want.hiddenSize / want.numHeads);
        CHECK(got.vocabSize == want.vocabSize);
        CHECK(got.hiddenSize == want.hiddenSize);
        CHECK(got.intermediateSize == want.intermediateSize);
        CHECK(got.numLayers == want.numLayers);
        CHECK(got.numHeads == want.numHeads);
        CHECK(got.maxPositionEmbeddings == want.maxPositionEmbeddings);
        CHECK(got.layerNormEps == want.layerNormEps);
        CHECK(got.hiddenAct == want.hiddenAct);
        CHECK(got.eosTokenId == got.vocabSize - 1);
        // Pooling at <|endoftext|> (the highest id) gives the reference's pooled output.
        const ClipTextEncoder encoder(got, weights.module);
        const storyreel::infer::SafetensorsReader io(golden.io);
        const at::Tensor pooled =
            encoder.pooled(int64Tensor(io, "in.input_ids"), int64Tensor(io, "in.attention_mask"));
        const double error = relativeError(pooled, io.tensor("out.pooled"));
        std::cout << "  out.pooled rel. error " << error << "\n";
        CHECK(error <= golden.tolerance);

        for (const std::string name : {"text_model.embeddings.token_embedding.weight",
                                       "text_model.embeddings.position_embedding.weight",
                                       "text_model.encoder.layers.0.mlp.fc1.weight"}) {
            checkRefusedWithout(
                golden, ModelFamily::ClipLText, name, [&](const InternalView& view) {
                    return ClipTextConfig::fromWeights(view, want.hiddenSize / want.numHeads);
                });
        }
    }
}
