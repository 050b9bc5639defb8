#include "core/infer/registry/model_family.h"

#include "core/infer/lora/lora_key.h"
#include "core/infer/registry/name_mapping.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace storyreel::infer {

namespace {

using Shapes = std::map<std::string, std::vector<std::int64_t>>;

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

// shape[dim] of `name`, or 0 when absent.
std::int64_t dimOf(const Shapes& shapes, const std::string& name, std::size_t dim) {
    const auto found = shapes.find(name);
    if (found == shapes.end() || found->second.size() <= dim) {
        return 0;
    }
    return found->second[dim];
}

// How many blocks "<prefix>N." there are (largest N + 1).
std::int64_t countBlocks(const Shapes& shapes, std::string_view prefix) {
    std::int64_t count = 0;
    for (const auto& entry : shapes) {
        const std::string_view name = entry.first;
        if (!startsWith(name, prefix)) {
            continue;
        }
        std::size_t end = prefix.size();
        while (end < name.size() && std::isdigit(static_cast<unsigned char>(name[end]))) {
            ++end;
        }
        if (end > prefix.size() && end < name.size() && name[end] == '.') {
            count = std::max<std::int64_t>(
                count,
                std::stoll(std::string(name.substr(prefix.size(), end - prefix.size()))) + 1);
        }
    }
    return count;
}

// The most common shape[dim] of "<prefix>N.<rest>" over the blocks, so that one damaged
// block does not set the configuration that the others are checked against.
// Each (rest, dim) of `where` votes in every block.
std::int64_t commonBlockDim(const Shapes& shapes, std::string_view prefix,
                            const std::vector<std::pair<std::string_view, std::size_t>>& where) {
    std::map<std::int64_t, int> votes;
    for (std::int64_t i = 0; i < countBlocks(shapes, prefix); ++i) {
        for (const auto& [rest, dim] : where) {
            const std::int64_t value = dimOf(
                shapes, std::string(prefix) + std::to_string(i) + "." + std::string(rest), dim);
            if (value != 0) {
                ++votes[value];
            }
        }
    }
    std::int64_t best = 0;
    int bestVotes = 0;
    for (const auto& [value, count] : votes) {
        if (count > bestVotes) {
            best = value;
            bestVotes = count;
        }
    }
    return best;
}

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// "480p" / "720p" when the metadata names exactly one of them.
std::string resolutionFromMetadata(const std::map<std::string, std::string>& metadata) {
    bool says480 = false;
    bool says720 = false;
    for (const auto& [key, value] : metadata) {
        const std::string text = lowercase(key + " " + value);
        says480 = says480 || text.find("480p") != std::string::npos;
        says720 = says720 || text.find("720p") != std::string::npos;
    }
    if (says480 != says720) {
        return says480 ? "480p" : "720p";
    }
    return "";
}

bool metadataSays(const std::map<std::string, std::string>& metadata, std::string_view word) {
    for (const auto& [key, value] : metadata) {
        if (lowercase(key + " " + value).find(word) != std::string::npos) {
            return true;
        }
    }
    return false;
}

std::string unknownSize(const std::string& details) {
    return "unknown size (" + details + ")";
}

void describeWanDit(const Shapes& s, const std::map<std::string, std::string>& metadata,
                    ModelRecognition& r) {
    const std::int64_t dim = dimOf(s, "patch_embedding.weight", 0);
    const std::int64_t inDim = dimOf(s, "patch_embedding.weight", 1);
    const std::int64_t layers = countBlocks(s, "blocks.");
    const std::int64_t ffn =
        commonBlockDim(s, "blocks.", {{"ffn.0.weight", 0}, {"ffn.2.weight", 1}});
    const bool i2v =
        s.count("img_emb.proj.1.weight") || s.count("blocks.0.cross_attn.k_img.weight");
    r.config = {{"dim", dim},
                {"in_dim", inDim},
                {"layers", layers},
                {"ffn_dim", ffn},
                {"text_dim", dimOf(s, "text_embedding.0.weight", 1)},
                {"freq_dim", dimOf(s, "time_embedding.0.weight", 1)},
                {"out_features", dimOf(s, "head.head.weight", 0)},
                {"i2v", i2v ? 1 : 0}};
    if (dim == 5120 && layers == 40 && ffn == 13824 && inDim == 36 && i2v) {
        const std::string resolution = resolutionFromMetadata(metadata);
        r.variant = resolution.empty()
                        ? "Wan 2.1 I2V 14B (480p or 720p: the file does not tell; check its name)"
                        : "Wan 2.1 I2V 14B " + resolution;
        r.knownVariant = true;
    } else if (dim == 5120 && layers == 40 && ffn == 13824 && inDim == 16 && !i2v) {
        r.variant = "Wan 2.1 T2V 14B";
        r.knownVariant = true;
    } else if (dim == 1536 && layers == 30 && ffn == 8960 && inDim == 16 && !i2v) {
        r.variant = "Wan 2.1 T2V 1.3B";
        r.knownVariant = true;
    } else {
        r.variant = unknownSize("dim " + std::to_string(dim) + ", " + std::to_string(layers) +
                                " layers, in_dim " + std::to_string(inDim) + ", " +
                                (i2v ? "image-to-video" : "text-to-video"));
    }
}

void describeHunyuanDit(const Shapes& s, const std::map<std::string, std::string>& metadata,
                        ModelRecognition& r) {
    const std::int64_t hidden = dimOf(s, "img_in.proj.weight", 0);
    const std::int64_t in = dimOf(s, "img_in.proj.weight", 1);
    const std::int64_t doubles = countBlocks(s, "double_blocks.");
    const std::int64_t singles = countBlocks(s, "single_blocks.");
    r.config = {
        {"hidden", hidden},
        {"in_channels", in},
        {"double_blocks", doubles},
        {"single_blocks", singles},
        {"mlp_hidden", commonBlockDim(s, "double_blocks.",
                                      {{"img_mlp.fc1.weight", 0}, {"img_mlp.fc2.weight", 1}})},
        {"head_dim",
         commonBlockDim(s, "double_blocks.",
                        {{"img_attn_q_norm.weight", 0}, {"img_attn_k_norm.weight", 0}})},
        {"text_states_dim", dimOf(s, "txt_in.input_embedder.weight", 1)},
        {"text_states_dim_2", dimOf(s, "vector_in.in_layer.weight", 1)},
        {"refiner_blocks", countBlocks(s, "txt_in.individual_token_refiner.blocks.")},
        {"guidance", s.count("guidance_in.mlp.0.weight") ? 1 : 0},
        {"out_features", dimOf(s, "final_layer.linear.weight", 0)}};
    if (hidden == 3072 && doubles == 20 && singles == 40) {
        r.knownVariant = true;
        if (in == 33) {
            r.variant = "HunyuanVideo-I2V 13B (latent_concat: the first release, 2025-03-06)";
        } else if (in == 16 && metadataSays(metadata, "i2v")) {
            r.variant = "HunyuanVideo-I2V 13B (token_replace, 2025-03-07)";
        } else if (in == 16) {
            r.variant =
                "HunyuanVideo 13B, 16 input channels: the I2V token_replace weights "
                "(2025-03-07) or the text-to-video model (the file does not tell; check its name)";
        } else {
            r.knownVariant = false;
        }
    }
    if (!r.knownVariant) {
        r.variant = unknownSize("hidden " + std::to_string(hidden) + ", " +
                                std::to_string(doubles) + " double and " + std::to_string(singles) +
                                " single blocks, " + std::to_string(in) + " input channels");
    }
}

void describeWanVae(const Shapes& s, ModelRecognition& r) {
    const std::int64_t dim =
        std::max(dimOf(s, "encoder.conv1.weight", 0), dimOf(s, "decoder.head.2.weight", 1));
    const std::int64_t zDim = dimOf(s, "conv2.weight", 0);
    r.config = {{"dim", dim}, {"z_dim", zDim}};
    if (dim == 96 && zDim == 16) {
        r.variant = "Wan 2.1 VAE";
        r.knownVariant = true;
    } else if (zDim == 48) {
        r.variant = "Wan 2.2 VAE (z_dim 48), not the Wan 2.1 VAE the presets need";
    } else {
        r.variant = unknownSize("dim " + std::to_string(dim) + ", z_dim " + std::to_string(zDim));
    }
}

void describeHunyuanVae(const Shapes& s, ModelRecognition& r) {
    const std::int64_t base = std::max(dimOf(s, "encoder.conv_in.conv.weight", 0),
                                       dimOf(s, "decoder.conv_out.conv.weight", 1));
    const std::int64_t latent = dimOf(s, "post_quant_conv.weight", 0);
    r.config = {{"base_channels", base}, {"latent_channels", latent}};
    if (base == 128 && latent == 16) {
        r.variant = "HunyuanVideo 3D VAE (884-16c)";
        r.knownVariant = true;
    } else {
        r.variant = unknownSize("base channels " + std::to_string(base) + ", latent channels " +
                                std::to_string(latent));
    }
}

void describeUmt5(const Shapes& s, const std::vector<TensorInfo>& tensors, ModelRecognition& r) {
    const std::int64_t vocab = dimOf(s, "token_embedding.weight", 0);
    const std::int64_t dim = dimOf(s, "token_embedding.weight", 1);
    const std::int64_t layers = countBlocks(s, "blocks.");
    r.config = {{"vocab", vocab},
                {"dim", dim},
                {"layers", layers},
                {"ffn_dim", dimOf(s, "blocks.0.ffn.fc1.weight", 0)},
                {"heads", dimOf(s, "blocks.0.pos_embedding.embedding.weight", 1)}};
    if (layers > 1 && !s.count("blocks.1.pos_embedding.embedding.weight")) {
        r.notes.push_back(
            "only the first block has a relative position bias: a T5, not the umT5 Wan uses");
    }
    if (std::any_of(tensors.begin(), tensors.end(), [](const TensorInfo& info) {
            return info.name.find("decoder.block.") != std::string::npos;
        })) {
        r.notes.push_back("holds the decoder too, which Storyreel does not use");
    }
    if (vocab == 256384 && dim == 4096 && layers == 24) {
        r.variant = "umT5-XXL encoder";
        r.knownVariant = true;
    } else {
        r.variant = unknownSize("vocab " + std::to_string(vocab) + ", dim " + std::to_string(dim) +
                                ", " + std::to_string(layers) + " layers");
    }
}

void describeWanClip(const Shapes& s, ModelRecognition& r) {
    const std::int64_t dim = dimOf(s, "visual.patch_embedding.weight", 0);
    const std::int64_t patch = dimOf(s, "visual.patch_embedding.weight", 2);
    const std::int64_t layers = countBlocks(s, "visual.transformer.");
    const std::int64_t positions = dimOf(s, "visual.pos_embedding", 1);
    r.config = {{"dim", dim}, {"patch", patch}, {"layers", layers}, {"positions", positions}};
    if (dim == 1280 && patch == 14 && layers == 32 && positions == 257) {
        r.variant = "open-clip XLM-RoBERTa ViT-H/14 (Wan's CLIP)";
        r.knownVariant = true;
    } else if (dim == 1024) {
        r.variant = "a CLIP ViT-L vision tower, not the ViT-H/14 (width 1280) that Wan needs";
    } else {
        r.variant = unknownSize("dim " + std::to_string(dim) + ", " + std::to_string(layers) +
                                " layers, patch " + std::to_string(patch));
    }
}

void describeLlava(const Shapes& s, ModelRecognition& r) {
    const std::int64_t vocab = dimOf(s, "language_model.model.embed_tokens.weight", 0);
    const std::int64_t hidden = dimOf(s, "language_model.model.embed_tokens.weight", 1);
    const std::int64_t layers = countBlocks(s, "language_model.model.layers.");
    const std::int64_t kvDim = dimOf(s, "language_model.model.layers.0.self_attn.k_proj.weight", 0);
    const bool vision = countBlocks(s, "vision_tower.vision_model.encoder.layers.") > 0;
    r.config = {{"vocab", vocab},
                {"hidden", hidden},
                {"layers", layers},
                {"kv_dim", kvDim},
                {"vision_tower", vision ? 1 : 0}};
    if (!vision) {
        r.notes.push_back(std::string(kLlavaTextOnlyNote));
    }
    if (hidden == 4096 && layers == 32 && kvDim == 1024 && vocab == 128320) {
        r.variant = "LLaVA-Llama-3-8B (xtuner llava-llama-3-8b-v1_1)";
        r.knownVariant = true;
    } else if (hidden == 4096 && layers == 32 && kvDim == 1024 && vocab == 128256) {
        r.variant =
            "Llama-3-8B without LLaVA's added tokens: HunyuanVideo-I2V needs llava-llama-3-8b";
    } else {
        r.variant = unknownSize("vocab " + std::to_string(vocab) + ", hidden " +
                                std::to_string(hidden) + ", " + std::to_string(layers) + " layers");
    }
}

// ComfyUI's clip_vision/llava_llama3_vision: CLIP ViT-L/14-336 (24 layers, hidden 1024,
// 577 positions) and LLaVA-Llama-3's GELU projector to Llama-3-8B's width 4096.
void describeLlavaVision(const Shapes& s, ModelRecognition& r) {
    const std::string tower = "vision_tower.vision_model.";
    const std::int64_t hidden = dimOf(s, tower + "embeddings.patch_embedding.weight", 0);
    const std::int64_t patch = dimOf(s, tower + "embeddings.patch_embedding.weight", 2);
    const std::int64_t positions = dimOf(s, tower + "embeddings.position_embedding.weight", 0);
    const std::int64_t layers = countBlocks(s, tower + "encoder.layers.");
    const std::int64_t textHidden = dimOf(s, "multi_modal_projector.linear_2.weight", 0);
    r.config = {{"hidden", hidden},
                {"patch", patch},
                {"positions", positions},
                {"layers", layers},
                {"text_hidden", textHidden}};
    if (hidden == 1024 && patch == 14 && positions == 577 && layers == 24 && textHidden == 4096) {
        r.variant = "CLIP ViT-L/14-336 and the LLaVA-Llama-3-8B projector (llava_llama3_vision)";
        r.knownVariant = true;
    } else {
        r.variant = unknownSize("hidden " + std::to_string(hidden) + ", " + std::to_string(layers) +
                                " layers, patch " + std::to_string(patch) + ", projector to " +
                                std::to_string(textHidden));
    }
}

void describeClipL(const Shapes& s, ModelRecognition& r) {
    const std::int64_t vocab = dimOf(s, "text_model.embeddings.token_embedding.weight", 0);
    const std::int64_t hidden = dimOf(s, "text_model.embeddings.token_embedding.weight", 1);
    const std::int64_t layers = countBlocks(s, "text_model.encoder.layers.");
    r.config = {{"vocab", vocab}, {"hidden", hidden}, {"layers", layers}};
    if (vocab == 49408 && hidden == 768 && layers == 12) {
        r.variant = "CLIP-L text encoder (openai/clip-vit-large-patch14)";
        r.knownVariant = true;
    } else {
        r.variant = unknownSize("vocab " + std::to_string(vocab) + ", hidden " +
                                std::to_string(hidden) + ", " + std::to_string(layers) + " layers");
    }
}

// A LoRA when most names are LoRA keys; the module names tell which DiT it patches.
bool recogniseLora(const std::vector<std::string>& names, ModelRecognition& r) {
    std::size_t loraKeys = 0;
    std::size_t wan = 0;
    std::size_t hunyuan = 0;
    for (const std::string& name : names) {
        const std::optional<LoraKey> key = parseLoraKey(name);
        if (!key) {
            continue;
        }
        ++loraKeys;
        const std::string& module = key->module;
        if (module.find("double_blocks") != std::string::npos ||
            module.find("single_blocks") != std::string::npos ||
            module.find("transformer_blocks") != std::string::npos) {
            ++hunyuan;
        } else if (module.find("blocks") != std::string::npos &&
                   (module.find("attn") != std::string::npos ||
                    module.find("ffn") != std::string::npos)) {
            ++wan;
        }
    }
    if (loraKeys == 0 || loraKeys * 2 < names.size()) {
        return false;
    }
    r.family = hunyuan > wan ? ModelFamily::HunyuanLora : ModelFamily::WanLora;
    r.variant = hunyuan > wan ? "LoRA for the HunyuanVideo DiT"
                              : "LoRA for the Wan 2.1 DiT (the Fast (Wan) preset takes a "
                                "step-distillation LoRA such as lightx2v's)";
    r.knownVariant = true;
    return true;
}

// Family and layout from anchor names (after the prefix is stripped).
void recogniseFamily(const std::set<std::string>& n, std::string_view arch, ModelRecognition& r) {
    const auto has = [&](const char* name) { return n.count(name) != 0; };
    using F = ModelFamily;
    using L = CheckpointLayout;
    const bool named = r.scaledFp8 || !r.prefix.empty();
    const L plain = named ? L::ComfyUI : L::Official;
    const auto set = [&](F family, L layout) {
        r.family = family;
        r.layout = layout;
    };
    if (arch == "wan") {
        r.family = F::WanDiT;
    } else if (arch == "hyvid") {
        r.family = F::HunyuanDiT;
    } else if (arch == "t5" || arch == "t5encoder") {
        r.family = F::UMT5Encoder;
    } else if (arch == "llama") {
        r.family = F::LlavaLlama3;
        r.notes.push_back("llama.cpp names: Storyreel does not map them to the model yet");
    }
    if (!arch.empty()) {
        r.layout = L::Gguf;
        return;
    }
    if (has("patch_embedding.weight") && has("blocks.0.self_attn.q.weight")) {
        set(F::WanDiT, plain);
    } else if (has("blocks.0.attn1.to_q.weight") && has("condition_embedder.time_proj.weight")) {
        set(F::WanDiT, L::Diffusers);
    } else if (has("double_blocks.0.img_attn_qkv.weight")) {
        set(F::HunyuanDiT, plain);
    } else if (has("transformer_blocks.0.attn.to_q.weight") && has("x_embedder.proj.weight")) {
        set(F::HunyuanDiT, L::Diffusers);
    } else if (has("encoder.downsamples.0.residual.0.gamma") ||
               has("decoder.upsamples.0.residual.0.gamma")) {
        set(F::WanVAE, plain);
    } else if (has("encoder.down_blocks.0.norm1.gamma") || has("decoder.conv_in.weight")) {
        set(F::WanVAE, L::Diffusers);
    } else if (has("encoder.down_blocks.0.resnets.0.conv1.conv.weight") ||
               has("decoder.up_blocks.0.resnets.0.conv1.conv.weight")) {
        set(F::HunyuanVAE, plain);
    } else if (has("token_embedding.weight") && has("blocks.0.attn.q.weight")) {
        set(F::UMT5Encoder, plain);
    } else if (has("encoder.block.0.layer.0.SelfAttention.q.weight")) {
        set(F::UMT5Encoder, named ? L::ComfyUI : L::Diffusers);
    } else if (has("visual.transformer.0.attn.to_qkv.weight")) {
        set(F::WanCLIP, plain);
    } else if (has("multi_modal_projector.linear_1.weight") &&
               has("vision_model.encoder.layers.0.self_attn.q_proj.weight")) {
        // ComfyUI's llava_llama3_vision: the projector tells it from a plain CLIP vision model
        // (comfy/clip_vision.py picks clip_vision_config_vitl_336_llava.json by it too).
        set(F::LlavaVision, L::ComfyUI);
    } else if (has("multi_modal_projector.linear_1.weight") &&
               has("vision_tower.vision_model.encoder.layers.0.self_attn.q_proj.weight") &&
               !has("language_model.model.layers.0.self_attn.q_proj.weight")) {
        set(F::LlavaVision, L::Official);  // a LlavaForConditionalGeneration without its Llama
    } else if (has("vision_model.encoder.layers.0.self_attn.q_proj.weight") &&
               !has("text_model.encoder.layers.0.self_attn.q_proj.weight")) {
        set(F::WanCLIP, named ? L::ComfyUI : L::Diffusers);
    } else if (has("language_model.model.layers.0.self_attn.q_proj.weight")) {
        set(F::LlavaLlama3, plain);
    } else if (has("model.language_model.layers.0.self_attn.q_proj.weight")) {
        set(F::LlavaLlama3, L::Diffusers);
    } else if (has("model.layers.0.self_attn.q_proj.weight") && has("model.embed_tokens.weight")) {
        set(F::LlavaLlama3, L::ComfyUI);
    } else if (has("text_model.encoder.layers.0.self_attn.q_proj.weight")) {
        set(F::ClipLText, plain);
    }
}

}  // namespace

