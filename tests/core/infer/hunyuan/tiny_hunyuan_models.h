// The tiny HunyuanVideo-I2V model for tests: random weights of every component under the
// reference's own names (TinyHunyuanWeights), sized with the released head widths so that a
// file without its config is sized from its tensor shapes, and the configs and tokenizer
// files a models folder holds beside them. tiny_hunyuan_layouts.h writes them in the layouts
// users download.
//
// - DiT (hyvideo/modules/models.py HYVideoDiffusionTransformer, token_replace): hidden 256 =
//   2 heads of 128 (so HunyuanDiTConfig::fromCheckpoint picks rope [16, 56, 56]), mlp ratio
//   4, 1 double + 1 single block, in/out 16, patch 1x2x2, guidance_in, text_states_dim 256
//   (the Llama width), text_states_dim_2 128 (the CLIP text width);
// - VAE (hyvideo/vae AutoencoderKLCausal3D): block_out_channels [32, 32, 32, 32], 2 layers
//   per block, latent 16, 32 groups (released), scaling factor 0.476986;
// - LLaVA (transformers 4.39 LlavaForConditionalGeneration): Llama hidden 256 = 2 heads of
//   128, 1 KV head, 4 layers, intermediate 512, vocab 320, rope theta 500000; CLIP vision
//   tower hidden 128 = 2 heads of 64, 2 layers, intermediate 256, 56 px images in 14 px
//   patches (16 image tokens), quick_gelu; gelu projector 128 -> 256 -> 256; <image> 310,
//   <pad> 311;
// - CLIP-L text (transformers CLIPTextModel): vocab 544, hidden 128 = 2 heads of 64, 2
//   layers, intermediate 256, 77 positions, quick_gelu, eos <|endoftext|> 543;
// - tokenizers: tests/data/tokenizers/llama_small with <image> and <pad> added (as xtuner's
//   tokenizer.json lists them), tests/data/tokenizers/clip_small.
//
// Every value is a multiple of a power of two that float16 and bfloat16 both hold exactly,
// so every lossless layout (float32, float16, bfloat16) reads back the same float32 values.
//
//   const TinyHunyuanWeights w = tinyHunyuanWeights();   // seeded: the same every call
//   writeText(dir / "vae" / "config.json", tinyHunyuanVaeConfigJson());
//
// Thread-safety: seeds LibTorch's global generator; test thread only.
#pragma once

#include "core/infer/models/hunyuan/hy_prompt_crop.h"
#include "tests/core/infer/lora/safetensors_writer.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace storyreel::test {

inline constexpr std::int64_t kTinyLlavaImageTokenId = 310;
inline constexpr std::int64_t kTinyLlavaPadTokenId = 311;
inline constexpr std::int64_t kTinyLlavaVocab = 320;
inline constexpr std::int64_t kTinyClipVocab = 544;
inline constexpr std::int64_t kTinyClipStartOfText = 542;
inline constexpr std::int64_t kTinyClipEndOfText = 543;  // the highest id, as in CLIP's vocabulary

// Every component under the reference's names, float32.
struct TinyHunyuanWeights {
    NamedTensors dit;       // double_blocks.*, single_blocks.*, txt_in.*, ...
    NamedTensors vae;       // encoder.*, decoder.*, quant_conv.*, post_quant_conv.*
    NamedTensors llava;     // language_model.*, vision_tower.vision_model.*,
                            // multi_modal_projector.*
    NamedTensors clipText;  // text_model.*
};

NamedTensors tinyHunyuanDit();
NamedTensors tinyHunyuanVae();
NamedTensors tinyHunyuanLlava();
NamedTensors tinyHunyuanClipText();
TinyHunyuanWeights tinyHunyuanWeights();

// vae/config.json (diffusers-style, as the released one).
std::string tinyHunyuanVaeConfigJson();
// text_encoder_i2v/config.json: a transformers LlavaConfig with text_config and vision_config.
std::string tinyLlavaConfigJson();
// text_encoder_i2v/preprocessor_config.json: CLIPImageProcessor at 56 px.
std::string tinyLlavaPreprocessorJson();
// text_encoder_2/config.json: a transformers CLIPConfig with text_config.
std::string tinyClipTextConfigJson();

// llama_small's tokenizer.json with "<image>" = 310 and "<pad>" = 311 added.
std::string tinyLlavaTokenizerJson();
void writeTinyLlavaTokenizer(const std::filesystem::path& tokenizerJson);
// clip_small's vocab.json and merges.txt into `folder`.
void writeTinyClipTokenizer(const std::filesystem::path& folder);

// The video I2V template's cropping fields as the tiny LLaVA tokenizer splits the template
// (hyvideo/constants.py's 103 / 5 / 581 / 576 / 271 hold for Llama-3's tokenizer and the
// 576 image tokens of a 336 px tower only): crop_start 402 (bos and the template before
// the prompt, spelled mostly byte by byte), image_emb_start 10, image_emb_len 16 (56 px in
// 14 px patches), image_emb_end 26, double_return_token_id 276 ("\n\n"). Computed here from
// the tokenizer on its own, to check the engine's hunyuanPromptCrop against.
infer::hunyuan::HunyuanPromptTemplate tinyHunyuanPromptTemplate();

}  // namespace storyreel::test
