// A tiny Wan 2.1 I2V models folder in each layout users download, every one holding the
// same tiny weights (TinyWanWeights), so that an end-to-end run can compare the layouts:
//
// - official (Wan-AI/Wan2.1-I2V-14B-480P): the DiT as sharded float32 safetensors
//   (diffusion_pytorch_model-0000N-of-00002 + .index.json) with config.json, Wan2.1_VAE.pth
//   (float32), models_t5_umt5-xxl-enc-bf16.pth (bfloat16),
//   models_clip_open-clip-xlm-roberta-large-vit-huge-14.pth (float16), google/umt5-xxl/;
// - comfyui-fp16, comfyui-bf16, comfyui-fp8-scaled (Comfy-Org/Wan_2.1_ComfyUI_repackaged
//   split_files/): diffusion_models/wan2.1_i2v_480p_14B_{fp16,bf16,fp8_scaled}.safetensors
//   (fp16 and fp8 under model.diffusion_model., bf16 bare, as both circulate),
//   vae/wan_2.1_vae.safetensors (bf16), text_encoders/umt5_xxl_fp16.safetensors (or
//   umt5_xxl_fp8_e4m3fn_scaled beside the fp8 DiT; transformers names, the tokenizer
//   embedded as spiece_model, so no tokenizer folder),
//   clip_vision/clip_vision_h.safetensors (transformers CLIPVisionModel names, fp16);
// - diffusers (Wan-AI/Wan2.1-I2V-14B-480P-Diffusers): transformer/ (sharded, diffusers
//   names, config.json), vae/, text_encoder/ (UMT5EncoderModel, sharded, bf16),
//   image_encoder/ (CLIPVisionModel, q/k/v split), tokenizer/;
// - gguf-q8_0, gguf-q4_k (city96/Wan2.1-I2V-14B-480P-gguf): the DiT as
//   wan2.1-i2v-14b-480p-{Q8_0,Q4_K_M}.gguf beside the ComfyUI VAE and CLIP; the Q8_0 folder
//   takes city96's umt5-xxl-encoder-Q8_0.gguf (llama.cpp names) and google/umt5-xxl/, the
//   Q4_K one ComfyUI's fp16 umT5.
//
// The weights: a random I2V DiT with the released head width (dim 256 = 2 heads of 128, so
// that a file without config.json is sized from its shapes as ComfyUI does), the golden
// VAE and umT5, the random CLIP of tiny_wan_models.h. DiT values are exact in float16 and
// the others exact in float16 and bfloat16, so the official, diffusers and comfyui-fp16
// folders hold exactly the same float32 values; bf16, fp8 and GGUF DiTs round them.
//
//   writeTinyWanLayout(dir, TinyWanLayout::Diffusers);
//   for (TinyWanLayout layout : allTinyWanLayouts()) use(tinyWanLayoutName(layout));
//
// Thread-safety: writes files; test thread only.
#pragma once

#include "core/infer/models/wan/unigram_json.h"
#include "tests/core/infer/wan/tiny_wan_files.h"
#include "tests/core/infer/wan/tiny_wan_gguf.h"
#include "tests/core/infer/wan/tiny_wan_models.h"
#include "tests/core/infer/wan/tiny_wan_renames.h"

#include <ATen/ATen.h>

#include <cmath>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::test {

enum class TinyWanLayout {
    Official,
    ComfyFp16,
    ComfyBf16,
    ComfyFp8Scaled,
    Diffusers,
    GgufQ8_0,
    GgufQ4_K,
};

inline const std::vector<TinyWanLayout>& allTinyWanLayouts() {
    static const std::vector<TinyWanLayout> layouts = {
        TinyWanLayout::Official,       TinyWanLayout::ComfyFp16, TinyWanLayout::ComfyBf16,
        TinyWanLayout::ComfyFp8Scaled, TinyWanLayout::Diffusers, TinyWanLayout::GgufQ8_0,
        TinyWanLayout::GgufQ4_K};
    return layouts;
}

