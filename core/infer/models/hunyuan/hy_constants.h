// The fixed values of HunyuanVideo-I2V's released image-to-video setup, read from the
// reference (Tencent/HunyuanVideo-I2V e44c1d9): the LLaVA prompt template and its crop
// positions (hyvideo/constants.py PROMPT_TEMPLATE["dit-llm-encode-video-i2v"]), the I2V
// negative prompt (NEGATIVE_PROMPT_I2V), the defaults of scripts/run_sample_image2video_*.sh
// and hyvideo/config.py (50 steps, 129 frames, flow shift 7 with --i2v-stability and 17
// without, embedded guidance 6, cfg 1, 720p), and the VAE's scaling factor (the released
// vae/config.json, not the class default 0.18215).
//
//   double shift = hunyuanDefaultShift(/*stability=*/true);             // 7.0
//
// Thread-safety: constants and pure functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace storyreel::infer::hunyuan {

// PROMPT_TEMPLATE_ENCODE_VIDEO_I2V: the prompt goes where "{}" stands; "<image>" is where
// LLaVA inserts the image's 576 patch features.
extern const std::string_view kHunyuanI2VPromptTemplate;
// Token positions in the tokenized template ("dit-llm-encode-video-i2v"): the text part of
// the hidden states starts at crop_start; the image features sit at [5, 581).
inline constexpr std::int64_t kHunyuanI2VCropStart = 103;
inline constexpr std::int64_t kHunyuanI2VImageEmbedStart = 5;
inline constexpr std::int64_t kHunyuanI2VImageEmbedEnd = 581;
inline constexpr std::int64_t kHunyuanI2VImageEmbedLength = 576;
inline constexpr std::int64_t kHunyuanDoubleReturnTokenId = 271;  // "\n\n" in Llama-3
// --text-len: the prompt's token budget after crop_start (max_length = 256 + 103).
inline constexpr std::int64_t kHunyuanTextLength = 256;
// CLIP-L's token budget (text_encoder_2, --text-len-2).
inline constexpr std::int64_t kHunyuanClipTextLength = 77;
// Every image_embed_interleave-th image token reaches the DiT: 4 for token_replace, 2 for
// latent_concat (hyvideo/inference.py from_pretrained, from i2v_condition_type).
inline constexpr std::int64_t kHunyuanImageEmbedInterleaveTokenReplace = 4;
inline constexpr std::int64_t kHunyuanImageEmbedInterleaveLatentConcat = 2;

// NEGATIVE_PROMPT_I2V: used when cfg_scale > 1 and no negative prompt is given (with a black
// image of the input image's size for LLaVA); at cfg_scale 1 the negative prompt is "".
extern const std::string_view kHunyuanNegativePromptI2V;

// The released I2V defaults (sample_image2video.py with scripts/run_sample_image2video_*.sh).
inline constexpr std::int64_t kHunyuanDefaultSteps = 50;
inline constexpr std::int64_t kHunyuanDefaultFrames = 129;
inline constexpr std::int64_t kHunyuanDefaultFps = 24;         // save_videos_grid(fps=24)
inline constexpr double kHunyuanShiftStable = 7.0;             // with --i2v-stability
inline constexpr double kHunyuanShiftDynamic = 17.0;           // without (and config.py default)
inline constexpr double kHunyuanShiftLora = 5.0;               // run_sample_image2video_lora.sh
inline constexpr double kHunyuanEmbeddedGuidance = 6.0;        // --embedded-cfg-scale
inline constexpr double kHunyuanGuidanceEmbedFactor = 1000.0;  // guidance_expand = g * 1000
inline constexpr double kHunyuanDefaultCfgScale = 1.0;         // --cfg-scale: no CFG
inline constexpr bool kHunyuanDefaultFlowReverse = true;       // --flow-reverse in every script
// prepare_latents with i2v_stability: latents = noise * 0.999 + image_latents * (1 - 0.999).
inline constexpr double kHunyuanStabilityNoiseWeight = 0.999;

// The VAE (884-16c-hy): latents = vae.encode(x).mode() * 0.476986; decode(latents / 0.476986).
inline constexpr double kHunyuanVAEScalingFactor = 0.476986;
inline constexpr std::int64_t kHunyuanLatentChannels = 16;
inline constexpr std::int64_t kHunyuanVAETemporalFactor = 4;  // "884": 4x in time
inline constexpr std::int64_t kHunyuanVAESpatialFactor = 8;   // 8x in height and width

// The flow shift the scripts use: 7.0 with --i2v-stability, 17.0 without.
double hunyuanDefaultShift(bool stability);

}  // namespace storyreel::infer::hunyuan
