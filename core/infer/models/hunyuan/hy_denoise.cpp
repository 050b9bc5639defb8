#include "core/infer/models/hunyuan/hy_denoise.h"

#include "core/base/user_error.h"
#include "core/infer/memory/seeded_noise.h"
#include "core/infer/models/hunyuan/hy_i2v_geometry.h"
#include "core/infer/models/hunyuan/hy_latent_preview.h"
#include "core/infer/models/hunyuan/hy_scheduler.h"

#include <ATen/ATen.h>

#include <chrono>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace storyreel::infer::hunyuan {

namespace {

using Clock = std::chrono::steady_clock;

std::string shapeText(const at::Tensor& tensor) {
    if (!tensor.defined()) {
        return "(none)";
    }
    std::ostringstream text;
    text << tensor.sizes();
    return text.str();
}

[[noreturn]] void fail(const std::string& problem) {
    throw UserError("HunyuanVideo denoising: " + problem);
}

void validate(const HunyuanDenoiseSettings& settings) {
    if (settings.steps < 1 || settings.steps > 1000) {
        fail("the number of steps must be between 1 and 1000, not " +
             std::to_string(settings.steps));
    }
    if (!std::isfinite(settings.shift) || !(settings.shift > 0.0) || settings.shift > 100.0) {
        fail("the flow shift must be above 0 and at most 100");
    }
    if (!std::isfinite(settings.cfgScale) || settings.cfgScale < 0.0 || settings.cfgScale > 100.0) {
        fail("the CFG scale must be between 0 and 100");
    }
    if (settings.embeddedGuidance &&
        (!std::isfinite(*settings.embeddedGuidance) || *settings.embeddedGuidance < 0.0 ||
         *settings.embeddedGuidance > 100.0)) {
        fail("the embedded guidance must be between 0 and 100");
    }
}

// One prompt's conditioning: [1, L, D], [1, L], [1, D2].
void validate(const HunyuanTextConditioning& text, const char* which) {
    const std::string name(which);
    if (!text.states.defined() || text.states.dim() != 3 || text.states.size(0) != 1) {
        fail(name + " text states must be [1, L, D], not " + shapeText(text.states));
    }
    if (!text.mask.defined() || text.mask.dim() != 2 || text.mask.size(0) != 1 ||
        text.mask.size(1) != text.states.size(1)) {
        fail(name + " text mask must be [1, " + std::to_string(text.states.size(1)) + "], not " +
             shapeText(text.mask));
    }
    if (!text.states2.defined() || text.states2.dim() != 2 || text.states2.size(0) != 1) {
        fail(name + " pooled text states (text_states_2) must be [1, D2], not " +
             shapeText(text.states2));
    }
}

void checkCancel(const CancelToken* cancel) {
    if (cancel != nullptr) {
        cancel->throwIfCancelled();
    }
}

void report(const HunyuanDenoiseObserver& observer, int step, int steps, double eta) {
    if (observer.progress) {
        observer.progress({Phase::Denoising, step, steps, eta});
    }
}

}  // namespace

at::Tensor hunyuanInitialNoise(const std::array<std::int64_t, 5>& shape, std::uint64_t seed,
                               c10::Device device) {
    return seededNoise(shape, seed, device, at::kFloat);
}

at::Tensor hunyuanStartLatents(const at::Tensor& noise, const at::Tensor& imageLatents,
                               bool stability) {
    if (!stability) {
        return noise.to(at::kFloat);
    }
    // prepare_latents: x1 = img_latents.repeat(1, 1, T, 1, 1); t = torch.tensor([0.999]);
    // latents = x0 * t + x1 * (1 - t), all float32 (1 - t = 0.00099998713).
    const at::Tensor x1 = imageLatents.size(2) == 1
                              ? imageLatents.to(at::kFloat).repeat({1, 1, noise.size(2), 1, 1})
                              : imageLatents.to(at::kFloat);
    const at::Tensor t =
        at::full({1}, kHunyuanStabilityNoiseWeight, noise.options().dtype(at::kFloat));
    return noise.to(at::kFloat) * t + x1 * (1 - t);
}