std::string_view modelFamilyName(ModelFamily family) {
    switch (family) {
        case ModelFamily::Unknown:
            return "unrecognised";
        case ModelFamily::WanDiT:
            return "Wan 2.1 DiT (video transformer)";
        case ModelFamily::WanVAE:
            return "Wan 2.1 VAE";
        case ModelFamily::UMT5Encoder:
            return "umT5-XXL text encoder";
        case ModelFamily::WanCLIP:
            return "open-clip XLM-RoBERTa ViT-H/14 image encoder (Wan's CLIP)";
        case ModelFamily::HunyuanDiT:
            return "HunyuanVideo DiT (video transformer)";
        case ModelFamily::HunyuanVAE:
            return "HunyuanVideo 3D VAE";
        case ModelFamily::LlavaLlama3:
            return "LLaVA-Llama-3-8B text encoder";
        case ModelFamily::LlavaVision:
            return "LLaVA-Llama-3 vision tower and projector";
        case ModelFamily::ClipLText:
            return "CLIP-L text encoder";
        case ModelFamily::WanLora:
            return "LoRA for Wan 2.1";
        case ModelFamily::HunyuanLora:
            return "LoRA for HunyuanVideo";
    }
    return "unrecognised";
}

std::string_view checkpointLayoutName(CheckpointLayout layout) {
    switch (layout) {
        case CheckpointLayout::Official:
            return "official";
        case CheckpointLayout::ComfyUI:
            return "ComfyUI repackaged";
        case CheckpointLayout::Diffusers:
            return "diffusers";
        case CheckpointLayout::Gguf:
            return "GGUF";
    }
    return "unknown";
}

