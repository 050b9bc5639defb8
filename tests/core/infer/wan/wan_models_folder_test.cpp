// The Wan 2.1 models folder (core/infer/models/wan/wan_models_folder) and the pipeline run
// from it on a tiny but complete folder (tests/core/infer/wan/tiny_wan_models.h): missing
// files are named with the folder; a GGUF (Q8_0) DiT gives the clip of a dense DiT holding
// the same values; the Fast (Wan) preset's distillation LoRA runs one transformer pass per
// step and equals the LoRA merged into the weights; saved latents are decoded without
// denoising again.
#include "core/infer/models/wan/wan_models_folder.h"

#include "core/base/user_error.h"
#include "core/infer/memory/memory_profile.h"
#include "core/infer/models/wan/umt5_tokenizer.h"
#include "core/infer/models/wan/wan_i2v_pipeline.h"
#include "core/infer/models/wan/wan_model.h"
#include "tests/core/infer/golden_cases.h"
#include "tests/core/infer/registry/registry_files.h"
#include "tests/core/infer/wan/tiny_wan_layouts.h"
#include "tests/core/infer/wan/tiny_wan_models.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

using namespace storyreel::infer;
using namespace storyreel::infer::wan;
using Catch::Matchers::Contains;
using storyreel::UserError;
using storyreel::test::freshDir;
using storyreel::test::relativeError;
using storyreel::test::TinyDit;

namespace fs = std::filesystem;

namespace {

at::Tensor testImage() {
    at::manual_seed(11);
    return at::randint(0, 256, {40, 56, 3}).to(at::kByte);
}

// A short, cheap run: 5 frames in a 64x48 budget.
WanI2VSettings tinySettings(std::int64_t steps, double guidance, double shift) {
    WanI2VSettings settings;
    settings.prompt = "a cat on the sea, slow zoom";
    settings.maxArea = 64 * 48;
    settings.frames = 5;
    settings.steps = steps;
    settings.guidance = guidance;
    settings.shift = shift;
    settings.seed = 7;
    return settings;
}

struct Run {
    WanI2VResult result;
    std::int64_t headCalls = 0;  // the DiT's own count of forward passes
};

Run generateFrom(const fs::path& folder, const std::string& preset, const WanI2VSettings& settings,
                 const WanLatentCache& cache = {}) {
    const WanModelFiles files = findWanModelFiles(folder, preset);
    WanOpenOptions options;
    options.profile = profileByName("cpu");
    const std::unique_ptr<WanModelSet> models = WanModelSet::open(files, options);
    Run run;
    models->components().transformer->setTrace([&run](const std::string& name, const at::Tensor&) {
        if (name == "head") {
            ++run.headCalls;
        }
    });
    WanI2VPipeline pipeline(models->components(), {c10::Device(c10::kCPU), options.profile});
    run.result = pipeline.generate(testImage(), settings, {}, cache);
    return run;
}

double maxFrameDifference(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kInt) - b.to(at::kInt)).abs().max().item<double>();
}

}  // namespace

TEST_CASE("Wan models folder names the missing files and the folder it searched",
          "[infer][wan][models]") {
    const fs::path dir = freshDir("wan-missing");
    storyreel::test::writeSafetensors(
        dir / "vae.safetensors", storyreel::test::readTensors(storyreel::test::goldenDir() / "wan" /
                                                              "wan_vae.weights.safetensors"));
    REQUIRE_THROWS_WITH(findWanModelFiles(dir, "quality"),
                        Contains(dir.string()) && Contains("transformer") &&
                            Contains("text encoder") && Contains("image encoder") &&
                            Contains("tokenizer") && !Contains("missing the VAE"));
    REQUIRE_THROWS_WITH(findWanModelFiles(dir / "nowhere", "quality"), Contains("does not exist"));
    REQUIRE_THROWS_AS(findWanModelFiles(dir, "fast"), UserError);
}

TEST_CASE("Wan models folder finds the four components, the tokenizer and the LoRA",
          "[infer][wan][models]") {
    const fs::path dir = freshDir("wan-complete");
    storyreel::test::writeTinyWanModels(dir, TinyDit::Safetensors);
    const WanModelFiles quality = findWanModelFiles(dir, "quality");
    CHECK(quality.transformer.filename() == "wan_dit.safetensors");
    CHECK(quality.tokenizer.filename() == "tokenizer.json");
    REQUIRE_THROWS_WITH(findWanModelFiles(dir, "fast-wan"), Contains("step-distillation LoRA"));
    CHECK_NOTHROW(findWanModelFiles(dir, "fast-wan", true));
    storyreel::test::writeTinyLora(dir / "loras" / "lightx2v_tiny.safetensors");
    CHECK(findWanModelFiles(dir, "fast-wan").distillationLora.filename() ==
          "lightx2v_tiny.safetensors");
}

TEST_CASE("Wan models folder takes the tokenizer a ComfyUI umT5 file embeds",
          "[infer][wan][models][layouts]") {
    // ComfyUI's umt5_xxl_*.safetensors hold the SentencePiece model as `spiece_model`; its
    // folders have no tokenizer file.
    const fs::path dir = freshDir("wan-comfy-tokenizer");
    storyreel::test::writeTinyWanLayout(dir, storyreel::test::TinyWanLayout::ComfyFp16);
    const WanModelFiles files = findWanModelFiles(dir, "quality");
    CHECK(files.tokenizer == files.textEncoder);
    WanOpenOptions options;
    options.profile = profileByName("cpu");
    const std::unique_ptr<WanModelSet> models = WanModelSet::open(files, options);
    const fs::path json = dir / "google" / "umt5-xxl" / "tokenizer.json";
    storyreel::test::writeTinyTokenizer(json);
    const std::string prompt = "a slow zoom on the sea";
    CHECK(models->components().tokenizer->encode(prompt) ==
          UMT5Tokenizer::open(json).encode(prompt));
    // A tokenizer file in the folder is still preferred.
    CHECK(findWanModelFiles(dir, "quality").tokenizer == json);

    // An embedded model that is no SentencePiece model is named with the file.
    fs::remove_all(dir / "google");
    storyreel::test::StoredTensors t5 = storyreel::test::storedAs(
        storyreel::test::umt5ToTransformers(storyreel::test::tinyWanWeights().textEncoder),
        at::kHalf);
    t5.push_back({"spiece_model", "U8", {7}, "garbage"});
    storyreel::test::writeStored(files.textEncoder, t5);
    REQUIRE_THROWS_WITH(WanModelSet::open(findWanModelFiles(dir, "quality"), options),
                        Contains(files.textEncoder.string()) && Contains("spiece_model"));
}

