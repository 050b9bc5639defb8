// Wan 2.1's text and image encoders against the reference's golden data
// (../shared/golden/wan: kinds wan_t5_encoder and wan_clip_visual). Every case of a kind is
// built from its config and its weights loaded by the reference's names.
#include "core/infer/models/wan/clip_preprocess.h"
#include "core/infer/models/wan/clip_visual.h"
#include "core/infer/models/wan/umt5_block.h"
#include "core/infer/models/wan/umt5_encoder.h"
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/weights/safetensors_writer.h"
#include "core/infer/weights/weight_loader.h"
#include "tests/core/infer/golden_cases.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <string>

using namespace storyreel::infer;
using namespace storyreel::infer::wan;
using storyreel::test::GoldenCase;
using storyreel::test::goldenCases;
using storyreel::test::relativeError;

namespace {

std::int64_t integer(const JsonValue& object, const char* key) {
    const JsonValue* value = object.find(key);
    REQUIRE(value != nullptr);
    REQUIRE(value->asInt64().has_value());
    return *value->asInt64();
}

double number(const JsonValue& object, const char* key) {
    const JsonValue* value = object.find(key);
    REQUIRE(value != nullptr);
    REQUIRE(value->asDouble().has_value());
    return *value->asDouble();
}

// The case's weights under the reference's names.
struct Weights {
    explicit Weights(const GoldenCase& golden, ModelFamily family, WeightLoadOptions options = {})
        : file(openCheckpoint(golden.weights)),
          view(*file, family, CheckpointLayout::Official),
          loader(view, std::move(options)) {}
    std::unique_ptr<CheckpointFile> file;
    InternalView view;
    WeightLoader loader;
};

UMT5EncoderConfig t5Config(const JsonValue& config) {
    const JsonValue* t5 = config.find("resulting_T5Encoder");
    REQUIRE(t5 != nullptr);
    UMT5EncoderConfig result;
    result.vocab = integer(*t5, "vocab");
    result.dim = integer(*t5, "dim");
    result.dimAttn = integer(*t5, "dim_attn");
    result.dimFfn = integer(*t5, "dim_ffn");
    result.numHeads = integer(*t5, "num_heads");
    result.numLayers = integer(*t5, "num_layers");
    result.numBuckets = integer(*t5, "num_buckets");
    const JsonValue* shared = t5->find("shared_pos");
    REQUIRE(shared != nullptr);
    result.sharedPos = shared->boolean();
    return result;
}

ClipVisualConfig clipConfig(const JsonValue& config) {
    const JsonValue* vit = config.find("resulting_VisionTransformer");
    REQUIRE(vit != nullptr);
    ClipVisualConfig result;
    result.imageSize = integer(*vit, "image_size");
    result.patchSize = integer(*vit, "patch_size");
    result.dim = integer(*vit, "dim");
    result.mlpRatio = number(*vit, "mlp_ratio");
    result.numHeads = integer(*vit, "num_heads");
    result.numLayers = integer(*vit, "num_layers");
    result.normEps = number(*vit, "norm_eps");
    result.preNorm = vit->find("pre_norm") != nullptr && vit->find("pre_norm")->boolean();
    result.postNorm = vit->find("post_norm") != nullptr && vit->find("post_norm")->boolean();
    const JsonValue* activation = vit->find("activation");
    REQUIRE(activation != nullptr);
    REQUIRE((activation->text() == "gelu" || activation->text() == "quick_gelu"));
    result.activation =
        activation->text() == "gelu" ? ClipActivation::Gelu : ClipActivation::QuickGelu;
    const JsonValue* pool = vit->find("pool_type");
    REQUIRE((pool != nullptr && pool->text() == "token"));
    result.output = ClipVisualOutput::AllButLastBlock;  // CLIPModel.visual: use_31_block=True
    return result;
}

}  // namespace

