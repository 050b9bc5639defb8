#include "core/infer/samplers/classifier_free_guidance.h"

#include <ATen/ATen.h>

namespace storyreel::infer {

// Split after full-width commas only, so that every literal holds whole UTF-8 characters.
#define STORYREEL_WAN_NEGATIVE_PROMPT                        \
    "色调艳丽，过曝，静态，细节模糊不清，" \
    "字幕，风格，作品，画作，画面，静止，" \
    "整体发灰，最差质量，低质量，"             \
    "JPEG压缩残留，丑陋的，残缺的，"            \
    "多余的手指，画得不好的手部，"             \
    "画得不好的脸部，畸形的，毁容的，"       \
    "形态畸形的肢体，手指融合，"                \
    "静止不动的画面，杂乱的背景，三条腿，" \
    "背景人很多，倒着走"

const std::string_view kWanNegativePrompt = STORYREEL_WAN_NEGATIVE_PROMPT;
const std::string_view kWanI2VNegativePrompt = "镜头晃动，" STORYREEL_WAN_NEGATIVE_PROMPT;

#undef STORYREEL_WAN_NEGATIVE_PROMPT

at::Tensor classifierFreeGuidance(const at::Tensor& cond, const at::Tensor& uncond,
                                  double guideScale) {
    // noise_pred = noise_pred_uncond + guide_scale * (noise_pred_cond - noise_pred_uncond)
    return uncond + guideScale * (cond - uncond);
}

bool needsUnconditionalPass(double guideScale) {
    return guideScale != 1.0;
}

}  // namespace storyreel::infer