std::string_view modelFamilyLicence(ModelFamily family) {
    switch (family) {
        case ModelFamily::WanDiT:
        case ModelFamily::WanVAE:
        case ModelFamily::UMT5Encoder:
        case ModelFamily::WanCLIP:
            return "Apache-2.0";
        case ModelFamily::HunyuanDiT:
        case ModelFamily::HunyuanVAE:
            return "Tencent Hunyuan Community License (not licensed in the European Union, the "
                   "United Kingdom or South Korea)";
        case ModelFamily::LlavaLlama3:
        case ModelFamily::LlavaVision:
            return "Meta Llama 3 Community License";
        case ModelFamily::ClipLText:
            return "MIT (OpenAI CLIP)";
        case ModelFamily::WanLora:
        case ModelFamily::HunyuanLora:
            return "as its author publishes it";
        case ModelFamily::Unknown:
            break;
    }
    return "unknown";
}

const std::vector<std::string_view>& knownNamePrefixes() {
    // Longest first. HunyuanVideo's official files wrap their state dicts: the DiT's
    // mp_rank_00_model_states.pt is {"module": ...}, the VAE's pytorch_model.pt may be
    // {"state_dict": {"vae.…": ...}} (the .pth reader joins nested keys with dots).
    static const std::vector<std::string_view> prefixes = {"model.diffusion_model.",
                                                           "diffusion_model.",
                                                           "first_stage_model.",
                                                           "state_dict.vae.",
                                                           "state_dict.",
                                                           "module.",
                                                           "vae."};
    return prefixes;
}

