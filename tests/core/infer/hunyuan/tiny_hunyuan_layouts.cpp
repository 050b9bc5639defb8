#include "tests/core/infer/hunyuan/tiny_hunyuan_layouts.h"

#include "tests/core/infer/registry/registry_files.h"
#include "tests/core/infer/wan/tiny_wan_files.h"

#include <ATen/ATen.h>

#include <string>

namespace storyreel::test {
namespace {

bool startsWith(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

// The tensors whose names start with `from`, renamed to start with `to` instead.
NamedTensors renamedPrefix(const NamedTensors& tensors, const std::string& from,
                           const std::string& to) {
    NamedTensors out;
    for (const auto& [name, tensor] : tensors) {
        if (startsWith(name, from)) {
            out.emplace_back(to + name.substr(from.size()), tensor);
        }
    }
    return out;
}

// ComfyUI's text-only llava_llama3: LlamaForCausalLM names (model.*, lm_head.*).
NamedTensors comfyLlavaText(const NamedTensors& llava) {
    return renamedPrefix(llava, "language_model.", "");
}

// ComfyUI's llava_llama3_vision: the CLIP tower as a CLIPVisionModel (vision_model.*) and
// LLaVA's projector under its own names.
NamedTensors comfyLlavaVision(const NamedTensors& llava) {
    NamedTensors out = renamedPrefix(llava, "vision_tower.", "");
    for (auto& named : renamedPrefix(llava, "multi_modal_projector.", "multi_modal_projector.")) {
        out.push_back(std::move(named));
    }
    return out;
}

void writeOfficial(const std::filesystem::path& dir, const TinyHunyuanWeights& w) {
    const TinyHunyuanFiles f = tinyHunyuanFiles(TinyHunyuanLayout::Official);
    writeWrappedStateDictPth(dir / f.dit, "module", "", w.dit, at::kBFloat16);
    writeWrappedStateDictPth(dir / f.vae, "state_dict", "vae.", w.vae, at::kFloat);
    writeText(dir / f.vaeConfig, tinyHunyuanVaeConfigJson());
    writeSharded(dir / f.llava.parent_path(), "model", storedAs(w.llava, at::kHalf), 2);
    writeText(dir / f.llavaConfig, tinyLlavaConfigJson());
    writeText(dir / f.llavaPreprocessor, tinyLlavaPreprocessorJson());
    writeTinyLlavaTokenizer(dir / f.llavaTokenizer);
    writeStored(dir / f.clipText, storedAs(w.clipText, at::kFloat), {{"format", "pt"}});
    writeText(dir / f.clipTextConfig, tinyClipTextConfigJson());
    writeTinyClipTokenizer(dir / f.clipTokenizer);
}

// Everything of the ComfyUI layout but the DiT.
void writeComfyCompanions(const std::filesystem::path& dir, const TinyHunyuanFiles& f,
                          const TinyHunyuanWeights& w) {
    writeStored(dir / f.vae, storedAs(w.vae, at::kBFloat16));
    writeStored(dir / f.clipText, storedAs(w.clipText, at::kHalf));
    writeStored(dir / f.llava, storedAs(comfyLlavaText(w.llava), at::kHalf));
    writeStored(dir / f.llavaVision, storedAs(comfyLlavaVision(w.llava), at::kHalf));
    writeTinyLlavaTokenizer(dir / f.llavaTokenizer);
    writeTinyClipTokenizer(dir / f.clipTokenizer);
}

// diffusers' transformer/config.json (HunyuanVideoTransformer3DModel, I2V token_replace).
std::string diffusersTransformerConfig() {
    return R"({"_class_name": "HunyuanVideoTransformer3DModel", "_diffusers_version": )"
           R"("0.33.0.dev0", "attention_head_dim": 128, "guidance_embeds": true, )"
           R"("image_condition_type": "token_replace", "in_channels": 16, "mlp_ratio": 4.0, )"
           R"("num_attention_heads": 2, "num_layers": 1, "num_refiner_layers": 2, )"
           R"("num_single_layers": 1, "out_channels": 16, "patch_size": 2, "patch_size_t": 1, )"
           R"("pooled_projection_dim": 128, "qk_norm": "rms_norm", "rope_axes_dim": [16, 56, )"
           R"(56], "rope_theta": 256.0, "text_embed_dim": 256})";
}

// diffusers' vae/config.json (AutoencoderKLHunyuanVideo): its own block type names and
// temporal_compression_ratio, unlike the official vae/config.json.
std::string diffusersVaeConfig() {
    return R"({"_class_name": "AutoencoderKLHunyuanVideo", "_diffusers_version": )"
           R"("0.33.0.dev0", "act_fn": "silu", "block_out_channels": [32, 32, 32, 32], )"
           R"("down_block_types": ["HunyuanVideoDownBlock3D", "HunyuanVideoDownBlock3D", )"
           R"("HunyuanVideoDownBlock3D", "HunyuanVideoDownBlock3D"], "in_channels": 3, )"
           R"("latent_channels": 16, "layers_per_block": 2, "mid_block_add_attention": true, )"
           R"("mid_block_type": "HunyuanVideoMidBlock3D", "norm_num_groups": 32, )"
           R"("out_channels": 3, "scaling_factor": 0.476986, "spatial_compression_ratio": 8, )"
           R"("temporal_compression_ratio": 4, "up_block_types": ["HunyuanVideoUpBlock3D", )"
           R"("HunyuanVideoUpBlock3D", "HunyuanVideoUpBlock3D", "HunyuanVideoUpBlock3D"]})";
}

// text_encoder_2/config.json of a CLIPTextModel: a CLIPTextConfig, fields at the top.
std::string diffusersClipTextConfig() {
    return R"({"architectures": ["CLIPTextModel"], "bos_token_id": 542, "eos_token_id": 543, )"
           R"("hidden_act": "quick_gelu", "hidden_size": 128, "intermediate_size": 256, )"
           R"("layer_norm_eps": 1e-05, "max_position_embeddings": 77, "model_type": )"
           R"("clip_text_model", "num_attention_heads": 2, "num_hidden_layers": 2, )"
           R"("pad_token_id": 1, "projection_dim": 128, "torch_dtype": "float16", )"
           R"("vocab_size": 544})";
}

void writeDiffusers(const std::filesystem::path& dir, const TinyHunyuanWeights& w) {
    const TinyHunyuanFiles f = tinyHunyuanFiles(TinyHunyuanLayout::Diffusers);
    writeText(dir / "model_index.json",
              R"({"_class_name": "HunyuanVideoImageToVideoPipeline", "_diffusers_version": )"
              R"("0.33.0.dev0", "image_processor": ["transformers", "CLIPImageProcessor"], )"
              R"("scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"], )"
              R"("text_encoder": ["transformers", "LlavaForConditionalGeneration"], )"
              R"("text_encoder_2": ["transformers", "CLIPTextModel"], "tokenizer": )"
              R"(["transformers", "LlamaTokenizerFast"], "tokenizer_2": ["transformers", )"
              R"("CLIPTokenizer"], "transformer": ["diffusers", )"
              R"("HunyuanVideoTransformer3DModel"], "vae": ["diffusers", )"
              R"("AutoencoderKLHunyuanVideo"]})");
    writeSharded(dir / f.dit.parent_path(), "diffusion_pytorch_model",
                 storedAs(toHunyuanDiffusers(w.dit, 256), at::kBFloat16), 2);
    writeText(dir / f.dit.parent_path() / "config.json", diffusersTransformerConfig());
    writeStored(dir / f.vae, storedAs(w.vae, at::kFloat), {{"format", "pt"}});
    writeText(dir / f.vaeConfig, diffusersVaeConfig());
    writeSharded(dir / f.llava.parent_path(), "model", storedAs(w.llava, at::kHalf), 2);
    writeText(dir / f.llavaConfig, tinyLlavaConfigJson());
    writeText(dir / f.llavaPreprocessor, tinyLlavaPreprocessorJson());
    writeTinyLlavaTokenizer(dir / f.llavaTokenizer);
    writeStored(dir / f.clipText, storedAs(w.clipText, at::kHalf), {{"format", "pt"}});
    writeText(dir / f.clipTextConfig, diffusersClipTextConfig());
    writeTinyClipTokenizer(dir / f.clipTokenizer);
}

}  // namespace

const std::vector<TinyHunyuanLayout>& allTinyHunyuanLayouts() {
    static const std::vector<TinyHunyuanLayout> layouts = {
        TinyHunyuanLayout::Official, TinyHunyuanLayout::ComfyUI, TinyHunyuanLayout::GgufQ8_0,
        TinyHunyuanLayout::GgufQ4_K, TinyHunyuanLayout::Diffusers};
    return layouts;
}

std::string_view tinyHunyuanLayoutName(TinyHunyuanLayout layout) {
    switch (layout) {
        case TinyHunyuanLayout::Official:
            return "official";
        case TinyHunyuanLayout::ComfyUI:
            return "comfyui";
        case TinyHunyuanLayout::GgufQ8_0:
            return "gguf-q8_0";
        case TinyHunyuanLayout::GgufQ4_K:
            return "gguf-q4_k";
        case TinyHunyuanLayout::Diffusers:
            return "diffusers";
    }
    return "";
}

std::optional<TinyHunyuanLayout> tinyHunyuanLayoutNamed(std::string_view name) {
    for (const TinyHunyuanLayout layout : allTinyHunyuanLayouts()) {
        if (tinyHunyuanLayoutName(layout) == name) {
            return layout;
        }
    }
    return std::nullopt;
}

TinyHunyuanFiles tinyHunyuanFiles(TinyHunyuanLayout layout) {
    TinyHunyuanFiles f;
    if (layout == TinyHunyuanLayout::Official) {
        const std::filesystem::path model = "hunyuan-video-i2v-720p";
        f.dit = model / "transformers" / "mp_rank_00_model_states.pt";
        f.vae = model / "vae" / "pytorch_model.pt";
        f.vaeConfig = model / "vae" / "config.json";
        const std::filesystem::path llava = "text_encoder_i2v";
        f.llava = llava / "model.safetensors.index.json";
        f.llavaConfig = llava / "config.json";
        f.llavaTokenizer = llava / "tokenizer.json";
        f.llavaPreprocessor = llava / "preprocessor_config.json";
        const std::filesystem::path clip = "text_encoder_2";
        f.clipText = clip / "model.safetensors";
        f.clipTextConfig = clip / "config.json";
        f.clipTokenizer = clip;
        return f;
    }
    if (layout == TinyHunyuanLayout::Diffusers) {
        f.dit =
            std::filesystem::path("transformer") / "diffusion_pytorch_model.safetensors.index.json";
        f.vae = std::filesystem::path("vae") / "diffusion_pytorch_model.safetensors";
        f.vaeConfig = std::filesystem::path("vae") / "config.json";
        f.llava = std::filesystem::path("text_encoder") / "model.safetensors.index.json";
        f.llavaConfig = std::filesystem::path("text_encoder") / "config.json";
        f.llavaTokenizer = std::filesystem::path("tokenizer") / "tokenizer.json";
        f.llavaPreprocessor = std::filesystem::path("image_processor") / "preprocessor_config.json";
        f.clipText = std::filesystem::path("text_encoder_2") / "model.safetensors";
        f.clipTextConfig = std::filesystem::path("text_encoder_2") / "config.json";
        f.clipTokenizer = "tokenizer_2";
        return f;
    }
    const std::filesystem::path split = "split_files";
    if (layout == TinyHunyuanLayout::ComfyUI) {
        f.dit = split / "diffusion_models" /
                "hunyuan_video_v2_replace_image_to_video_720p_bf16.safetensors";
    } else {
        f.dit = std::filesystem::path("unet") / (layout == TinyHunyuanLayout::GgufQ8_0
                                                     ? "hunyuan-video-i2v-720p-Q8_0.gguf"
                                                     : "hunyuan-video-i2v-720p-Q4_K_M.gguf");
    }
    f.vae = split / "vae" / "hunyuan_video_vae_bf16.safetensors";
    f.llava = split / "text_encoders" / "llava_llama3_fp16.safetensors";
    f.llavaVision = split / "clip_vision" / "llava_llama3_vision.safetensors";
    f.llavaTokenizer = split / "text_encoders" / "llama_tokenizer" / "tokenizer.json";
    f.clipText = split / "text_encoders" / "clip_l.safetensors";
    f.clipTokenizer = split / "text_encoders" / "sd1_tokenizer";
    return f;
}

GgufTensors tinyHunyuanGgufDit(GgufQuant quant) {
    // ModelHyVid has no keys_hiprec: its modulation linears are quantised like any matrix.
    return cityGgufTensors(tinyHunyuanDit(), quant, {});
}

void writeTinyHunyuanLayout(const std::filesystem::path& dir, TinyHunyuanLayout layout) {
    std::filesystem::create_directories(dir);
    const TinyHunyuanWeights weights = tinyHunyuanWeights();
    const TinyHunyuanFiles files = tinyHunyuanFiles(layout);
    switch (layout) {
        case TinyHunyuanLayout::Official:
            writeOfficial(dir, weights);
            return;
        case TinyHunyuanLayout::Diffusers:
            writeDiffusers(dir, weights);
            return;
        case TinyHunyuanLayout::ComfyUI:
            writeStored(dir / files.dit, storedAs(weights.dit, at::kBFloat16));
            break;
        case TinyHunyuanLayout::GgufQ8_0:
            // llama.cpp's LLAMA_FTYPE: 7 MOSTLY_Q8_0, 15 MOSTLY_Q4_K_M.
            writeGguf(dir / files.dit, "hyvid", tinyHunyuanGgufDit(GgufQuant::Q8_0), 7);
            break;
        case TinyHunyuanLayout::GgufQ4_K:
            writeGguf(dir / files.dit, "hyvid", tinyHunyuanGgufDit(GgufQuant::Q4_K), 15);
            break;
    }
    writeComfyCompanions(dir, files, weights);
}

}  // namespace storyreel::test
