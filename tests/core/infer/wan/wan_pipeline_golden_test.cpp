// The Wan 2.1 I2V pipeline (core/infer/models/wan/wan_i2v_pipeline) against the reference's
// end-to-end golden data (../shared/golden/wan, README "wan_i2v_pipeline_e2e"): every case
// of kind wan_i2v_pipeline runs WanI2V.generate's steps with the case's tiny DiT and VAE (the
// text encoder and CLIP replaced, as in the reference run, by the stored contexts and CLIP
// features): noise, y, the sampler's timesteps, the DiT's predictions at every step, the
// latents and the decoded video, each within the case's suggested tolerance.
#include "core/infer/memory/device_memory.h"
#include "core/infer/memory/seeded_noise.h"
#include "core/infer/models/wan/wan_config.h"
#include "core/infer/models/wan/wan_i2v_geometry.h"
#include "core/infer/models/wan/wan_i2v_pipeline.h"
#include "core/infer/models/wan/wan_latent_preview.h"
#include "core/infer/models/wan/wan_model.h"
#include "core/infer/models/wan/wan_vae.h"
#include "core/infer/models/wan/wan_vae_config.h"
#include "core/infer/models/wan/wan_weights.h"
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/registry/model_family.h"
#include "core/infer/samplers/sampler.h"
#include "core/infer/weights/safetensors_reader.h"
#include "tests/core/infer/golden_cases.h"
#include "tests/core/infer/wan/golden_io.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace storyreel::infer;
using namespace storyreel::infer::wan;
using storyreel::test::GoldenCase;
using storyreel::test::goldenCases;
using storyreel::test::int64Tensor;
using storyreel::test::relativeError;

namespace fs = std::filesystem;

namespace {

struct Opened {
    std::unique_ptr<CheckpointFile> file;
    std::unique_ptr<InternalView> view;
    ModelRecognition recognition;
};

Opened openAs(const fs::path& path, ModelFamily family) {
    Opened opened;
    opened.file = openCheckpoint(path);
    opened.recognition = recogniseModel(opened.file->tensors(), opened.file->metadata(),
                                        opened.file->architecture());
    REQUIRE(opened.recognition.family == family);
    opened.view = std::make_unique<InternalView>(*opened.file, opened.recognition.family,
                                                 opened.recognition.layout);
    return opened;
}

// The case's components, named by its metadata "weights_from": the DiT and VAE cases whose
// weights and configs it ran with (README "Weights").
struct GoldenModels {
    Opened ditFile, vaeFile;
    std::shared_ptr<WanModel> dit;
    std::shared_ptr<WanVAE> vae;
};

const GoldenCase* caseNamed(const std::vector<GoldenCase>& cases, const std::string& name) {
    for (const GoldenCase& c : cases) {
        if (c.name == name) {
            return &c;
        }
    }
    return nullptr;
}

GoldenModels goldenModels(const SafetensorsReader& io) {
    const auto weightsFrom = io.metadata().find("weights_from");
    REQUIRE(weightsFrom != io.metadata().end());
    const std::vector<GoldenCase> dits = goldenCases("wan", "wan_dit");
    const std::vector<GoldenCase> vaes = goldenCases("wan", "wan_vae");
    const GoldenCase* dit = nullptr;
    const GoldenCase* vae = nullptr;
    const JsonValue names = parseJson(weightsFrom->second);
    for (const JsonValue& name : names.items()) {
        dit = dit ? dit : caseNamed(dits, name.text());
        vae = vae ? vae : caseNamed(vaes, name.text());
    }
    REQUIRE(dit != nullptr);
    REQUIRE(vae != nullptr);
    GoldenModels models;
    models.ditFile = openAs(dit->weights, ModelFamily::WanDiT);
    const WanModelConfig config = WanModelConfig::fromJson(dit->config);
    const WanWeights weights(*models.ditFile.view, WeightLoadOptions{}, config.describe());
    models.dit = std::make_shared<WanModel>(config, weights);
    models.vaeFile = openAs(vae->weights, ModelFamily::WanVAE);
    const WeightLoader loader(*models.vaeFile.view);
    models.vae =
        std::make_shared<WanVAE>(WanVAEConfig::fromJson(vae->config), *models.vaeFile.view, loader);
    return models;
}

std::int64_t intArg(const GoldenCase& golden, const char* key) {
    const storyreel::infer::JsonValue* args = golden.config.find("generate_args");
    REQUIRE(args != nullptr);
    REQUIRE(args->find(key) != nullptr);
    return *args->find(key)->asInt64();
}

double doubleArg(const GoldenCase& golden, const char* key) {
    return *golden.config.find("generate_args")->find(key)->asDouble();
}

void checkClose(const GoldenCase& golden, const std::string& name, const at::Tensor& got,
                const at::Tensor& want) {
    INFO(golden.name << " " << name);
    REQUIRE(got.sizes() == want.sizes());
    const double error = relativeError(got, want);
    std::cout << golden.name << ": " << name << " rel. error " << error << " (tolerance "
              << golden.tolerance << ")\n";
    CHECK(error <= golden.tolerance);
}

}  // namespace