at::Tensor hunyuanDenoise(const HunyuanDenoiseModel& model, const HunyuanDenoiseInputs& inputs,
                          const HunyuanDenoiseSettings& settings,
                          const HunyuanDenoiseObserver& observer) {
    validate(settings);
    if (!model) {
        throw std::logic_error("hunyuanDenoise: no model was given");
    }
    const at::Tensor& image = inputs.imageLatents;
    if (!image.defined() || image.dim() != 5 || image.size(0) != 1 ||
        image.size(1) != kHunyuanLatentChannels || image.size(2) != 1) {
        fail("the image latents must be [1, 16, 1, h, w], not " + shapeText(image));
    }
    const bool guided = settings.cfgScale > 1.0;  // do_classifier_free_guidance
    validate(inputs.positive, "the prompt's");
    if (guided) {
        validate(inputs.negative, "the negative prompt's");
        if (inputs.negative.states.size(1) != inputs.positive.states.size(1) ||
            inputs.negative.states.size(2) != inputs.positive.states.size(2) ||
            inputs.negative.states2.size(1) != inputs.positive.states2.size(1)) {
            fail("the negative prompt's text states " + shapeText(inputs.negative.states) +
                 " do not match the prompt's " + shapeText(inputs.positive.states));
        }
    }
    const at::NoGradGuard noGrad;
    const c10::Device device = image.device();
    const std::array<std::int64_t, 5> shape =
        hunyuanLatentShape(settings.frames, image.size(3) * kHunyuanVAESpatialFactor,
                           image.size(4) * kHunyuanVAESpatialFactor);

    at::Tensor noise;
    if (inputs.initialNoise.defined()) {
        if (inputs.initialNoise.sizes() != at::IntArrayRef(shape)) {
            fail("the initial noise must be " + shapeText(at::empty(shape)) + ", not " +
                 shapeText(inputs.initialNoise));
        }
        noise = inputs.initialNoise.to(device, at::kFloat);
    } else {
        noise = hunyuanInitialNoise(shape, settings.seed, device);
    }
    const at::Tensor imageLatents = image.to(at::kFloat);
    at::Tensor latents = hunyuanStartLatents(noise, imageLatents, settings.stability);

    // The text batch: [negative; positive] under CFG.
    const auto batchOf = [&](const at::Tensor& negative, const at::Tensor& positive) {
        return guided ? at::cat({negative.to(device), positive.to(device)}) : positive.to(device);
    };
    const at::Tensor textStates = batchOf(inputs.negative.states, inputs.positive.states);
    const at::Tensor textMask = batchOf(inputs.negative.mask, inputs.positive.mask);
    const at::Tensor textStates2 = batchOf(inputs.negative.states2, inputs.positive.states2);
    const std::int64_t batch = guided ? 2 : 1;

    const bool tokenReplace = settings.condition == HunyuanI2VCondition::TokenReplace;
    at::Tensor imageConcat;
    at::Tensor maskConcat;
    if (!tokenReplace) {
        // img_latents_concat: the image latents on frame 0, zeros after; mask_concat: ones on
        // frame 0, zeros after.
        const std::int64_t frames = shape[2];
        imageConcat = imageLatents.repeat({1, 1, frames, 1, 1});
        imageConcat.slice(2, 1).zero_();
        maskConcat = at::ones({1, 1, frames, shape[3], shape[4]}, imageLatents.options());
        maskConcat.slice(2, 1).zero_();
    }

    at::Tensor guidance;
    if (settings.embeddedGuidance) {
        // torch.tensor([g] * B, dtype=float32).to(target_dtype) * 1000.0
        guidance = at::full({batch}, *settings.embeddedGuidance,
                            at::TensorOptions().dtype(at::kFloat).device(device))
                       .to(settings.modelDtype) *
                   kHunyuanGuidanceEmbedFactor;
    }

    FlowMatchDiscreteScheduler scheduler(settings.shift, settings.flowReverse);
    scheduler.setTimesteps(settings.steps);
    const at::Tensor timesteps = scheduler.timesteps();
    const std::int64_t steps = settings.steps;
    const auto started = Clock::now();
    report(observer, 0, static_cast<int>(steps), -1.0);
    for (std::int64_t i = 0; i < steps; ++i) {
        checkCancel(observer.cancel);
        if (tokenReplace) {
            latents = at::cat({imageLatents, latents.slice(2, 1)}, 2);
        }
        at::Tensor input = tokenReplace ? latents : at::cat({latents, imageConcat, maskConcat}, 1);
        if (guided) {
            input = at::cat({input, input});
        }
        const at::Tensor t = timesteps[i];
        HunyuanDenoiseCall call;
        call.step = i;
        call.steps = steps;
        call.x = input;
        call.t = t.repeat({batch}).to(device);
        call.textStates = textStates;
        call.textMask = textMask;
        call.textStates2 = textStates2;
        call.guidance = guidance;
        at::Tensor prediction = model(call);
        const std::vector<std::int64_t> expected = {batch, kHunyuanLatentChannels, shape[2],
                                                    shape[3], shape[4]};
        if (!prediction.defined() || prediction.sizes() != at::IntArrayRef(expected)) {
            fail("the DiT returned " + shapeText(prediction) + " for an input of " +
                 shapeText(input) + "; expected " + shapeText(at::empty(expected)));
        }
        if (guided) {
            // noise_pred_uncond, noise_pred_text = noise_pred.chunk(2)
            const std::vector<at::Tensor> halves = prediction.chunk(2);
            prediction = halves[0] + (halves[1] - halves[0]) * settings.cfgScale;
        }
        const at::Tensor stepped = tokenReplace ? prediction.slice(2, 1) : prediction;
        if (observer.schedulerInput) {
            observer.schedulerInput(i, stepped);
        }
        const at::Tensor before = latents;
        if (tokenReplace) {
            latents = at::cat({imageLatents, scheduler.step(stepped, t, latents.slice(2, 1))}, 2);
        } else {
            latents = scheduler.step(stepped, t, latents);
        }
        if (observer.afterStep) {
            observer.afterStep(i, latents);
        }
        if (observer.preview) {
            // The flow predicts noise - x0 with x = (1 - sigma) x0 + sigma noise, so the clean
            // latent it implies is x - sigma * v (reverse schedule: sigma runs 1 -> 0).
            at::Tensor clean = latents;
            if (settings.flowReverse) {
                const double sigma = scheduler.sigmas()[i].item<double>();
                clean = before - prediction.to(at::kFloat) * sigma;
                if (tokenReplace) {
                    clean.slice(2, 0, 1).copy_(imageLatents);
                }
            }
            observer.preview(hunyuanLatentPreview(clean));
        }
        const std::int64_t done = i + 1;
        const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
        report(observer, static_cast<int>(done), static_cast<int>(steps),
               elapsed / static_cast<double>(done) * static_cast<double>(steps - done));
    }
    return latents;
}

}  // namespace storyreel::infer::hunyuan