bool isScaleTensorName(std::string_view name) {
    return name == "scaled_fp8" || endsWith(name, ".scaled_fp8") ||
           endsWith(name, ".scale_weight") || endsWith(name, ".scale_input");
}

ModelRecognition recogniseModel(const std::vector<TensorInfo>& tensors,
                                const std::map<std::string, std::string>& metadata,
                                std::string_view architecture) {
    ModelRecognition r;
    std::vector<std::string> names;
    for (const TensorInfo& info : tensors) {
        if (isScaleTensorName(info.name)) {
            r.scaledFp8 = true;
        } else {
            names.push_back(info.name);
        }
    }
    for (const std::string_view prefix : knownNamePrefixes()) {
        const auto carrying = std::count_if(names.begin(), names.end(), [&](const std::string& n) {
            return startsWith(n, prefix);
        });
        if (carrying > 0 && static_cast<std::size_t>(carrying) * 2 > names.size()) {
            r.prefix = std::string(prefix);
            break;
        }
    }
    if (architecture.empty() && recogniseLora(names, r)) {
        return r;
    }
    std::set<std::string> stripped;
    for (const std::string& name : names) {
        stripped.insert(startsWith(name, r.prefix) ? name.substr(r.prefix.size()) : name);
    }
    recogniseFamily(stripped, architecture, r);
    const Shapes shapes = internalShapes(r.family, r.layout, tensors);
    switch (r.family) {
        case ModelFamily::WanDiT:
            describeWanDit(shapes, metadata, r);
            break;
        case ModelFamily::HunyuanDiT:
            describeHunyuanDit(shapes, metadata, r);
            break;
        case ModelFamily::WanVAE:
            describeWanVae(shapes, r);
            break;
        case ModelFamily::HunyuanVAE:
            describeHunyuanVae(shapes, r);
            break;
        case ModelFamily::UMT5Encoder:
            describeUmt5(shapes, tensors, r);
            break;
        case ModelFamily::WanCLIP:
            describeWanClip(shapes, r);
            break;
        case ModelFamily::LlavaLlama3:
            if (r.layout == CheckpointLayout::Gguf) {
                r.variant = "a llama GGUF (unknown size: its names are not mapped yet)";
            } else {
                describeLlava(shapes, r);
            }
            break;
        case ModelFamily::LlavaVision:
            describeLlavaVision(shapes, r);
            break;
        case ModelFamily::ClipLText:
            describeClipL(shapes, r);
            break;
        default:
            r.variant = "no model Storyreel knows";
            break;
    }
    return r;
}

}  // namespace storyreel::infer
