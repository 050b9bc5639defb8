// Replays the reference's I2V denoising loop (../shared/golden/hunyuan, kind
// "hunyuan_trajectory"): each case is run from its config with a probe DiT that returns the
// stored in.model_outputs[i] and records what it was given; the noise is drawn from the
// case's noise_seed (and must equal in.initial_noise bit for bit). Checked per step: the DiT's
// x, t, guidance and text inputs, the model output the scheduler received, and the latents
// after the step. The end-to-end case (kind "hunyuan_i2v_pipeline") is replayed the same way
// from its recorded DiT outputs. Also, without golden data: progress, previews, cancellation,
// bad inputs, latent_concat's DiT input and the guidance's rounding in the model dtype.
#include "core/base/cancel_token.h"
#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/hy_denoise.h"
#include "core/infer/models/hunyuan/hy_i2v_geometry.h"
#include "core/infer/models/hunyuan/hy_scheduler.h"
#include "core/infer/weights/json_value.h"
#include "core/infer/weights/safetensors_reader.h"
#include "tests/core/infer/golden_cases.h"
#include "tests/core/infer/wan/golden_io.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <iostream>
#include <map>
#include <string>
#include <vector>

using Catch::Matchers::Contains;
using storyreel::Cancelled;
using storyreel::CancelToken;
using storyreel::Phase;
using storyreel::Progress;
using storyreel::UserError;
using storyreel::infer::JsonValue;
using storyreel::infer::SafetensorsReader;
using storyreel::test::GoldenCase;
using storyreel::test::goldenCases;
using storyreel::test::int64Tensor;
using storyreel::test::relativeError;
using namespace storyreel::infer::hunyuan;

