// A tiny HunyuanVideo-I2V models folder in each layout users download, every one holding the
// same tiny weights (TinyHunyuanWeights of tiny_hunyuan_models.h):
//
// - official (Tencent/HunyuanVideo-I2V ckpts/ as its README downloads them):
//   hunyuan-video-i2v-720p/transformers/mp_rank_00_model_states.pt ({"module": state_dict},
//   bfloat16), hunyuan-video-i2v-720p/vae/pytorch_model.pt ({"state_dict": {"vae.<name>"}},
//   float32) + vae/config.json, text_encoder_i2v/ (xtuner/llava-llama-3-8b-v1_1-transformers:
//   config.json, model-0000N-of-00002.safetensors + index, float16, tokenizer.json,
//   preprocessor_config.json), text_encoder_2/ (openai/clip-vit-large-patch14: config.json,
//   model.safetensors with text_model.* in float32, vocab.json, merges.txt);
// - comfyui (Comfy-Org/HunyuanVideo_repackaged split_files/): diffusion_models/
//   hunyuan_video_v2_replace_image_to_video_720p_bf16.safetensors and
//   vae/hunyuan_video_vae_bf16.safetensors (reference names, bfloat16),
//   text_encoders/clip_l.safetensors (text_model.*, float16),
//   text_encoders/llava_llama3_fp16.safetensors (the text-only Llama: model.*, lm_head.*),
//   clip_vision/llava_llama3_vision.safetensors (vision_model.* and multi_modal_projector.*,
//   float16); ComfyUI keeps its tokenizers in its source tree, so they are copied to
//   text_encoders/llama_tokenizer/tokenizer.json and text_encoders/sd1_tokenizer/;
// - gguf-q8_0, gguf-q4_k (city96/HunyuanVideo-I2V-gguf): the DiT as
//   unet/hunyuan-video-i2v-720p-{Q8_0,Q4_K_M}.gguf (general.architecture "hyvid", reference
//   names, 1-D and small tensors F32, the 5-D img_in F32, rows that do not split into blocks
//   F16, the other matrices quantised) beside the comfyui layout's split_files/ without its DiT;
// - diffusers (hunyuanvideo-community/HunyuanVideo-I2V): model_index.json, transformer/
//   (HunyuanVideoTransformer3DModel names: q/k/v and linear1 split, final modulation halves
//   swapped; sharded, bfloat16, config.json), vae/ (AutoencoderKLHunyuanVideo: the reference
//   names, float32, its config.json with diffusers' block type names), text_encoder/ (LLaVA as
//   in the official layout), text_encoder_2/ (CLIPTextModel, float16, CLIPTextConfig),
//   tokenizer/tokenizer.json, tokenizer_2/{vocab.json, merges.txt},
//   image_processor/preprocessor_config.json.
//
// Every layout but the GGUF DiTs stores the values losslessly (they are exact in float16 and
// bfloat16); the GGUF DiTs decode to what tinyHunyuanGgufDit() gives.
//
//   writeTinyHunyuanLayout(dir, TinyHunyuanLayout::ComfyUI);
//   const TinyHunyuanFiles files = tinyHunyuanFiles(TinyHunyuanLayout::ComfyUI);  // relative
//
// Thread-safety: writes files; test thread only.
#pragma once

#include "tests/core/infer/hunyuan/tiny_hunyuan_models.h"
#include "tests/core/infer/wan/tiny_wan_gguf.h"

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace storyreel::test {

enum class TinyHunyuanLayout { Official, ComfyUI, GgufQ8_0, GgufQ4_K, Diffusers };

const std::vector<TinyHunyuanLayout>& allTinyHunyuanLayouts();
// "official", "comfyui", "gguf-q8_0", "gguf-q4_k", "diffusers" (the tool's --layout names).
std::string_view tinyHunyuanLayoutName(TinyHunyuanLayout layout);
std::optional<TinyHunyuanLayout> tinyHunyuanLayoutNamed(std::string_view name);

// Where a layout puts each component, relative to its folder. `llavaVision` is empty where
// the LLaVA file holds its vision tower (official); `clipTokenizer` is a folder with
// vocab.json and merges.txt.
struct TinyHunyuanFiles {
    std::filesystem::path dit, vae, vaeConfig, llava, llavaConfig, llavaVision, llavaTokenizer,
        llavaPreprocessor, clipText, clipTextConfig, clipTokenizer;
};
TinyHunyuanFiles tinyHunyuanFiles(TinyHunyuanLayout layout);

// The GGUF DiT's tensors as written for `quant` (with the values they decode to).
GgufTensors tinyHunyuanGgufDit(GgufQuant quant);

// Writes the folder for `layout` into `dir` (created).
void writeTinyHunyuanLayout(const std::filesystem::path& dir, TinyHunyuanLayout layout);

}  // namespace storyreel::test