inline std::string_view tinyWanLayoutName(TinyWanLayout layout) {
    switch (layout) {
        case TinyWanLayout::Official:
            return "official";
        case TinyWanLayout::ComfyFp16:
            return "comfyui-fp16";
        case TinyWanLayout::ComfyBf16:
            return "comfyui-bf16";
        case TinyWanLayout::ComfyFp8Scaled:
            return "comfyui-fp8-scaled";
        case TinyWanLayout::Diffusers:
            return "diffusers";
        case TinyWanLayout::GgufQ8_0:
            return "gguf-q8_0";
        case TinyWanLayout::GgufQ4_K:
            return "gguf-q4_k";
    }
    return "";
}

inline std::optional<TinyWanLayout> tinyWanLayoutNamed(std::string_view name) {
    for (const TinyWanLayout layout : allTinyWanLayouts()) {
        if (tinyWanLayoutName(layout) == name) {
            return layout;
        }
    }
    return std::nullopt;
}

// The tiny DiT's sizes; num_heads is dim / 128 as in every release.
struct TinyWanDitSize {
    std::int64_t dim = 256, ffnDim = 512, layers = 2, inDim = 36, outDim = 16, textDim = 32,
                 freqDim = 256, imageDim = 1280;
};

// wan/modules/model.py WanModel (i2v) with random weights: matrices ~ 1/sqrt(fan-in), norm
// gains near 1, small biases, modulation ~ 1/sqrt(dim) as WanModel initialises it.
inline NamedTensors tinyWanRandomDit(const TinyWanDitSize& s = {}) {
    at::manual_seed(2100);
    const auto matrix = [](std::int64_t out, std::int64_t in) {
        return at::randn({out, in}) / std::sqrt(static_cast<double>(in));
    };
    const auto bias = [](std::int64_t n) { return 0.02 * at::randn({n}); };
    const auto gain = [](std::int64_t n) { return 1.0 + 0.1 * at::randn({n}); };
    NamedTensors t;
    const auto linear = [&](const std::string& name, std::int64_t out, std::int64_t in) {
        t.emplace_back(name + ".weight", matrix(out, in));
        t.emplace_back(name + ".bias", bias(out));
    };
    const auto layerNorm = [&](const std::string& name, std::int64_t n) {
        t.emplace_back(name + ".weight", gain(n));
        t.emplace_back(name + ".bias", bias(n));
    };
    const std::int64_t d = s.dim;
    t.emplace_back("patch_embedding.weight",
                   at::randn({d, s.inDim, 1, 2, 2}) / std::sqrt(4.0 * s.inDim));
    t.emplace_back("patch_embedding.bias", bias(d));
    linear("text_embedding.0", d, s.textDim);
    linear("text_embedding.2", d, d);
    linear("time_embedding.0", d, s.freqDim);
    linear("time_embedding.2", d, d);
    linear("time_projection.1", 6 * d, d);
    for (std::int64_t i = 0; i < s.layers; ++i) {
        const std::string b = "blocks." + std::to_string(i) + ".";
        t.emplace_back(b + "modulation", at::randn({1, 6, d}) / std::sqrt(static_cast<double>(d)));
        for (const char* attn : {"self_attn", "cross_attn"}) {
            for (const char* proj : {"q", "k", "v", "o"}) {
                linear(b + attn + "." + proj, d, d);
            }
            t.emplace_back(b + attn + ".norm_q.weight", gain(d));
            t.emplace_back(b + attn + ".norm_k.weight", gain(d));
        }
        linear(b + "cross_attn.k_img", d, d);
        linear(b + "cross_attn.v_img", d, d);
        t.emplace_back(b + "cross_attn.norm_k_img.weight", gain(d));
        layerNorm(b + "norm3", d);
        linear(b + "ffn.0", s.ffnDim, d);
        linear(b + "ffn.2", d, s.ffnDim);
    }
    t.emplace_back("head.modulation", at::randn({1, 2, d}) / std::sqrt(static_cast<double>(d)));
    linear("head.head", s.outDim * 4, d);
    layerNorm("img_emb.proj.0", s.imageDim);
    linear("img_emb.proj.1", s.imageDim, s.imageDim);
    linear("img_emb.proj.3", d, s.imageDim);
    layerNorm("img_emb.proj.4", d);
    for (auto& [name, tensor] : t) {
        tensor = exactInHalf(tensor);
    }
    return t;
}