TEST_CASE("umT5 encoder matches the reference on every golden wan_t5_encoder case",
          "[infer][wan][text]") {
    const std::vector<GoldenCase> cases = goldenCases("wan", "wan_t5_encoder");
    REQUIRE_FALSE(cases.empty());
    for (const GoldenCase& golden : cases) {
        std::cout << "wan_t5_encoder: " << golden.name << "\n";
        INFO(golden.name);
        REQUIRE_FALSE(golden.weights.empty());
        const Weights weights(golden, ModelFamily::UMT5Encoder);
        const UMT5Encoder encoder(t5Config(golden.config), weights.loader);
        const SafetensorsReader io(golden.io);
        // The ids are taken as stored (the reference's tokenizer stand-in returned them).
        const at::Tensor ids = io.tensor("in.ids");
        const at::Tensor mask = io.tensor("in.mask");
        const at::Tensor hidden = encoder.forward(ids, mask);
        const std::vector<at::Tensor> contexts = contextsFromHidden(hidden, mask);
        int compared = 0;
        for (std::size_t i = 0; i < contexts.size(); ++i) {
            const std::string name = "out.context" + std::to_string(i);
            const at::Tensor want = io.tensor(name);
            REQUIRE(contexts[i].sizes() == want.sizes());
            const double error = relativeError(contexts[i], want);
            std::cout << "  " << name << " rel. error " << error << "\n";
            CHECK(error <= golden.tolerance);
            ++compared;
        }
        CHECK(compared == 2);
        // Padded query rows too (the reference computes them; the pipeline drops them).
        if (io.contains("dbg.hidden_full")) {
            const double error = relativeError(hidden, io.tensor("dbg.hidden_full"));
            std::cout << "  dbg.hidden_full rel. error " << error << "\n";
            CHECK(error <= golden.tolerance);
        }
    }
}

TEST_CASE("umT5 relative position buckets follow T5's bidirectional layout", "[infer][wan][text]") {
    const at::Tensor buckets = t5RelativePositionBuckets(1, 300, 32, true, 128, at::kCPU);
    const auto at = [&](std::int64_t key) { return buckets[0][key].item<std::int64_t>(); };
    CHECK(at(0) == 0);
    CHECK(at(7) == 16 + 7);     // exact below 8, keys after the query in the upper half
    CHECK(at(8) == 16 + 8);     // first log-spaced bucket
    CHECK(at(127) == 16 + 15);  // 8 + floor(log(127/8)/log(16)*8) = 15
    CHECK(at(299) == 16 + 15);  // clamped
    const at::Tensor backwards = t5RelativePositionBuckets(300, 1, 32, true, 128, at::kCPU);
    CHECK(backwards[5][0].item<std::int64_t>() == 5);    // keys before the query: lower half
    CHECK(backwards[20][0].item<std::int64_t>() == 10);  // 8 + floor(log(2.5)/log(16)*8) = 10
}

TEST_CASE("umT5 encoder names the missing tensor and the file", "[infer][wan][text]") {
    const std::vector<GoldenCase> cases = goldenCases("wan", "wan_t5_encoder");
    REQUIRE_FALSE(cases.empty());
    const GoldenCase& golden = cases.front();
    const Weights complete(golden, ModelFamily::UMT5Encoder);
    NamedTensorList tensors;
    for (const std::string& name : complete.view.names()) {
        if (name != "blocks.1.ffn.fc1.weight") {
            tensors.emplace_back(name, complete.view.tensor(name));
        }
    }
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() / "storyreel_umt5_missing.safetensors";
    writeSafetensorsFile(path, tensors);
    const auto file = openCheckpoint(path);
    const InternalView view(*file, ModelFamily::UMT5Encoder, CheckpointLayout::Official);
    const WeightLoader loader(view);
    REQUIRE_THROWS_WITH(UMT5Encoder(t5Config(golden.config), loader),
                        Catch::Contains("blocks.1.ffn.fc1.weight") &&
                            Catch::Contains("storyreel_umt5_missing.safetensors"));
    std::filesystem::remove(path);
}

