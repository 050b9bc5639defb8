// HunyuanI2VPipeline end to end against the reference's golden data
// (../shared/golden/hunyuan, README "hunyuan_pipeline_i2v_e2e"): every case of kind
// hunyuan_i2v_pipeline is built from its config, with the DiT and VAE of the weights files it
// names (each sized by the config of its own golden case), and its stages checked in order:
// the image latents, the RoPE tables, the DiT's input and output at every step, the latents
// after every step, and the decoded video. The text encoders are the case's given embeddings,
// as in the reference run.
#include "core/infer/layers/module_weights.h"
#include "core/infer/models/hunyuan/hy_dit_config.h"
#include "core/infer/models/hunyuan/hy_dit_model.h"
#include "core/infer/models/hunyuan/hy_i2v_pipeline.h"
#include "core/infer/models/hunyuan/hy_rope.h"
#include "core/infer/models/hunyuan/hy_vae_config.h"
#include "core/infer/models/hunyuan/hy_vae_model.h"
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/registry/model_family.h"
#include "core/infer/weights/safetensors_reader.h"
#include "tests/core/infer/golden_cases.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace storyreel::infer;
using namespace storyreel::infer::hunyuan;
using storyreel::test::GoldenCase;

namespace fs = std::filesystem;

namespace {

std::string text(const JsonValue& config, const char* key) {
    const JsonValue* value = config.find(key);
    REQUIRE(value != nullptr);
    REQUIRE(value->isString());
    return value->text();
}

double number(const JsonValue& config, const char* key) {
    const JsonValue* value = config.find(key);
    REQUIRE(value != nullptr);
    REQUIRE(value->asDouble().has_value());
    return *value->asDouble();
}

bool flag(const JsonValue& config, const char* key) {
    const JsonValue* value = config.find(key);
    REQUIRE(value != nullptr);
    return value->boolean();
}

// The config of the golden case whose weights file is `weights` (its sibling io file).
JsonValue configOfWeights(const fs::path& weights) {
    std::string name = weights.filename().string();
    const std::string suffix = ".weights.safetensors";
    REQUIRE(name.ends_with(suffix));
    name.replace(name.size() - suffix.size(), suffix.size(), ".io.safetensors");
    const SafetensorsReader io(weights.parent_path() / name);
    const auto config = io.metadata().find("config");
    REQUIRE(config != io.metadata().end());
    return parseJson(config->second);
}

// [steps, ...] from one tensor per step.
at::Tensor stacked(const std::vector<at::Tensor>& steps) {
    return steps.empty() ? at::Tensor() : at::stack(steps);
}

}  // namespace

TEST_CASE("HunyuanVideo-I2V pipeline matches the reference end to end", "[hunyuan][golden]") {
    const std::vector<GoldenCase> cases =
        storyreel::test::goldenCases("hunyuan", "hunyuan_i2v_pipeline");
    REQUIRE_FALSE(cases.empty());
    for (const GoldenCase& golden : cases) {
        INFO(golden.name);
        std::cout << golden.name << " (" << text(golden.config, "i2v_condition_type") << ", "
                  << number(golden.config, "num_inference_steps") << " steps)\n";
        const SafetensorsReader io(golden.io);
        const fs::path root = golden.io.parent_path();

        // The DiT, opened by content and sized by its own case's config.
        const fs::path ditPath = root / text(golden.config, "dit_weights");
        const std::unique_ptr<CheckpointFile> ditFile = openCheckpoint(ditPath);
        const ModelRecognition r =
            recogniseModel(ditFile->tensors(), ditFile->metadata(), ditFile->architecture());
        REQUIRE(r.family == ModelFamily::HunyuanDiT);
        const InternalView ditView(*ditFile, r.family, r.layout);
        HunyuanDiTConfig ditConfig = HunyuanDiTConfig::fromJson(configOfWeights(ditPath));
        ditConfig.ropeTheta = number(golden.config, "rope_theta");
        REQUIRE(std::string(hunyuanI2VConditionName(ditConfig.condition)) ==
                text(golden.config, "i2v_condition_type"));
        const ModuleWeights ditWeights(ditView, WeightLoadOptions{}, "HunyuanVideo DiT",
                                       ditConfig.describe());
        const fs::path vaePath = root / text(golden.config, "vae_weights");
        HunyuanVAEConfig vaeConfig = HunyuanVAEConfig::fromJson(configOfWeights(vaePath));
        REQUIRE(vaeConfig.scalingFactor == number(golden.config, "vae_scaling_factor"));

        HunyuanI2VComponents components;
        components.transformer = std::make_shared<HunyuanDiT>(ditConfig, ditWeights);
        components.vae = std::make_shared<HunyuanVAE>(HunyuanVAE::open(vaePath, vaeConfig));
        HunyuanI2VPipeline pipeline(components, {});

        HunyuanI2VSettings settings;
        settings.frames = static_cast<std::int64_t>(number(golden.config, "video_length"));
        settings.steps = static_cast<std::int64_t>(number(golden.config, "num_inference_steps"));
        settings.shift = number(golden.config, "flow_shift");
        settings.stability = flag(golden.config, "i2v_stability");
        settings.embeddedGuidance = number(golden.config, "embedded_guidance_scale");
        settings.cfgScale = number(golden.config, "guidance_scale");
        REQUIRE(flag(golden.config, "flow_reverse"));
        HunyuanI2VGeometry geometry;
        geometry.frames = settings.frames;
        geometry.height = static_cast<std::int64_t>(number(golden.config, "height"));
        geometry.width = static_cast<std::int64_t>(number(golden.config, "width"));

        std::map<std::string, at::Tensor> got;
        got["out.img_latents"] = pipeline.imageLatents(io.tensor("in.image"));
        const HunyuanRotaryTables rope =
            hunyuanRotaryTables(ditConfig, geometry.frames, geometry.height, geometry.width);
        got["out.freqs_cos"] = rope.cos;
        got["out.freqs_sin"] = rope.sin;

        HunyuanDenoiseInputs inputs;
        inputs.imageLatents = got["out.img_latents"];
        inputs.positive = {io.tensor("in.prompt_embeds"), io.tensor("in.prompt_mask"),
                           io.tensor("in.prompt_embeds_2")};
        inputs.initialNoise = io.tensor("in.initial_noise");
        std::vector<at::Tensor> xs, outs, afterSteps;
        HunyuanI2VObserver observer;
        observer.modelCall = [&](std::int64_t, const at::Tensor& x, const at::Tensor& out) {
            xs.push_back(x.clone());
            outs.push_back(out.clone());
        };
        observer.afterStep = [&](std::int64_t, const at::Tensor& latents) {
            afterSteps.push_back(latents.clone());
        };
        const at::Tensor latents = pipeline.denoise(inputs, geometry, settings, observer);
        CHECK(pipeline.transformerCalls() == settings.steps);
        got["out.transformer_x"] = stacked(xs);
        got["out.transformer_out"] = stacked(outs);
        got["out.latents_after_step"] = stacked(afterSteps);
        got["out.video"] = pipeline.decode(latents);
        storyreel::test::checkGoldenOutputs(io, got, golden.tolerance);

        // The 8-bit frames are the video's values, truncated as save_videos_grid does.
        const at::Tensor frames = HunyuanI2VPipeline::toFrames(got["out.video"]);
        CHECK(frames.sizes() ==
              at::IntArrayRef({geometry.frames, geometry.height, geometry.width, 3}));
        CHECK(frames.select(0, 2).select(2, 1).select(0, 5)[7].item<int>() ==
              static_cast<int>(got["out.video"][0][1][2][5][7].item<float>() * 255.0f));
    }
}