// The official config.json keys (Wan2.1-I2V-14B-480P/config.json) for the tiny sizes, with
// text_dim too: the official file leaves it to WanModel's default (4096, the released umT5
// width), which the tiny umT5 does not have.
inline std::string tinyWanOfficialConfig(const TinyWanDitSize& s = {}) {
    return "{\"_class_name\": \"WanModel\", \"_diffusers_version\": \"0.30.0\", \"dim\": " +
           std::to_string(s.dim) + ", \"eps\": 1e-06, \"ffn_dim\": " + std::to_string(s.ffnDim) +
           ", \"freq_dim\": " + std::to_string(s.freqDim) +
           ", \"in_dim\": " + std::to_string(s.inDim) +
           ", \"model_type\": \"i2v\", \"num_heads\": " + std::to_string(s.dim / 128) +
           ", \"num_layers\": " + std::to_string(s.layers) +
           ", \"out_dim\": " + std::to_string(s.outDim) +
           ", \"text_dim\": " + std::to_string(s.textDim) + ", \"text_len\": 512}";
}

// diffusers' transformer/config.json (WanTransformer3DModel) for the tiny sizes.
inline std::string tinyWanDiffusersConfig(const TinyWanDitSize& s = {}) {
    return "{\"_class_name\": \"WanTransformer3DModel\", \"_diffusers_version\": \"0.33.0\", "
           "\"added_kv_proj_dim\": " +
           std::to_string(s.dim) +
           ", \"attention_head_dim\": 128, \"cross_attn_norm\": true, \"eps\": 1e-06, "
           "\"ffn_dim\": " +
           std::to_string(s.ffnDim) + ", \"freq_dim\": " + std::to_string(s.freqDim) +
           ", \"image_dim\": " + std::to_string(s.imageDim) +
           ", \"in_channels\": " + std::to_string(s.inDim) +
           ", \"num_attention_heads\": " + std::to_string(s.dim / 128) +
           ", \"num_layers\": " + std::to_string(s.layers) +
           ", \"out_channels\": " + std::to_string(s.outDim) +
           ", \"patch_size\": [1, 2, 2], \"qk_norm\": \"rms_norm_across_heads\", "
           "\"rope_max_seq_len\": 1024, \"text_dim\": " +
           std::to_string(s.textDim) + "}";
}

// Every component under the official names, float32.
struct TinyWanWeights {
    NamedTensors dit, vae, textEncoder, imageEncoder;
};

inline NamedTensors roundedForAllLayouts(NamedTensors tensors) {
    for (auto& [name, tensor] : tensors) {
        tensor = exactInHalfAndBfloat16(tensor.to(at::kFloat));
    }
    return tensors;
}

inline TinyWanWeights tinyWanWeights() {
    const std::filesystem::path golden = goldenDir() / "wan";
    TinyWanWeights w;
    w.dit = tinyWanRandomDit();
    w.vae = roundedForAllLayouts(readTensors(golden / "wan_vae.weights.safetensors"));
    w.textEncoder =
        roundedForAllLayouts(readTensors(golden / "wan_t5_encoder.weights.safetensors"));
    w.imageEncoder = roundedForAllLayouts(tinyClipTensors());
    return w;
}

// ComfyUI scaled fp8: the 2-D `.weight` matrices as float8_e4m3fn with their scale_weight,
// the rest float16, and the `scaled_fp8` marker (an empty float8 tensor).
inline StoredTensors comfyScaledFp8(const NamedTensors& tensors, const std::string& prefix) {
    StoredTensors out;
    out.push_back({prefix + "scaled_fp8", "F8_E4M3", {0}, {}});
    for (const auto& [name, tensor] : tensors) {
        const bool matrix = tensor.dim() == 2 && name.size() > 7 &&
                            name.compare(name.size() - 7, 7, ".weight") == 0;
        if (matrix) {
            ScaledFp8 fp8 = scaledFp8(prefix + name, tensor);
            out.push_back(std::move(fp8.weight));
            out.push_back(std::move(fp8.scale));
        } else {
            out.push_back(storedAs(prefix + name, tensor, at::kHalf));
        }
    }
    return out;
}