namespace {

const JsonValue& entry(const GoldenCase& golden, const char* key) {
    const JsonValue* value = golden.config.find(key);
    INFO(golden.name << ": config has no " << key);
    REQUIRE(value != nullptr);
    return *value;
}

double number(const GoldenCase& golden, const char* key) {
    const std::optional<double> value = entry(golden, key).asDouble();
    INFO(golden.name << ": config " << key << " is not a number");
    REQUIRE(value.has_value());
    return *value;
}

std::int64_t integer(const GoldenCase& golden, const char* key) {
    const std::optional<std::int64_t> value = entry(golden, key).asInt64();
    INFO(golden.name << ": config " << key << " is not an integer");
    REQUIRE(value.has_value());
    return *value;
}

HunyuanTextConditioning text(const SafetensorsReader& io, const std::string& prefix) {
    return {io.tensor("in." + prefix + "prompt_embeds"),
            int64Tensor(io, "in." + prefix + "prompt_mask"),
            io.tensor("in." + prefix + "prompt_embeds_2")};
}

// The worst relative error over the steps of one recorded input against out.<name>[i].
struct Worst {
    double error = 0.0;
    void add(double e) { error = std::max(error, e); }
};

// The loop's settings from a case's config (the pipeline call's arguments).
HunyuanDenoiseSettings settingsFrom(const GoldenCase& golden) {
    HunyuanDenoiseSettings settings;
    settings.frames = integer(golden, "video_length");
    settings.steps = integer(golden, "num_inference_steps");
    settings.shift = number(golden, "flow_shift");
    settings.flowReverse = entry(golden, "flow_reverse").boolean();
    settings.embeddedGuidance = number(golden, "embedded_guidance_scale");
    settings.cfgScale = number(golden, "guidance_scale");
    settings.condition = parseHunyuanI2VCondition(entry(golden, "i2v_condition_type").text());
    settings.stability = entry(golden, "i2v_stability").boolean();
    settings.seed = static_cast<std::uint64_t>(integer(golden, "noise_seed"));
    return settings;
}

void replay(const GoldenCase& golden) {
    const SafetensorsReader io(golden.io);
    const HunyuanDenoiseSettings settings = settingsFrom(golden);
    const std::int64_t height = integer(golden, "height");
    const std::int64_t width = integer(golden, "width");

    // The latent shape from the video size, as prepare_latents computes it.
    const std::array<std::int64_t, 5> shape = hunyuanLatentShape(settings.frames, height, width);
    const JsonValue& latentShape = entry(golden, "latent_shape");
    REQUIRE(latentShape.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) {
        CHECK(*latentShape.at(i).asInt64() == shape[i]);
    }
    // Our noise for the seed is torch.randn on a seeded CPU generator.
    const at::Tensor noise = hunyuanInitialNoise(shape, settings.seed);
    const bool noiseExact = at::equal(noise, io.tensor("in.initial_noise"));
    CHECK(noiseExact);
    // The schedule the reference ran.
    FlowMatchDiscreteScheduler scheduler(settings.shift, settings.flowReverse);
    scheduler.setTimesteps(settings.steps);
    CHECK(relativeError(scheduler.timesteps(), io.tensor("in.timesteps")) <= 1e-6);
    CHECK(relativeError(scheduler.sigmas(), io.tensor("in.sigmas")) <= 1e-6);

    HunyuanDenoiseInputs inputs;
    inputs.imageLatents = io.tensor("in.img_latents");
    inputs.positive = text(io, "");
    if (io.contains("in.negative_prompt_embeds")) {
        inputs.negative = text(io, "negative_");
    }
    const at::Tensor modelOutputs = io.tensor("in.model_outputs");
    const at::Tensor wantX = io.tensor("out.transformer_x");
    const at::Tensor wantT = io.tensor("out.transformer_t");
    const at::Tensor wantGuidance = io.tensor("out.transformer_guidance");
    const at::Tensor wantText = io.tensor("out.transformer_text_states");
    const at::Tensor wantMask = int64Tensor(io, "out.transformer_text_mask");
    const at::Tensor wantText2 = io.tensor("out.transformer_text_states_2");
    const at::Tensor wantSchedulerInput = io.tensor("out.scheduler_model_output");
    const at::Tensor wantLatents = io.tensor("out.latents_after_step");
    REQUIRE(modelOutputs.size(0) == settings.steps);

    std::map<std::string, Worst> worst;
    std::int64_t calls = 0;
    const HunyuanDenoiseModel probe = [&](const HunyuanDenoiseCall& call) {
        const std::int64_t i = call.step;
        INFO(golden.name << " step " << i);
        REQUIRE(i == calls);
        ++calls;
        REQUIRE(call.x.sizes() == wantX[i].sizes());
        worst["transformer_x"].add(relativeError(call.x, wantX[i]));
        REQUIRE(call.t.sizes() == wantT[i].sizes());
        worst["transformer_t"].add(relativeError(call.t, wantT[i]));
        REQUIRE(call.guidance.defined());
        REQUIRE(call.guidance.sizes() == wantGuidance[i].sizes());
        worst["transformer_guidance"].add(relativeError(call.guidance, wantGuidance[i]));
        REQUIRE(call.textStates.sizes() == wantText.sizes());
        worst["transformer_text_states"].add(relativeError(call.textStates, wantText));
        CHECK(at::equal(call.textMask.to(at::kLong), wantMask));
        REQUIRE(call.textStates2.sizes() == wantText2.sizes());
        worst["transformer_text_states_2"].add(relativeError(call.textStates2, wantText2));
        return modelOutputs[i];
    };
    HunyuanDenoiseObserver observer;
    observer.schedulerInput = [&](std::int64_t i, const at::Tensor& output) {
        REQUIRE(output.sizes() == wantSchedulerInput[i].sizes());
        worst["scheduler_model_output"].add(relativeError(output, wantSchedulerInput[i]));
    };
    std::int64_t lastStep = -1;
    observer.afterStep = [&](std::int64_t i, const at::Tensor& latents) {
        REQUIRE(latents.sizes() == wantLatents[i].sizes());
        worst["latents_after_step"].add(relativeError(latents, wantLatents[i]));
        lastStep = i;
    };
    const at::Tensor final = hunyuanDenoise(probe, inputs, settings, observer);
    CHECK(calls == settings.steps);
    CHECK(lastStep == settings.steps - 1);
    CHECK(relativeError(final, wantLatents[settings.steps - 1]) <= golden.tolerance);

    // Injecting the stored noise gives the same run.
    inputs.initialNoise = io.tensor("in.initial_noise");
    const at::Tensor injected = hunyuanDenoise(
        [&](const HunyuanDenoiseCall& call) { return modelOutputs[call.step]; }, inputs, settings);
    CHECK(at::equal(injected, final));

    std::cout << golden.name << " (" << hunyuanI2VConditionName(settings.condition) << ", cfg "
              << settings.cfgScale << ", stability " << settings.stability << ", " << settings.steps
              << " steps): noise " << (noiseExact ? "bit-exact" : "DIFFERS");
    for (const auto& [name, value] : worst) {
        INFO(golden.name << " " << name);
        CHECK(value.error <= golden.tolerance);
        std::cout << ", " << name << " " << value.error;
    }
    std::cout << " (max rel. error over steps)\n";
    CHECK(worst.size() == 7);
}

}  // namespace

