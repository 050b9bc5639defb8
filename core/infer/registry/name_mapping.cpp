#include "core/infer/registry/name_mapping.h"

#include <algorithm>
#include <cctype>

namespace storyreel::infer {

namespace {

// One rename: the leading segments `from` of a layout's name become `to`; the segments
// after them (".weight", ".bias", ...) follow unchanged. '#' matches a block index and is
// written back where `to` has '#'.
struct Rule {
    std::string_view from;
    std::string_view to;
    MappingKind kind = MappingKind::Rename;
    int part = 0;
    int parts = 1;
    int leadingOnes = 0;
};

std::vector<std::string_view> segments(std::string_view name) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (start <= name.size()) {
        const std::size_t dot = name.find('.', start);
        const std::size_t end = dot == std::string_view::npos ? name.size() : dot;
        parts.push_back(name.substr(start, end - start));
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    return parts;
}

bool isIndex(std::string_view segment) {
    return !segment.empty() && std::all_of(segment.begin(), segment.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
}

// The mapped name when `rule` matches the start of `name`.
std::optional<MappedName> apply(const Rule& rule, const std::vector<std::string_view>& name) {
    const std::vector<std::string_view> from = segments(rule.from);
    if (from.size() > name.size()) {
        return std::nullopt;
    }
    std::string index;
    for (std::size_t i = 0; i < from.size(); ++i) {
        if (from[i] == "#") {
            if (!isIndex(name[i])) {
                return std::nullopt;
            }
            index = std::string(name[i]);
        } else if (from[i] != name[i]) {
            return std::nullopt;
        }
    }
    std::string mapped;
    for (const char c : rule.to) {
        if (c == '#') {
            mapped += index;
        } else {
            mapped += c;
        }
    }
    for (std::size_t i = from.size(); i < name.size(); ++i) {
        mapped += '.';
        mapped += name[i];
    }
    return MappedName{mapped, rule.kind, rule.part, rule.parts, rule.leadingOnes};
}

// The longest matching rule wins, so specific renames override general ones.
std::optional<MappedName> applyTable(const std::vector<Rule>& table, std::string_view name) {
    const std::vector<std::string_view> parts = segments(name);
    std::optional<MappedName> best;
    std::size_t bestLength = 0;
    for (const Rule& rule : table) {
        if (rule.from.size() <= bestLength) {
            continue;
        }
        if (std::optional<MappedName> mapped = apply(rule, parts)) {
            best = std::move(mapped);
            bestLength = rule.from.size();
        }
    }
    return best;
}

constexpr MappingKind kConcat = MappingKind::Concat;

// diffusers WanTransformer3DModel -> wan/modules/model.py (convert_wan_to_diffusers.py
// TRANSFORMER_KEYS_RENAME_DICT read backwards; diffusers' norm2 is the official norm3).
const std::vector<Rule>& wanDitDiffusers() {
    static const std::vector<Rule> rules = {
        {"condition_embedder.time_embedder.linear_1", "time_embedding.0"},
        {"condition_embedder.time_embedder.linear_2", "time_embedding.2"},
        {"condition_embedder.text_embedder.linear_1", "text_embedding.0"},
        {"condition_embedder.text_embedder.linear_2", "text_embedding.2"},
        {"condition_embedder.time_proj", "time_projection.1"},
        {"condition_embedder.image_embedder.norm1", "img_emb.proj.0"},
        {"condition_embedder.image_embedder.ff.net.0.proj", "img_emb.proj.1"},
        {"condition_embedder.image_embedder.ff.net.2", "img_emb.proj.3"},
        {"condition_embedder.image_embedder.norm2", "img_emb.proj.4"},
        {"patch_embedding", "patch_embedding"},
        {"scale_shift_table", "head.modulation"},
        {"proj_out", "head.head"},
        {"blocks.#.scale_shift_table", "blocks.#.modulation"},
        {"blocks.#.attn1.to_q", "blocks.#.self_attn.q"},
        {"blocks.#.attn1.to_k", "blocks.#.self_attn.k"},
        {"blocks.#.attn1.to_v", "blocks.#.self_attn.v"},
        {"blocks.#.attn1.to_out.0", "blocks.#.self_attn.o"},
        {"blocks.#.attn1.norm_q", "blocks.#.self_attn.norm_q"},
        {"blocks.#.attn1.norm_k", "blocks.#.self_attn.norm_k"},
        {"blocks.#.attn2.to_q", "blocks.#.cross_attn.q"},
        {"blocks.#.attn2.to_k", "blocks.#.cross_attn.k"},
        {"blocks.#.attn2.to_v", "blocks.#.cross_attn.v"},
        {"blocks.#.attn2.to_out.0", "blocks.#.cross_attn.o"},
        {"blocks.#.attn2.norm_q", "blocks.#.cross_attn.norm_q"},
        {"blocks.#.attn2.norm_k", "blocks.#.cross_attn.norm_k"},
        {"blocks.#.attn2.add_k_proj", "blocks.#.cross_attn.k_img"},
        {"blocks.#.attn2.add_v_proj", "blocks.#.cross_attn.v_img"},
        {"blocks.#.attn2.norm_added_k", "blocks.#.cross_attn.norm_k_img"},
        {"blocks.#.norm2", "blocks.#.norm3"},
        {"blocks.#.ffn.net.0.proj", "blocks.#.ffn.0"},
        {"blocks.#.ffn.net.2", "blocks.#.ffn.2"},
    };
    return rules;
}

// diffusers HunyuanVideoTransformer3DModel -> hyvideo/modules/models.py
// (convert_hunyuan_video_to_diffusers.py read backwards: split q/k/v are concatenated back
// into the fused qkv and linear1; norm_out holds (scale, shift) where final_layer holds
// (shift, scale)).
const std::vector<Rule>& hunyuanDitDiffusers() {
    static const std::vector<Rule> rules = {
        {"x_embedder.proj", "img_in.proj"},
        {"time_text_embed.timestep_embedder.linear_1", "time_in.mlp.0"},
        {"time_text_embed.timestep_embedder.linear_2", "time_in.mlp.2"},
        {"time_text_embed.guidance_embedder.linear_1", "guidance_in.mlp.0"},
        {"time_text_embed.guidance_embedder.linear_2", "guidance_in.mlp.2"},
        {"time_text_embed.text_embedder.linear_1", "vector_in.in_layer"},
        {"time_text_embed.text_embedder.linear_2", "vector_in.out_layer"},
        {"context_embedder.proj_in", "txt_in.input_embedder"},
        {"context_embedder.time_text_embed.timestep_embedder.linear_1", "txt_in.t_embedder.mlp.0"},
        {"context_embedder.time_text_embed.timestep_embedder.linear_2", "txt_in.t_embedder.mlp.2"},
        {"context_embedder.time_text_embed.text_embedder.linear_1", "txt_in.c_embedder.linear_1"},
        {"context_embedder.time_text_embed.text_embedder.linear_2", "txt_in.c_embedder.linear_2"},
        {"context_embedder.token_refiner.refiner_blocks.#.norm1",
         "txt_in.individual_token_refiner.blocks.#.norm1"},
        {"context_embedder.token_refiner.refiner_blocks.#.norm2",
         "txt_in.individual_token_refiner.blocks.#.norm2"},
        {"context_embedder.token_refiner.refiner_blocks.#.attn.to_q",
         "txt_in.individual_token_refiner.blocks.#.self_attn_qkv", kConcat, 0, 3},
        {"context_embedder.token_refiner.refiner_blocks.#.attn.to_k",
         "txt_in.individual_token_refiner.blocks.#.self_attn_qkv", kConcat, 1, 3},
        {"context_embedder.token_refiner.refiner_blocks.#.attn.to_v",
         "txt_in.individual_token_refiner.blocks.#.self_attn_qkv", kConcat, 2, 3},
        {"context_embedder.token_refiner.refiner_blocks.#.attn.to_out.0",
         "txt_in.individual_token_refiner.blocks.#.self_attn_proj"},
        {"context_embedder.token_refiner.refiner_blocks.#.ff.net.0.proj",
         "txt_in.individual_token_refiner.blocks.#.mlp.fc1"},
        {"context_embedder.token_refiner.refiner_blocks.#.ff.net.2",
         "txt_in.individual_token_refiner.blocks.#.mlp.fc2"},
        {"context_embedder.token_refiner.refiner_blocks.#.norm_out.linear",
         "txt_in.individual_token_refiner.blocks.#.adaLN_modulation.1"},
        {"transformer_blocks.#.norm1.linear", "double_blocks.#.img_mod.linear"},
        {"transformer_blocks.#.norm1_context.linear", "double_blocks.#.txt_mod.linear"},
        {"transformer_blocks.#.attn.to_q", "double_blocks.#.img_attn_qkv", kConcat, 0, 3},
        {"transformer_blocks.#.attn.to_k", "double_blocks.#.img_attn_qkv", kConcat, 1, 3},
        {"transformer_blocks.#.attn.to_v", "double_blocks.#.img_attn_qkv", kConcat, 2, 3},
        {"transformer_blocks.#.attn.add_q_proj", "double_blocks.#.txt_attn_qkv", kConcat, 0, 3},
        {"transformer_blocks.#.attn.add_k_proj", "double_blocks.#.txt_attn_qkv", kConcat, 1, 3},
        {"transformer_blocks.#.attn.add_v_proj", "double_blocks.#.txt_attn_qkv", kConcat, 2, 3},
        {"transformer_blocks.#.attn.norm_q", "double_blocks.#.img_attn_q_norm"},
        {"transformer_blocks.#.attn.norm_k", "double_blocks.#.img_attn_k_norm"},
        {"transformer_blocks.#.attn.norm_added_q", "double_blocks.#.txt_attn_q_norm"},
        {"transformer_blocks.#.attn.norm_added_k", "double_blocks.#.txt_attn_k_norm"},
        {"transformer_blocks.#.attn.to_out.0", "double_blocks.#.img_attn_proj"},
        {"transformer_blocks.#.attn.to_add_out", "double_blocks.#.txt_attn_proj"},
        {"transformer_blocks.#.ff.net.0.proj", "double_blocks.#.img_mlp.fc1"},
        {"transformer_blocks.#.ff.net.2", "double_blocks.#.img_mlp.fc2"},
        {"transformer_blocks.#.ff_context.net.0.proj", "double_blocks.#.txt_mlp.fc1"},
        {"transformer_blocks.#.ff_context.net.2", "double_blocks.#.txt_mlp.fc2"},
        {"single_transformer_blocks.#.attn.to_q", "single_blocks.#.linear1", kConcat, 0, 4},
        {"single_transformer_blocks.#.attn.to_k", "single_blocks.#.linear1", kConcat, 1, 4},
        {"single_transformer_blocks.#.attn.to_v", "single_blocks.#.linear1", kConcat, 2, 4},
        {"single_transformer_blocks.#.proj_mlp", "single_blocks.#.linear1", kConcat, 3, 4},
        {"single_transformer_blocks.#.proj_out", "single_blocks.#.linear2"},
        {"single_transformer_blocks.#.attn.norm_q", "single_blocks.#.q_norm"},
        {"single_transformer_blocks.#.attn.norm_k", "single_blocks.#.k_norm"},
        {"single_transformer_blocks.#.norm.linear", "single_blocks.#.modulation.linear"},
        {"norm_out.linear", "final_layer.adaLN_modulation.1", MappingKind::SwapHalves},
        {"proj_out", "final_layer.linear"},
    };
    return rules;
}

// transformers UMT5EncoderModel (ComfyUI's and diffusers' umT5) -> wan/modules/t5.py.
const std::vector<Rule>& umt5Transformers() {
    static const std::vector<Rule> rules = {
        {"shared", "token_embedding"},
        {"encoder.embed_tokens", "token_embedding"},
        {"encoder.block.#.layer.0.layer_norm", "blocks.#.norm1"},
        {"encoder.block.#.layer.0.SelfAttention.q", "blocks.#.attn.q"},
        {"encoder.block.#.layer.0.SelfAttention.k", "blocks.#.attn.k"},
        {"encoder.block.#.layer.0.SelfAttention.v", "blocks.#.attn.v"},
        {"encoder.block.#.layer.0.SelfAttention.o", "blocks.#.attn.o"},
        {"encoder.block.#.layer.0.SelfAttention.relative_attention_bias",
         "blocks.#.pos_embedding.embedding"},
        {"encoder.block.#.layer.1.layer_norm", "blocks.#.norm2"},
        {"encoder.block.#.layer.1.DenseReluDense.wi_0", "blocks.#.ffn.gate.0"},
        {"encoder.block.#.layer.1.DenseReluDense.wi_1", "blocks.#.ffn.fc1"},
        {"encoder.block.#.layer.1.DenseReluDense.wo", "blocks.#.ffn.fc2"},
        {"encoder.final_layer_norm", "norm"},
    };
    return rules;
}

// llama.cpp T5 encoder names (ComfyUI-GGUF loader.py T5_SD_MAP) -> wan/modules/t5.py.
const std::vector<Rule>& umt5Gguf() {
    static const std::vector<Rule> rules = {
        {"token_embd", "token_embedding"},
        {"enc.blk.#.attn_norm", "blocks.#.norm1"},
        {"enc.blk.#.attn_q", "blocks.#.attn.q"},
        {"enc.blk.#.attn_k", "blocks.#.attn.k"},
        {"enc.blk.#.attn_v", "blocks.#.attn.v"},
        {"enc.blk.#.attn_o", "blocks.#.attn.o"},
        {"enc.blk.#.attn_rel_b", "blocks.#.pos_embedding.embedding"},
        {"enc.blk.#.ffn_norm", "blocks.#.norm2"},
        {"enc.blk.#.ffn_gate", "blocks.#.ffn.gate.0"},
        {"enc.blk.#.ffn_up", "blocks.#.ffn.fc1"},
        {"enc.blk.#.ffn_down", "blocks.#.ffn.fc2"},
        {"enc.output_norm", "norm"},
    };
    return rules;
}

// transformers CLIPVisionModel (ComfyUI clip_vision_h, diffusers' image_encoder) ->
// wan/modules/clip.py visual tower (split q/k/v -> to_qkv; [dim] -> [1, 1, dim] embeddings).
const std::vector<Rule>& clipVisionTransformers() {
    static const std::vector<Rule> rules = {
        {"vision_model.embeddings.patch_embedding", "visual.patch_embedding"},
        {"vision_model.embeddings.class_embedding", "visual.cls_embedding", MappingKind::Unsqueeze,
         0, 1, 2},
        {"vision_model.embeddings.position_embedding.weight", "visual.pos_embedding",
         MappingKind::Unsqueeze, 0, 1, 1},
        {"vision_model.pre_layrnorm", "visual.pre_norm"},
        {"vision_model.encoder.layers.#.layer_norm1", "visual.transformer.#.norm1"},
        {"vision_model.encoder.layers.#.layer_norm2", "visual.transformer.#.norm2"},
        {"vision_model.encoder.layers.#.self_attn.q_proj", "visual.transformer.#.attn.to_qkv",
         kConcat, 0, 3},
        {"vision_model.encoder.layers.#.self_attn.k_proj", "visual.transformer.#.attn.to_qkv",
         kConcat, 1, 3},
        {"vision_model.encoder.layers.#.self_attn.v_proj", "visual.transformer.#.attn.to_qkv",
         kConcat, 2, 3},
        {"vision_model.encoder.layers.#.self_attn.out_proj", "visual.transformer.#.attn.proj"},
        {"vision_model.encoder.layers.#.mlp.fc1", "visual.transformer.#.mlp.0"},
        {"vision_model.encoder.layers.#.mlp.fc2", "visual.transformer.#.mlp.2"},
        {"vision_model.post_layernorm", "visual.post_norm"},
        {"visual_projection.weight", "visual.head", MappingKind::Transpose},
    };
    return rules;
}

// ComfyUI's text-only llava_llama3 and transformers >= 4.52 Llava names ->
// transformers 4.39 LlavaForConditionalGeneration (the names HunyuanVideo-I2V loads).
const std::vector<Rule>& llavaComfyUI() {
    static const std::vector<Rule> rules = {
        {"model", "language_model.model"},
        {"lm_head", "language_model.lm_head"},
    };
    return rules;
}

// ComfyUI's clip_vision/llava_llama3_vision (comfy/clip_model.py CLIPVisionModelProjection
// with its LlavaProjector) -> the same LlavaForConditionalGeneration names. Its
// visual_projection (unused by LLaVA) maps to nothing.
const std::vector<Rule>& llavaVisionComfyUI() {
    static const std::vector<Rule> rules = {
        {"vision_model", "vision_tower.vision_model"},
        {"multi_modal_projector", "multi_modal_projector"},
    };
    return rules;
}

const std::vector<Rule>& llavaTransformers() {
    static const std::vector<Rule> rules = {
        {"model.language_model", "language_model.model"},
        {"model.vision_tower", "vision_tower"},
        {"model.multi_modal_projector", "multi_modal_projector"},
        {"lm_head", "language_model.lm_head"},
    };
    return rules;
}

// diffusers AutoencoderKLWan -> wan/modules/vae.py (convert_wan_to_diffusers.py convert_vae
// read backwards). The decoder's up_blocks regroup the flat `upsamples` list, so they are
// mapped by mapWanVaeUpBlock below.
const std::vector<Rule>& wanVaeDiffusers() {
    static const std::vector<Rule> rules = {
        {"quant_conv", "conv1"},
        {"post_quant_conv", "conv2"},
        {"encoder.conv_in", "encoder.conv1"},
        {"decoder.conv_in", "decoder.conv1"},
        {"encoder.norm_out", "encoder.head.0"},
        {"encoder.conv_out", "encoder.head.2"},
        {"decoder.norm_out", "decoder.head.0"},
        {"decoder.conv_out", "decoder.head.2"},
        {"encoder.down_blocks.#", "encoder.downsamples.#"},
        {"encoder.down_blocks.#.norm1", "encoder.downsamples.#.residual.0"},
        {"encoder.down_blocks.#.conv1", "encoder.downsamples.#.residual.2"},
        {"encoder.down_blocks.#.norm2", "encoder.downsamples.#.residual.3"},
        {"encoder.down_blocks.#.conv2", "encoder.downsamples.#.residual.6"},
        {"encoder.down_blocks.#.conv_shortcut", "encoder.downsamples.#.shortcut"},
        {"encoder.mid_block.attentions.0", "encoder.middle.1"},
        {"decoder.mid_block.attentions.0", "decoder.middle.1"},
    };
    return rules;
}

// resnet parts: diffusers name -> index inside the official `residual` Sequential.
std::optional<std::string> residualPart(std::string_view part) {
    if (part == "norm1") {
        return "residual.0";
    }
    if (part == "conv1") {
        return "residual.2";
    }
    if (part == "norm2") {
        return "residual.3";
    }
    if (part == "conv2") {
        return "residual.6";
    }
    if (part == "conv_shortcut") {
        return "shortcut";
    }
    return std::nullopt;
}

std::string joinFrom(const std::vector<std::string_view>& parts, std::size_t first) {
    std::string text;
    for (std::size_t i = first; i < parts.size(); ++i) {
        text += (i == first ? "" : ".") + std::string(parts[i]);
    }
    return text;
}

// {encoder,decoder}.mid_block.resnets.{0,1}.X -> .middle.{0,2}.residual...;
// decoder.up_blocks.B.resnets.R.X -> decoder.upsamples.(4B+R)...;
// decoder.up_blocks.B.upsamplers.0.X -> decoder.upsamples.(4B+3).X.
std::optional<MappedName> mapWanVaeBlocks(std::string_view name) {
    const std::vector<std::string_view> p = segments(name);
    if (p.size() >= 5 && (p[0] == "encoder" || p[0] == "decoder") && p[1] == "mid_block" &&
        p[2] == "resnets" && (p[3] == "0" || p[3] == "1")) {
        const std::optional<std::string> part = residualPart(p[4]);
        if (part) {
            return MappedName{std::string(p[0]) + ".middle." + (p[3] == "0" ? "0." : "2.") + *part +
                              "." + joinFrom(p, 5)};
        }
    }
    if (p.size() >= 6 && p[0] == "decoder" && p[1] == "up_blocks" && isIndex(p[2]) &&
        isIndex(p[4])) {
        const int block = std::stoi(std::string(p[2]));
        if (p[3] == "resnets") {
            const std::optional<std::string> part = residualPart(p[5]);
            if (part) {
                return MappedName{"decoder.upsamples." +
                                  std::to_string(4 * block + std::stoi(std::string(p[4]))) + "." +
                                  *part + "." + joinFrom(p, 6)};
            }
        }
        if (p[3] == "upsamplers" && p[4] == "0") {
            return MappedName{"decoder.upsamples." + std::to_string(4 * block + 3) + "." +
                              joinFrom(p, 5)};
        }
    }
    return std::nullopt;
}

std::string_view stripPrefix(std::string_view name) {
    for (const std::string_view prefix : knownNamePrefixes()) {
        if (name.substr(0, prefix.size()) == prefix) {
            return name.substr(prefix.size());
        }
    }
    return name;
}

std::optional<MappedName> identity(std::string_view name) {
    return MappedName{std::string(name)};
}

// Families whose ComfyUI files carry transformers names rather than the reference's.
std::optional<MappedName> mapTransformersNames(ModelFamily family, std::string_view name) {
    switch (family) {
        case ModelFamily::UMT5Encoder:
            return applyTable(umt5Transformers(), name);
        case ModelFamily::WanCLIP:
            return applyTable(clipVisionTransformers(), name);
        default:
            return std::nullopt;
    }
}

}  // namespace

std::string_view mappingKindName(MappingKind kind) {
    switch (kind) {
        case MappingKind::Rename:
            return "rename";
        case MappingKind::Concat:
            return "concat";
        case MappingKind::SwapHalves:
            return "swap halves";
        case MappingKind::Unsqueeze:
            return "unsqueeze";
        case MappingKind::Transpose:
            return "transpose";
    }
    return "unknown";
}

std::optional<MappedName> mapToInternal(ModelFamily family, CheckpointLayout layout,
                                        std::string_view fullName) {
    if (isScaleTensorName(fullName)) {
        return std::nullopt;
    }
    const std::string_view name = stripPrefix(fullName);
    switch (layout) {
        case CheckpointLayout::Official:
            return identity(name);
        case CheckpointLayout::ComfyUI:
            if (family == ModelFamily::UMT5Encoder || family == ModelFamily::WanCLIP) {
                return mapTransformersNames(family, name);
            }
            if (family == ModelFamily::LlavaLlama3) {
                return applyTable(llavaComfyUI(), name);
            }
            if (family == ModelFamily::LlavaVision) {
                return applyTable(llavaVisionComfyUI(), name);
            }
            return identity(name);
        case CheckpointLayout::Gguf:
            if (family == ModelFamily::UMT5Encoder) {
                return applyTable(umt5Gguf(), name);
            }
            // ComfyUI-GGUF image models keep the reference names (llama GGUFs need q/k
            // un-permuting and are not mapped yet).
            if (family == ModelFamily::LlavaLlama3) {
                return std::nullopt;
            }
            return identity(name);
        case CheckpointLayout::Diffusers:
            switch (family) {
                case ModelFamily::WanDiT:
                    return applyTable(wanDitDiffusers(), name);
                case ModelFamily::HunyuanDiT:
                    return applyTable(hunyuanDitDiffusers(), name);
                case ModelFamily::WanVAE:
                    if (std::optional<MappedName> block = mapWanVaeBlocks(name)) {
                        return block;
                    }
                    return applyTable(wanVaeDiffusers(), name);
                case ModelFamily::UMT5Encoder:
                case ModelFamily::WanCLIP:
                    return mapTransformersNames(family, name);
                case ModelFamily::LlavaLlama3:
                    return applyTable(llavaTransformers(), name);
                default:
                    // HunyuanVideo's VAE and CLIP-L: diffusers/transformers names are the
                    // reference names.
                    return identity(name);
            }
    }
    return std::nullopt;
}

std::vector<std::int64_t> internalShape(MappingKind kind, int leadingOnes,
                                        const std::vector<std::vector<std::int64_t>>& sources) {
    if (sources.empty()) {
        return {};
    }
    std::vector<std::int64_t> shape = sources.front();
    switch (kind) {
        case MappingKind::Rename:
        case MappingKind::SwapHalves:
            break;
        case MappingKind::Concat:
            for (std::size_t i = 1; i < sources.size() && !shape.empty(); ++i) {
                shape[0] += sources[i].empty() ? 0 : sources[i][0];
            }
            break;
        case MappingKind::Unsqueeze:
            shape.insert(shape.begin(), static_cast<std::size_t>(leadingOnes), 1);
            break;
        case MappingKind::Transpose:
            if (shape.size() == 2) {
                std::swap(shape[0], shape[1]);
            }
            break;
    }
    return shape;
}

std::map<std::string, std::vector<std::int64_t>> internalShapes(
    ModelFamily family, CheckpointLayout layout, const std::vector<TensorInfo>& tensors) {
    struct Parts {
        MappedName first;
        std::map<int, std::vector<std::int64_t>> shapes;
    };
    std::map<std::string, Parts> grouped;
    for (const TensorInfo& info : tensors) {
        std::optional<MappedName> mapped = mapToInternal(family, layout, info.name);
        if (!mapped) {
            continue;
        }
        Parts& parts = grouped[mapped->internalName];
        if (parts.shapes.empty()) {
            parts.first = *mapped;
        }
        parts.shapes.emplace(mapped->part, info.shape);
    }
    std::map<std::string, std::vector<std::int64_t>> result;
    for (const auto& [name, parts] : grouped) {
        std::vector<std::vector<std::int64_t>> ordered;
        for (const auto& entry : parts.shapes) {
            ordered.push_back(entry.second);
        }
        result[name] = internalShape(parts.first.kind, parts.first.leadingOnes, ordered);
    }
    return result;
}

}  // namespace storyreel::infer