TEST_CASE("Wan I2V pipeline reproduces image2video.py's generate end to end",
          "[infer][wan][golden][pipeline]") {
    const std::vector<GoldenCase> cases = goldenCases("wan", "wan_i2v_pipeline");
    REQUIRE(!cases.empty());
    for (const GoldenCase& golden : cases) {
        std::cout << "checking " << golden.name << "\n";
        const SafetensorsReader io(golden.io);
        const GoldenModels models = goldenModels(io);
        WanI2VSettings settings;
        settings.maxArea = intArg(golden, "max_area");
        settings.frames = intArg(golden, "frame_num");
        settings.steps = intArg(golden, "steps");
        settings.seed = static_cast<std::uint64_t>(intArg(golden, "seed"));
        settings.guidance = doubleArg(golden, "guide_scale");
        settings.shift = doubleArg(golden, "shift");
        settings.sampler = golden.config.find("generate_args")->find("solver")->text();

        WanI2VComponents components;
        components.transformer = models.dit;
        components.vae = models.vae;
        WanI2VPipeline pipeline(components, {c10::Device(c10::kCPU), profileByName("80gb")});

        // in.image: [H, W, 3] holding the PIL image's 0..255 values.
        const at::Tensor image = WanI2VPipeline::imageToTensor(io.tensor("in.image"));
        const WanI2VGeometry g =
            wanI2VGeometry(image.size(1), image.size(2), settings.maxArea, settings.frames);
        CHECK(g.seqLen == int64Tensor(io, "out.seq_len").item<std::int64_t>());

        WanI2VConditioning conditioning;
        conditioning.geometry = g;
        conditioning.context = io.tensor("in.context");
        conditioning.contextNull = io.tensor("in.context_null");
        conditioning.clipFea = io.tensor("in.clip_fea");
        conditioning.y = pipeline.conditionLatent(image, g);
        checkClose(golden, "y", conditioning.y, io.tensor("out.y"));

        // The generator is the CPU one with the seed, as the reference case draws it.
        const at::Tensor noise =
            seededNoise({16, g.latentFrames, g.latentHeight, g.latentWidth}, settings.seed);
        checkClose(golden, "noise", noise, io.tensor("out.noise"));

        std::vector<at::Tensor> latents, conds, unconds;
        WanI2VObserver observer;
        observer.modelOutputs = [&](std::int64_t, const at::Tensor& latent, const at::Tensor& cond,
                                    const at::Tensor& uncond) {
            latents.push_back(latent.clone());
            conds.push_back(cond.clone());
            unconds.push_back(uncond.clone());
        };
        int previews = 0;
        observer.preview = [&](const at::Tensor& rgb) {
            CHECK(rgb.sizes() == at::IntArrayRef({g.latentHeight, g.latentWidth, 3}));
            ++previews;
        };
        const at::Tensor last = pipeline.denoise(conditioning, noise, settings, observer);
        latents.push_back(last);
        CHECK(previews == settings.steps);
        CHECK(pipeline.transformerCalls() == 2 * settings.steps);
        checkClose(golden, "latents", at::stack(latents), io.tensor("out.latents"));
        checkClose(golden, "noise_pred_cond", at::stack(conds), io.tensor("out.noise_pred_cond"));
        checkClose(golden, "noise_pred_uncond", at::stack(unconds),
                   io.tensor("out.noise_pred_uncond"));

        const at::Tensor video = pipeline.decode(last);
        checkClose(golden, "video", video, io.tensor("out.video"));
        const at::Tensor frames = WanI2VPipeline::toFrames(video);
        CHECK(frames.sizes() == at::IntArrayRef({settings.frames, g.height, g.width, 3}));
        CHECK(frames.scalar_type() == at::kByte);
    }
}

TEST_CASE("Wan I2V pipeline's timesteps are the reference's", "[infer][wan][golden][pipeline]") {
    for (const GoldenCase& golden : goldenCases("wan", "wan_i2v_pipeline")) {
        INFO(golden.name);
        const SafetensorsReader io(golden.io);
        const auto args = golden.config.find("generate_args");
        std::unique_ptr<Sampler> sampler = makeSampler(args->find("solver")->text());
        sampler->setTimesteps(*args->find("steps")->asInt64(), *args->find("shift")->asDouble());
        CHECK(at::equal(sampler->timesteps(), int64Tensor(io, "out.timesteps")));
    }
}

TEST_CASE("Wan latent preview maps the latent through ComfyUI's Wan 2.1 factors",
          "[infer][wan][pipeline]") {
    // One latent pixel per channel basis vector: the preview of e_c is (factors[c] + bias + 1)/2.
    at::Tensor latent = at::zeros({16, 3, 1, 16});
    for (int c = 0; c < 16; ++c) {
        latent[c][1][0][c] = 1.0;
    }
    const at::Tensor rgb = wanLatentPreview(latent);  // the middle latent frame
    REQUIRE(rgb.sizes() == at::IntArrayRef({1, 16, 3}));
    for (int c = 0; c < 16; ++c) {
        for (int k = 0; k < 3; ++k) {
            const double unit = (kWan21LatentRgbFactors[c][k] + kWan21LatentRgbBias[k] + 1.0) / 2.0;
            const double expected = std::round(std::clamp(unit, 0.0, 1.0) * 255.0);
            INFO("channel " << c << " colour " << k);
            CHECK(std::abs(rgb[0][c][k].item<int>() - expected) <= 1.0);
        }
    }
}

TEST_CASE("Wan pipeline tells out-of-memory errors from others", "[infer][wan][pipeline]") {
    // LibTorch 1.13 reports a CUDA OOM as a plain c10::Error with this text.
    CHECK(isOutOfMemory(std::runtime_error(
        "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 11.76 GiB total capacity)")));
    CHECK(isOutOfMemory(c10::OutOfMemoryError({"alloc", "file.cpp", 1}, "allocation failed")));
    CHECK_FALSE(isOutOfMemory(std::runtime_error("shape '[2, 3]' is invalid")));
}