inline void writeOfficialLayout(const std::filesystem::path& dir, const TinyWanWeights& w) {
    writeSharded(dir, "diffusion_pytorch_model", storedAs(w.dit, at::kFloat), 2);
    writeText(dir / "config.json", tinyWanOfficialConfig());
    writeStateDictPth(dir / "Wan2.1_VAE.pth", w.vae, at::kFloat);
    writeStateDictPth(dir / "models_t5_umt5-xxl-enc-bf16.pth", w.textEncoder, at::kBFloat16);
    writeStateDictPth(dir / "models_clip_open-clip-xlm-roberta-large-vit-huge-14.pth",
                      w.imageEncoder, at::kHalf);
    writeTinyTokenizer(dir / "google" / "umt5-xxl" / "tokenizer.json");
}

// The VAE and CLIP every ComfyUI-style folder shares.
inline void writeComfyCompanions(const std::filesystem::path& split, const TinyWanWeights& w) {
    writeStored(split / "vae" / "wan_2.1_vae.safetensors", storedAs(w.vae, at::kBFloat16));
    writeStored(split / "clip_vision" / "clip_vision_h.safetensors",
                storedAs(clipVisualToTransformers(w.imageEncoder), at::kHalf));
}

// ComfyUI's umT5 files carry the tokenizer: `spiece_model`, the bytes of the SentencePiece
// model as a uint8 tensor (comfy/text_encoders/wan.py UMT5XXlTokenizer.state_dict). Here
// the ModelProto the tiny tokenizer.json stands for, so both give the same ids.
inline StoredTensor comfySpieceModel() {
    const std::string proto =
        infer::wan::unigramModelFromTokenizerJson(tinyTokenizerJson()).serializedModelProto;
    return {"spiece_model", "U8", {static_cast<std::int64_t>(proto.size())}, proto};
}

inline void writeComfyUmt5(const std::filesystem::path& path, StoredTensors tensors) {
    tensors.push_back(comfySpieceModel());
    writeStored(path, tensors);
}

inline void writeComfyLayout(const std::filesystem::path& dir, TinyWanLayout layout,
                             const TinyWanWeights& w) {
    const std::filesystem::path split = dir / "split_files";
    const std::filesystem::path models = split / "diffusion_models";
    const std::string prefix = "model.diffusion_model.";
    const NamedTensors t5 = umt5ToTransformers(w.textEncoder);
    if (layout == TinyWanLayout::ComfyFp16) {
        writeStored(models / "wan2.1_i2v_480p_14B_fp16.safetensors",
                    storedAs(withPrefix(w.dit, prefix), at::kHalf));
    } else if (layout == TinyWanLayout::ComfyBf16) {
        writeStored(models / "wan2.1_i2v_480p_14B_bf16.safetensors",
                    storedAs(w.dit, at::kBFloat16));
    } else {
        writeStored(models / "wan2.1_i2v_480p_14B_fp8_scaled.safetensors",
                    comfyScaledFp8(w.dit, prefix));
    }
    if (layout == TinyWanLayout::ComfyFp8Scaled) {
        writeComfyUmt5(split / "text_encoders" / "umt5_xxl_fp8_e4m3fn_scaled.safetensors",
                       comfyScaledFp8(t5, ""));
    } else {
        writeComfyUmt5(split / "text_encoders" / "umt5_xxl_fp16.safetensors",
                       storedAs(t5, at::kHalf));
    }
    writeComfyCompanions(split, w);
}