TEST_CASE("CLIP visual tower matches the reference on every golden wan_clip_visual case",
          "[infer][wan][text]") {
    const std::vector<GoldenCase> cases = goldenCases("wan", "wan_clip_visual");
    REQUIRE_FALSE(cases.empty());
    for (const GoldenCase& golden : cases) {
        std::cout << "wan_clip_visual: " << golden.name << "\n";
        INFO(golden.name);
        REQUIRE_FALSE(golden.weights.empty());
        const ClipVisualConfig config = clipConfig(golden.config);
        const Weights weights(golden, ModelFamily::WanCLIP);
        const ClipVisual clip(config, weights.loader);
        const SafetensorsReader io(golden.io);
        std::vector<at::Tensor> videos;
        for (int i = 0; io.contains("in.video" + std::to_string(i)); ++i) {
            videos.push_back(io.tensor("in.video" + std::to_string(i)));
        }
        REQUIRE_FALSE(videos.empty());
        const at::Tensor pixels = clipPreprocess(videos, config.imageSize);
        if (io.contains("dbg.pixel_values")) {
            const double pixelError = relativeError(pixels, io.tensor("dbg.pixel_values"));
            std::cout << "  dbg.pixel_values rel. error " << pixelError << "\n";
            CHECK(pixelError <= golden.tolerance);
        }
        const at::Tensor features = clip.forward(pixels);
        const at::Tensor want = io.tensor("out.features");
        REQUIRE(features.sizes() == want.sizes());
        const double error = relativeError(features, want);
        std::cout << "  out.features rel. error " << error << "\n";
        CHECK(error <= golden.tolerance);
    }
}

// The released pipelines run T5 in bfloat16 (and CLIP in float16 on the GPU): the same code
// must run in a half type. No golden tolerance applies (the golden data is float32); the
// bound only catches a broken cast, a mask value that overflows or a norm left in bfloat16.
TEST_CASE("umT5 encoder and CLIP tower run in bfloat16 close to the float32 reference",
          "[infer][wan][text]") {
    WeightLoadOptions bfloat16;
    bfloat16.dtype = at::kBFloat16;
    for (const GoldenCase& golden : goldenCases("wan", "wan_t5_encoder")) {
        const Weights weights(golden, ModelFamily::UMT5Encoder, bfloat16);
        const UMT5Encoder encoder(t5Config(golden.config), weights.loader);
        const SafetensorsReader io(golden.io);
        const at::Tensor mask = io.tensor("in.mask");
        const at::Tensor hidden = encoder.forward(io.tensor("in.ids"), mask);
        CHECK(hidden.scalar_type() == at::kBFloat16);
        const std::vector<at::Tensor> contexts = contextsFromHidden(hidden, mask);
        for (std::size_t i = 0; i < contexts.size(); ++i) {
            const double error =
                relativeError(contexts[i], io.tensor("out.context" + std::to_string(i)));
            std::cout << golden.name << " bfloat16 out.context" << i << " rel. error " << error
                      << "\n";
            CHECK(error < 5e-2);
        }
    }
    for (const GoldenCase& golden : goldenCases("wan", "wan_clip_visual")) {
        const ClipVisualConfig config = clipConfig(golden.config);
        const Weights weights(golden, ModelFamily::WanCLIP, bfloat16);
        const ClipVisual clip(config, weights.loader);
        const SafetensorsReader io(golden.io);
        const at::Tensor features = clip.forward(io.tensor("dbg.pixel_values"));
        CHECK(features.scalar_type() == at::kBFloat16);
        const double error = relativeError(features, io.tensor("out.features"));
        std::cout << golden.name << " bfloat16 out.features rel. error " << error << "\n";
        CHECK(error < 5e-2);
    }
}