TEST_CASE("Wan pipeline from a models folder is deterministic and resumes from saved latents",
          "[infer][wan][models][pipeline]") {
    const fs::path dir = freshDir("wan-determinism");
    storyreel::test::writeTinyWanModels(dir, TinyDit::Safetensors);
    const WanI2VSettings settings = tinySettings(3, 5.0, 3.0);
    const Run first = generateFrom(dir, "quality", settings);
    const Run second = generateFrom(dir, "quality", settings);
    CHECK(first.result.frames.sizes() == at::IntArrayRef({5, 32, 64, 3}));
    CHECK(first.result.transformerCalls == 6);
    CHECK(first.headCalls == 6);
    CHECK(at::equal(first.result.frames, second.result.frames));

    // The latents saved after the last step are decoded again without any DiT call.
    const WanLatentCache cache{dir / "clip.latents.safetensors", 1};
    const Run saving = generateFrom(dir, "quality", settings, cache);
    REQUIRE(fs::exists(cache.file));
    const Run resumed = generateFrom(dir, "quality", settings, cache);
    CHECK_FALSE(saving.result.resumedFromCache);
    CHECK(resumed.result.resumedFromCache);
    CHECK(resumed.headCalls == 0);
    CHECK(at::equal(resumed.result.frames, first.result.frames));
    // Other settings do not match the saved key: denoised again.
    const Run other = generateFrom(dir, "quality", tinySettings(2, 5.0, 3.0), cache);
    CHECK_FALSE(other.result.resumedFromCache);
}

TEST_CASE("Wan GGUF Q8_0 DiT gives the clip of the dense DiT with the same values",
          "[infer][wan][models][gguf]") {
    const fs::path gguf = freshDir("wan-gguf");
    storyreel::test::writeTinyWanModels(gguf, TinyDit::GgufQ8);
    const fs::path dense = freshDir("wan-gguf-dense");
    storyreel::test::writeTinyWanModels(
        dense, TinyDit::Safetensors,
        storyreel::test::q8RoundTrip(storyreel::test::tinyDitTensors()));
    const fs::path original = freshDir("wan-gguf-f32");
    storyreel::test::writeTinyWanModels(original, TinyDit::Safetensors);

    const WanI2VSettings settings = tinySettings(3, 5.0, 3.0);
    const Run fromGguf = generateFrom(gguf, "quality", settings);
    const Run fromDense = generateFrom(dense, "quality", settings);
    const Run fromF32 = generateFrom(original, "quality", settings);
    const double latentError = relativeError(fromGguf.result.latent, fromDense.result.latent);
    const double frameDifference =
        maxFrameDifference(fromGguf.result.frames, fromDense.result.frames);
    std::cout << "GGUF Q8_0 vs dense Q8_0 values: latent rel. error " << latentError
              << ", max frame difference " << frameDifference << " levels\n"
              << "GGUF Q8_0 vs the float32 weights: latent rel. error "
              << relativeError(fromGguf.result.latent, fromF32.result.latent)
              << ", max frame difference "
              << maxFrameDifference(fromGguf.result.frames, fromF32.result.frames) << " levels\n";
    // Same values, dequantised per layer instead of at load: float32 rounding apart.
    CHECK(latentError <= 1e-5);
    CHECK(frameDifference <= 1.0);
}

TEST_CASE("Fast (Wan) runs one transformer pass per step and equals the merged LoRA",
          "[infer][wan][models][lora]") {
    const fs::path withLora = freshDir("wan-fast");
    storyreel::test::writeTinyWanModels(withLora, TinyDit::Safetensors);
    const auto lora =
        storyreel::test::writeTinyLora(withLora / "loras" / "lightx2v_tiny.safetensors");
    const fs::path merged = freshDir("wan-fast-merged");
    storyreel::test::writeTinyWanModels(merged, TinyDit::Safetensors,
                                        storyreel::test::mergeTinyLora(lora, 1.0));

    const WanI2VSettings settings = tinySettings(4, 1.0, 5.0);
    const Run fast = generateFrom(withLora, "fast-wan", settings);
    CHECK(fast.result.transformerCalls == 4);
    CHECK(fast.headCalls == 4);
    const Run reference = generateFrom(merged, "quality", settings);
    CHECK(reference.headCalls == 4);
    const double latentError = relativeError(fast.result.latent, reference.result.latent);
    const double frameDifference = maxFrameDifference(fast.result.frames, reference.result.frames);
    std::cout << "Fast (Wan) LoRA vs merged weights: latent rel. error " << latentError
              << ", max frame difference " << frameDifference << " levels\n";
    CHECK(latentError <= 1e-5);
    CHECK(frameDifference <= 1.0);
    // The LoRA does change the result.
    const Run plain = generateFrom(withLora, "quality", settings);
    CHECK(relativeError(plain.result.latent, fast.result.latent) > 1e-3);
}