inline void writeDiffusersLayout(const std::filesystem::path& dir, const TinyWanWeights& w) {
    writeText(dir / "model_index.json",
              "{\"_class_name\": \"WanImageToVideoPipeline\", \"_diffusers_version\": "
              "\"0.33.0\", \"image_encoder\": [\"transformers\", \"CLIPVisionModel\"], "
              "\"image_processor\": [\"transformers\", \"CLIPImageProcessor\"], "
              "\"scheduler\": [\"diffusers\", \"UniPCMultistepScheduler\"], \"text_encoder\": "
              "[\"transformers\", \"UMT5EncoderModel\"], \"tokenizer\": [\"transformers\", "
              "\"T5TokenizerFast\"], \"transformer\": [\"diffusers\", "
              "\"WanTransformer3DModel\"], \"vae\": [\"diffusers\", \"AutoencoderKLWan\"]}");
    writeSharded(dir / "transformer", "diffusion_pytorch_model",
                 storedAs(wanDitToDiffusers(w.dit), at::kFloat), 2);
    writeText(dir / "transformer" / "config.json", tinyWanDiffusersConfig());
    writeStored(dir / "vae" / "diffusion_pytorch_model.safetensors",
                storedAs(wanVaeToDiffusers(w.vae), at::kFloat), {{"format", "pt"}});
    writeText(dir / "vae" / "config.json",
              "{\"_class_name\": \"AutoencoderKLWan\", \"base_dim\": 8, \"z_dim\": 16, "
              "\"dim_mult\": [1, 2, 4, 4], \"num_res_blocks\": 2, \"attn_scales\": [], "
              "\"temperal_downsample\": [false, true, true]}");
    writeSharded(dir / "text_encoder", "model",
                 storedAs(umt5ToTransformers(w.textEncoder), at::kBFloat16), 2);
    writeText(dir / "text_encoder" / "config.json",
              "{\"architectures\": [\"UMT5EncoderModel\"], \"model_type\": \"umt5\"}");
    writeStored(dir / "image_encoder" / "model.safetensors",
                storedAs(clipVisualToTransformers(w.imageEncoder), at::kHalf), {{"format", "pt"}});
    writeText(dir / "image_encoder" / "config.json",
              "{\"architectures\": [\"CLIPVisionModel\"], \"model_type\": \"clip_vision_model\"}");
    writeTinyTokenizer(dir / "tokenizer" / "tokenizer.json");
}

inline void writeGgufLayout(const std::filesystem::path& dir, TinyWanLayout layout,
                            const TinyWanWeights& w) {
    const bool q8 = layout == TinyWanLayout::GgufQ8_0;
    const GgufQuant quant = q8 ? GgufQuant::Q8_0 : GgufQuant::Q4_K;
    writeGguf(
        dir / "unet" / (q8 ? "wan2.1-i2v-14b-480p-Q8_0.gguf" : "wan2.1-i2v-14b-480p-Q4_K_M.gguf"),
        "wan", cityGgufTensors(w.dit, quant, wanHighPrecisionKeys()), q8 ? 7 : 15);
    if (q8) {
        // llama.cpp's choice: matrices in Q8_0 where rows split into blocks, F32 otherwise.
        GgufTensors t5;
        for (const auto& [name, tensor] : umt5ToLlamaCpp(w.textEncoder)) {
            const bool blocks = tensor.dim() == 2 && tensor.size(1) % 32 == 0 &&
                                name.find("attn_rel_b") == std::string::npos;
            t5.push_back(ggufTensor(name, tensor, blocks ? 8 : 0));
        }
        writeGguf(dir / "clip" / "umt5-xxl-encoder-Q8_0.gguf", "t5encoder", t5, 7);
        // That GGUF holds no SentencePiece model: the tokenizer comes from google/umt5-xxl.
        writeTinyTokenizer(dir / "google" / "umt5-xxl" / "tokenizer.json");
    } else {
        writeComfyUmt5(dir / "split_files" / "text_encoders" / "umt5_xxl_fp16.safetensors",
                       storedAs(umt5ToTransformers(w.textEncoder), at::kHalf));
    }
    writeComfyCompanions(dir / "split_files", w);
}

// Writes the folder for `layout` into `dir` (created).
inline void writeTinyWanLayout(const std::filesystem::path& dir, TinyWanLayout layout) {
    std::filesystem::create_directories(dir);
    const TinyWanWeights weights = tinyWanWeights();
    switch (layout) {
        case TinyWanLayout::Official:
            writeOfficialLayout(dir, weights);
            break;
        case TinyWanLayout::ComfyFp16:
        case TinyWanLayout::ComfyBf16:
        case TinyWanLayout::ComfyFp8Scaled:
            writeComfyLayout(dir, layout, weights);
            break;
        case TinyWanLayout::Diffusers:
            writeDiffusersLayout(dir, weights);
            break;
        case TinyWanLayout::GgufQ8_0:
        case TinyWanLayout::GgufQ4_K:
            writeGgufLayout(dir, layout, weights);
            break;
    }
}

}  // namespace storyreel::test
