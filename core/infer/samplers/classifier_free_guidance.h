// Classifier-free guidance as Wan 2.1 applies it (wan/image2video.py generate): the DiT runs
// once with the prompt and once with the negative prompt, and the step uses
// uncond + guide_scale * (cond - uncond). With guidance 1 (step-distilled LoRAs) that is the
// conditional prediction, so the unconditional pass can be skipped.
//
//   at::Tensor flow = classifierFreeGuidance(cond, uncond, 5.0);
//   std::string negative(prompt.negative.empty() ? kWanI2VNegativePrompt : prompt.negative);
//
// Thread-safety: pure functions and constants.
#pragma once

#include <ATen/core/Tensor.h>

#include <string_view>

namespace storyreel::infer {

// generate.py's --sample_guide_scale default.
inline constexpr double kWanDefaultGuideScale = 5.0;

// uncond + guideScale * (cond - uncond), in the reference's operation order.
at::Tensor classifierFreeGuidance(const at::Tensor& cond, const at::Tensor& uncond,
                                  double guideScale);

// False when guideScale is 1: the guided prediction is then cond itself.
bool needsUnconditionalPass(double guideScale);

// wan/configs/shared_config.py sample_neg_prompt (UTF-8), the negative prompt the reference
// uses when none is given. Kept in Chinese, as the model was trained with it.
extern const std::string_view kWanNegativePrompt;
// wan/configs/wan_i2v_14B.py: the I2V model's default, "镜头晃动，" (camera shake) followed by
// kWanNegativePrompt.
extern const std::string_view kWanI2VNegativePrompt;

}  // namespace storyreel::infer