TEST_CASE("The Hunyuan I2V loop reproduces the reference's trajectories", "[hunyuan][denoise]") {
    const std::vector<GoldenCase> cases = goldenCases("hunyuan", "hunyuan_trajectory");
    REQUIRE_FALSE(cases.empty());
    for (const GoldenCase& golden : cases) {
        replay(golden);
    }
}

namespace {

HunyuanDenoiseInputs smallInputs() {
    HunyuanDenoiseInputs inputs;
    inputs.imageLatents = at::randn({1, 16, 1, 2, 4});
    inputs.positive = {at::randn({1, 5, 8}), at::ones({1, 5}, at::kLong), at::randn({1, 4})};
    inputs.negative = {at::randn({1, 5, 8}), at::ones({1, 5}, at::kLong), at::randn({1, 4})};
    return inputs;
}

}  // namespace

TEST_CASE("The Hunyuan loop reports progress and previews, and stops at the next step",
          "[hunyuan][denoise]") {
    HunyuanDenoiseSettings settings;
    settings.frames = 9;
    settings.steps = 4;
    const HunyuanDenoiseInputs inputs = smallInputs();
    std::int64_t calls = 0;
    const HunyuanDenoiseModel zero = [&](const HunyuanDenoiseCall& call) {
        ++calls;
        return at::zeros({call.x.size(0), 16, call.x.size(2), call.x.size(3), call.x.size(4)});
    };
    std::vector<Progress> reports;
    std::int64_t previews = 0;
    HunyuanDenoiseObserver observer;
    observer.progress = [&](const Progress& p) { reports.push_back(p); };
    observer.preview = [&](const at::Tensor& rgb) {
        CHECK(rgb.sizes() == at::IntArrayRef({2, 4, 3}));
        ++previews;
    };
    const at::Tensor latents = hunyuanDenoise(zero, inputs, settings, observer);
    CHECK(latents.sizes() == at::IntArrayRef({1, 16, 3, 2, 4}));
    CHECK(calls == 4);
    CHECK(previews == 4);
    REQUIRE(reports.size() == 5);
    CHECK(reports.front().phase == Phase::Denoising);
    CHECK(reports.front().step == 0);
    CHECK(reports.back().step == 4);
    CHECK(reports.back().steps == 4);
    CHECK(reports.back().etaSeconds == 0.0);
    // token_replace keeps the image latents on frame 0.
    CHECK(at::equal(latents.slice(2, 0, 1), inputs.imageLatents));

    CancelToken cancel;
    calls = 0;
    HunyuanDenoiseObserver stopping;
    stopping.cancel = &cancel;
    stopping.afterStep = [&](std::int64_t step, const at::Tensor&) {
        if (step == 1) {
            cancel.requestCancel();
        }
    };
    CHECK_THROWS_AS(hunyuanDenoise(zero, inputs, settings, stopping), Cancelled);
    CHECK(calls == 2);

    // guidance_expand is made in the target dtype before * 1000: bf16 rounds 6000 to 6016.
    settings.steps = 1;
    settings.modelDtype = at::kBFloat16;
    at::Tensor guidance;
    hunyuanDenoise(
        [&](const HunyuanDenoiseCall& call) {
            guidance = call.guidance;
            return zero(call);
        },
        inputs, settings);
    REQUIRE(guidance.defined());
    CHECK(guidance.scalar_type() == at::kBFloat16);
    CHECK(guidance.to(at::kFloat).item<float>() == 6016.0f);
}

