// HunyuanVideo-I2V's denoising loop, as hyvideo/diffusion/pipelines/pipeline_hunyuan_video.py
// HunyuanVideoPipeline.__call__ runs it for image-to-video, with the DiT as a callable so the
// engine plugs in HunyuanDiT and tests plug in a probe:
// - latents: noise [1, 16, T, h, w] drawn from the seed on a CPU generator (seededNoise, as
//   torch.randn with torch.Generator('cpu').manual_seed(seed)) or given; with stability,
//   noise * 0.999 + image_latents * (1 - 0.999) (float32 t = 0.999, repeated over frames);
// - each step: under token_replace latent frame 0 := image latents; under latent_concat the
//   DiT input is cat([latents, image latents on frame 0 / zeros, mask 1 on frame 0 / 0], 1)
//   (33 channels); under CFG (cfg scale > 1) the batch is doubled [uncond, cond] with the
//   negative conditioning first; t repeated; guidance = embedded guidance * 1000 per row;
//   noise_pred = uncond + scale * (cond - uncond); the FlowMatchDiscreteScheduler step runs
//   on frames 1: only under token_replace (image latents put back in front), on all frames
//   under latent_concat.
// Progress per step with an ETA, a latent preview, the latents after every step, and
// cancellation at the next step, as WanI2VPipeline::denoise does.
//
//   HunyuanDenoiseModel dit = [&](const HunyuanDenoiseCall& c) { return model.forward(...); };
//   at::Tensor latents = hunyuanDenoise(dit, inputs, settings, observer);  // [1, 16, T, h, w]
//
// Thread-safety: one call at a time per model callable; the CancelToken may be set from any
// thread.
#pragma once

#include "core/base/cancel_token.h"
#include "core/base/progress.h"
#include "core/infer/models/hunyuan/hy_constants.h"
#include "core/infer/models/hunyuan/hy_i2v_condition.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

namespace storyreel::infer::hunyuan {

// What the DiT receives at one step (HYVideoDiffusionTransformer.forward's arguments).
struct HunyuanDenoiseCall {
    std::int64_t step = 0;   // 0-based
    std::int64_t steps = 0;  // the schedule's length
    at::Tensor x;            // float32 [B, 16 | 33, T, h, w]; B = 2 under CFG ([uncond, cond])
    at::Tensor t;            // float32 [B], timesteps[step] repeated
    at::Tensor textStates;   // [B, L, D] (LLaVA), negative rows first under CFG
    at::Tensor textMask;     // [B, L]
    at::Tensor textStates2;  // [B, D2] (CLIP pooled)
    at::Tensor guidance;     // [B] = embedded guidance * 1000 in the model dtype; undefined
                             // when there is no embedded guidance
};

// Returns the noise prediction [B, 16, T, h, w] (any floating dtype, the input's device).
using HunyuanDenoiseModel = std::function<at::Tensor(const HunyuanDenoiseCall&)>;

// The text conditioning of one prompt (batch 1 each), as the text encoders give it.
struct HunyuanTextConditioning {
    at::Tensor states;   // [1, L, D]
    at::Tensor mask;     // [1, L] (int64 or bool; passed through)
    at::Tensor states2;  // [1, D2]
};

struct HunyuanDenoiseSettings {
    std::int64_t frames = kHunyuanDefaultFrames;  // video frames, 4n+1
    std::int64_t steps = kHunyuanDefaultSteps;
    double shift = kHunyuanShiftStable;
    bool flowReverse = kHunyuanDefaultFlowReverse;
    // --embedded-cfg-scale; empty: the DiT gets no guidance (a model without guidance_in).
    std::optional<double> embeddedGuidance = kHunyuanEmbeddedGuidance;
    double cfgScale = kHunyuanDefaultCfgScale;  // > 1: classifier-free guidance
    HunyuanI2VCondition condition = HunyuanI2VCondition::TokenReplace;
    bool stability = true;  // --i2v-stability
    std::uint64_t seed = 0;
    // The reference's target dtype (--precision): guidance_expand is made in it before the
    // * 1000 (bf16 rounds 6000 to 6016, as the reference does). float32 by default.
    c10::ScalarType modelDtype = c10::kFloat;
};

struct HunyuanDenoiseInputs {
    // vae.encode(image).mode() * 0.476986: [1, 16, 1, h, w]; its device is the run's device.
    at::Tensor imageLatents;
    HunyuanTextConditioning positive;
    HunyuanTextConditioning negative;  // needed only when cfgScale > 1
    // [1, 16, T, h, w] to use instead of drawing from the seed (the stability mix still
    // applies); undefined: seededNoise(shape, seed).
    at::Tensor initialNoise;
};

struct HunyuanDenoiseObserver {
    ProgressSink progress;  // Denoising, step i of n with an ETA
    // uint8 [h, w, 3] at latent resolution after every step (of the predicted clean latent).
    std::function<void(const at::Tensor& rgb)> preview;
    // The latents after step `step` (what callback_on_step_end sees): [1, 16, T, h, w].
    std::function<void(std::int64_t step, const at::Tensor& latents)> afterStep;
    // For tests: the model_output the scheduler step receives (after CFG; frames 1: only
    // under token_replace).
    std::function<void(std::int64_t step, const at::Tensor& modelOutput)> schedulerInput;
    const CancelToken* cancel = nullptr;
};

// The noise the run draws for `seed`: torch.randn(shape, generator=Generator('cpu')
// .manual_seed(seed)) in float32, moved to `device`.
at::Tensor hunyuanInitialNoise(const std::array<std::int64_t, 5>& shape, std::uint64_t seed,
                               c10::Device device = c10::Device(c10::kCPU));

// prepare_latents: the noise, or with stability noise * 0.999 + imageLatents * (1 - 0.999)
// (float32 weights; imageLatents [1, 16, 1, h, w] repeated over the frames).
at::Tensor hunyuanStartLatents(const at::Tensor& noise, const at::Tensor& imageLatents,
                               bool stability);

// Runs the loop; returns the final latents, float32 [1, 16, T, h, w] on the image latents'
// device. Throws UserError for bad settings or inputs (naming the tensor and its shape),
// Cancelled when asked to stop.
at::Tensor hunyuanDenoise(const HunyuanDenoiseModel& model, const HunyuanDenoiseInputs& inputs,
                          const HunyuanDenoiseSettings& settings,
                          const HunyuanDenoiseObserver& observer = {});

}  // namespace storyreel::infer::hunyuan