TEST_CASE("The Hunyuan loop rejects bad inputs with the tensor's name and shape",
          "[hunyuan][denoise]") {
    HunyuanDenoiseSettings settings;
    settings.frames = 9;
    settings.steps = 2;
    const HunyuanDenoiseModel zero = [](const HunyuanDenoiseCall& call) {
        return at::zeros({call.x.size(0), 16, call.x.size(2), call.x.size(3), call.x.size(4)});
    };
    HunyuanDenoiseInputs inputs = smallInputs();
    inputs.imageLatents = at::zeros({1, 16, 2, 4});
    CHECK_THROWS_WITH(hunyuanDenoise(zero, inputs, settings),
                      Contains("image latents") && Contains("[1, 16, 2, 4]"));
    inputs = smallInputs();
    inputs.positive.mask = at::ones({1, 4}, at::kLong);
    CHECK_THROWS_WITH(hunyuanDenoise(zero, inputs, settings), Contains("text mask"));
    inputs = smallInputs();
    settings.frames = 8;
    CHECK_THROWS_WITH(hunyuanDenoise(zero, inputs, settings), Contains("4n+1"));
    settings.frames = 9;
    inputs.initialNoise = at::zeros({1, 16, 2, 2, 4});
    CHECK_THROWS_WITH(hunyuanDenoise(zero, inputs, settings), Contains("initial noise"));
    inputs = smallInputs();
    settings.cfgScale = 2.0;
    inputs.negative = {};
    CHECK_THROWS_WITH(hunyuanDenoise(zero, inputs, settings), Contains("negative prompt"));
    inputs = smallInputs();
    const HunyuanDenoiseModel wrong = [](const HunyuanDenoiseCall&) { return at::zeros({1, 16}); };
    CHECK_THROWS_WITH(hunyuanDenoise(wrong, inputs, settings), Contains("DiT returned"));
    settings.cfgScale = 1.0;
    settings.steps = 0;
    CHECK_THROWS_WITH(hunyuanDenoise(zero, inputs, settings), Contains("steps"));
    // latent_concat gives the DiT 33 channels with the image and the mask on frame 0.
    settings.steps = 1;
    settings.condition = HunyuanI2VCondition::LatentConcat;
    at::Tensor seen;
    hunyuanDenoise(
        [&](const HunyuanDenoiseCall& call) {
            seen = call.x;
            return zero(call);
        },
        inputs, settings);
    REQUIRE(seen.sizes() == at::IntArrayRef({1, 33, 3, 2, 4}));
    CHECK(at::equal(seen.slice(1, 16, 32).slice(2, 0, 1), inputs.imageLatents));
    CHECK(seen.slice(1, 16, 33).slice(2, 1).abs().sum().item<double>() == 0.0);
    CHECK(seen.slice(1, 32, 33).slice(2, 0, 1).min().item<double>() == 1.0);
}

TEST_CASE("The Hunyuan I2V loop reproduces the end-to-end case's denoising", "[hunyuan][denoise]") {
    // hunyuan_pipeline_i2v_e2e ran the real tiny DiT; fed its recorded outputs back, the loop
    // must give the DiT the same inputs and reach the same latents (the DiT and the VAE are
    // checked by their own tests).
    const std::vector<GoldenCase> cases = goldenCases("hunyuan", "hunyuan_i2v_pipeline");
    REQUIRE_FALSE(cases.empty());
    for (const GoldenCase& golden : cases) {
        const SafetensorsReader io(golden.io);
        const HunyuanDenoiseSettings settings = settingsFrom(golden);
        HunyuanDenoiseInputs inputs;
        inputs.imageLatents = io.tensor("out.img_latents");
        inputs.positive = text(io, "");
        const at::Tensor wantX = io.tensor("out.transformer_x");
        const at::Tensor outputs = io.tensor("out.transformer_out");
        const at::Tensor wantLatents = io.tensor("out.latents_after_step");
        REQUIRE(outputs.size(0) == settings.steps);
        const std::array<std::int64_t, 5> shape = hunyuanLatentShape(
            settings.frames, integer(golden, "height"), integer(golden, "width"));
        const bool noiseExact =
            at::equal(hunyuanInitialNoise(shape, settings.seed), io.tensor("in.initial_noise"));
        CHECK(noiseExact);
        double worstX = 0.0;
        double worstLatents = 0.0;
        HunyuanDenoiseObserver observer;
        observer.afterStep = [&](std::int64_t i, const at::Tensor& latents) {
            worstLatents = std::max(worstLatents, relativeError(latents, wantLatents[i]));
        };
        hunyuanDenoise(
            [&](const HunyuanDenoiseCall& call) {
                REQUIRE(call.x.sizes() == wantX[call.step].sizes());
                worstX = std::max(worstX, relativeError(call.x, wantX[call.step]));
                CHECK(call.guidance.min().item<double>() == 6000.0);
                return outputs[call.step];
            },
            inputs, settings, observer);
        CHECK(worstX <= golden.tolerance);
        CHECK(worstLatents <= golden.tolerance);
        std::cout << golden.name << " (denoising loop only, " << settings.steps << " steps): noise "
                  << (noiseExact ? "bit-exact" : "DIFFERS") << ", transformer_x " << worstX
                  << ", latents_after_step " << worstLatents << " (max rel. error over steps)\n";
    }
}
