// Test support for the tiny Wan layouts: the official Wan 2.1 parameter names rewritten the
// way each published layout spells them, done forwards here (from the converters' own
// rules) so that the registry's backward mapping is checked against an independent
// spelling:
// - diffusers WanTransformer3DModel and AutoencoderKLWan: diffusers'
//   scripts/convert_wan_to_diffusers.py (TRANSFORMER_KEYS_RENAME_DICT, convert_vae);
// - transformers UMT5EncoderModel (diffusers' text_encoder/, ComfyUI's umt5_xxl_*.safetensors)
//   and CLIPVisionModel (diffusers' image_encoder/, ComfyUI's clip_vision_h.safetensors,
//   q/k/v split out of the fused to_qkv);
// - llama.cpp's T5 encoder GGUF names (city96's umt5-xxl-encoder-*.gguf).
//
//   NamedTensors diffusersDit = wanDitToDiffusers(officialDit);
//
// Thread-safety: pure functions.
#pragma once

#include "tests/core/infer/lora/safetensors_writer.h"

#include <ATen/ATen.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace storyreel::test {

inline std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

inline bool startsWith(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

// convert_wan_to_diffusers.py convert_transformer: every rule of the dict, in its order, as
// a substring replace (norm2 and norm3 are swapped through a placeholder).
inline std::string wanDitDiffusersName(std::string name) {
    static const std::vector<std::pair<std::string, std::string>> rules = {
        {"time_embedding.0", "condition_embedder.time_embedder.linear_1"},
        {"time_embedding.2", "condition_embedder.time_embedder.linear_2"},
        {"text_embedding.0", "condition_embedder.text_embedder.linear_1"},
        {"text_embedding.2", "condition_embedder.text_embedder.linear_2"},
        {"time_projection.1", "condition_embedder.time_proj"},
        {"head.modulation", "scale_shift_table"},
        {"head.head", "proj_out"},
        {"modulation", "scale_shift_table"},
        {"ffn.0", "ffn.net.0.proj"},
        {"ffn.2", "ffn.net.2"},
        {"norm2", "norm__placeholder"},
        {"norm3", "norm2"},
        {"norm__placeholder", "norm3"},
        {"img_emb.proj.0", "condition_embedder.image_embedder.norm1"},
        {"img_emb.proj.1", "condition_embedder.image_embedder.ff.net.0.proj"},
        {"img_emb.proj.3", "condition_embedder.image_embedder.ff.net.2"},
        {"img_emb.proj.4", "condition_embedder.image_embedder.norm2"},
        {"img_emb.emb_pos", "condition_embedder.image_embedder.pos_embed"},
        {"self_attn.q", "attn1.to_q"},
        {"self_attn.k", "attn1.to_k"},
        {"self_attn.v", "attn1.to_v"},
        {"self_attn.o", "attn1.to_out.0"},
        {"self_attn.norm_q", "attn1.norm_q"},
        {"self_attn.norm_k", "attn1.norm_k"},
        {"cross_attn.q", "attn2.to_q"},
        {"cross_attn.k", "attn2.to_k"},
        {"cross_attn.v", "attn2.to_v"},
        {"cross_attn.o", "attn2.to_out.0"},
        {"cross_attn.norm_q", "attn2.norm_q"},
        {"cross_attn.norm_k", "attn2.norm_k"},
        {"attn2.to_k_img", "attn2.add_k_proj"},
        {"attn2.to_v_img", "attn2.add_v_proj"},
        {"attn2.norm_k_img", "attn2.norm_added_k"},
    };
    for (const auto& [from, to] : rules) {
        name = replaceAll(name, from, to);
    }
    return name;
}

inline NamedTensors wanDitToDiffusers(const NamedTensors& official) {
    NamedTensors out;
    for (const auto& [name, tensor] : official) {
        out.emplace_back(wanDitDiffusersName(name), tensor);
    }
    return out;
}

// convert_wan_to_diffusers.py convert_vae, for the released topology (dim_mult [1, 2, 4,
// 4], two residual blocks a stage: the decoder's flat upsamples 0-14 regroup into four
// up_blocks of three resnets and an upsampler).
inline std::string wanVaeDiffusersName(const std::string& key) {
    static const std::map<std::string, std::string> residual = {
        {"residual.0.gamma", "norm1.gamma"},     {"residual.2.bias", "conv1.bias"},
        {"residual.2.weight", "conv1.weight"},   {"residual.3.gamma", "norm2.gamma"},
        {"residual.6.bias", "conv2.bias"},       {"residual.6.weight", "conv2.weight"},
        {"shortcut.bias", "conv_shortcut.bias"}, {"shortcut.weight", "conv_shortcut.weight"}};
    static const std::map<std::string, std::string> fixed = {
        {"encoder.head.0.gamma", "encoder.norm_out.gamma"},
        {"encoder.head.2.bias", "encoder.conv_out.bias"},
        {"encoder.head.2.weight", "encoder.conv_out.weight"},
        {"decoder.head.0.gamma", "decoder.norm_out.gamma"},
        {"decoder.head.2.bias", "decoder.conv_out.bias"},
        {"decoder.head.2.weight", "decoder.conv_out.weight"},
        {"conv1.weight", "quant_conv.weight"},
        {"conv1.bias", "quant_conv.bias"},
        {"conv2.weight", "post_quant_conv.weight"},
        {"conv2.bias", "post_quant_conv.bias"},
        {"encoder.conv1.weight", "encoder.conv_in.weight"},
        {"encoder.conv1.bias", "encoder.conv_in.bias"},
        {"decoder.conv1.weight", "decoder.conv_in.weight"},
        {"decoder.conv1.bias", "decoder.conv_in.bias"}};
    if (const auto found = fixed.find(key); found != fixed.end()) {
        return found->second;
    }
    // "<part>.<index>.<rest>" split after the prefix.
    const auto split = [&](const std::string& prefix) {
        const std::string tail = key.substr(prefix.size());
        const std::size_t dot = tail.find('.');
        return std::make_pair(std::stoi(tail.substr(0, dot)), tail.substr(dot + 1));
    };
    for (const char* coder : {"encoder", "decoder"}) {
        const std::string middle = std::string(coder) + ".middle.";
        if (startsWith(key, middle)) {
            const auto [index, rest] = split(middle);
            if (index == 1) {
                return std::string(coder) + ".mid_block.attentions.0." + rest;
            }
            return std::string(coder) + ".mid_block.resnets." + (index == 0 ? "0." : "1.") +
                   residual.at(rest);
        }
    }
    if (startsWith(key, "encoder.downsamples.")) {
        const auto [index, rest] = split("encoder.downsamples.");
        const auto found = residual.find(rest);
        return "encoder.down_blocks." + std::to_string(index) + "." +
               (found == residual.end() ? rest : found->second);
    }
    if (startsWith(key, "decoder.upsamples.")) {
        const auto [index, rest] = split("decoder.upsamples.");
        const std::string block = std::to_string(index / 4);
        if (index % 4 == 3) {
            return "decoder.up_blocks." + block + ".upsamplers.0." + rest;
        }
        return "decoder.up_blocks." + block + ".resnets." + std::to_string(index % 4) + "." +
               residual.at(rest);
    }
    return key;
}

inline NamedTensors wanVaeToDiffusers(const NamedTensors& official) {
    NamedTensors out;
    for (const auto& [name, tensor] : official) {
        out.emplace_back(wanVaeDiffusersName(name), tensor);
    }
    return out;
}

// "blocks.<i>.<rest>" -> {i, rest}; {-1, name} for the others.
inline std::pair<int, std::string> blockOf(const std::string& name, const std::string& prefix) {
    if (!startsWith(name, prefix)) {
        return {-1, name};
    }
    const std::size_t dot = name.find('.', prefix.size());
    return {std::stoi(name.substr(prefix.size(), dot - prefix.size())), name.substr(dot + 1)};
}

// wan/modules/t5.py T5Encoder -> transformers UMT5EncoderModel (the embedding once, as
// shared.weight: save_pretrained drops the tied encoder.embed_tokens).
inline NamedTensors umt5ToTransformers(const NamedTensors& official) {
    static const std::map<std::string, std::string> inBlock = {
        {"norm1", "layer.0.layer_norm"},
        {"attn.q", "layer.0.SelfAttention.q"},
        {"attn.k", "layer.0.SelfAttention.k"},
        {"attn.v", "layer.0.SelfAttention.v"},
        {"attn.o", "layer.0.SelfAttention.o"},
        {"pos_embedding.embedding", "layer.0.SelfAttention.relative_attention_bias"},
        {"norm2", "layer.1.layer_norm"},
        {"ffn.gate.0", "layer.1.DenseReluDense.wi_0"},
        {"ffn.fc1", "layer.1.DenseReluDense.wi_1"},
        {"ffn.fc2", "layer.1.DenseReluDense.wo"}};
    NamedTensors out;
    for (const auto& [name, tensor] : official) {
        const auto [block, rest] = blockOf(name, "blocks.");
        if (block < 0) {
            out.emplace_back(name == "token_embedding.weight" ? "shared.weight"
                                                              : "encoder.final_layer_norm.weight",
                             tensor);
            continue;
        }
        const std::string module = rest.substr(0, rest.rfind('.'));
        out.emplace_back("encoder.block." + std::to_string(block) + "." + inBlock.at(module) +
                             rest.substr(rest.rfind('.')),
                         tensor);
    }
    return out;
}

// wan/modules/t5.py T5Encoder -> llama.cpp's T5 encoder tensor names (arch t5encoder).
inline NamedTensors umt5ToLlamaCpp(const NamedTensors& official) {
    static const std::map<std::string, std::string> inBlock = {
        {"norm1", "attn_norm"},     {"attn.q", "attn_q"},
        {"attn.k", "attn_k"},       {"attn.v", "attn_v"},
        {"attn.o", "attn_o"},       {"norm2", "ffn_norm"},
        {"ffn.gate.0", "ffn_gate"}, {"ffn.fc1", "ffn_up"},
        {"ffn.fc2", "ffn_down"},    {"pos_embedding.embedding", "attn_rel_b"}};
    NamedTensors out;
    for (const auto& [name, tensor] : official) {
        const auto [block, rest] = blockOf(name, "blocks.");
        if (block < 0) {
            out.emplace_back(
                name == "token_embedding.weight" ? "token_embd.weight" : "enc.output_norm.weight",
                tensor);
            continue;
        }
        const std::string module = rest.substr(0, rest.rfind('.'));
        out.emplace_back("enc.blk." + std::to_string(block) + "." + inBlock.at(module) +
                             rest.substr(rest.rfind('.')),
                         tensor);
    }
    return out;
}

// wan/modules/clip.py visual tower -> transformers CLIPVisionModel: to_qkv split into
// q/k/v_proj, the [1, 1, dim] class and [1, positions, dim] position embeddings flattened.
inline NamedTensors clipVisualToTransformers(const NamedTensors& official) {
    static const std::map<std::string, std::string> inBlock = {{"norm1", "layer_norm1"},
                                                               {"norm2", "layer_norm2"},
                                                               {"attn.proj", "self_attn.out_proj"},
                                                               {"mlp.0", "mlp.fc1"},
                                                               {"mlp.2", "mlp.fc2"}};
    NamedTensors out;
    for (const auto& [name, tensor] : official) {
        if (name == "visual.patch_embedding.weight") {
            out.emplace_back("vision_model.embeddings.patch_embedding.weight", tensor);
        } else if (name == "visual.cls_embedding") {
            out.emplace_back("vision_model.embeddings.class_embedding", tensor.reshape({-1}));
        } else if (name == "visual.pos_embedding") {
            out.emplace_back("vision_model.embeddings.position_embedding.weight", tensor[0]);
        } else if (startsWith(name, "visual.pre_norm.")) {
            out.emplace_back(replaceAll(name, "visual.pre_norm.", "vision_model.pre_layrnorm."),
                             tensor);
        } else if (startsWith(name, "visual.post_norm.")) {
            out.emplace_back(replaceAll(name, "visual.post_norm.", "vision_model.post_layernorm."),
                             tensor);
        } else {
            const auto [block, rest] = blockOf(name, "visual.transformer.");
            const std::string layer = "vision_model.encoder.layers." + std::to_string(block) + ".";
            const std::string module = rest.substr(0, rest.rfind('.'));
            const std::string suffix = rest.substr(rest.rfind('.'));
            if (module == "attn.to_qkv") {
                const std::vector<at::Tensor> qkv = tensor.chunk(3, 0);
                out.emplace_back(layer + "self_attn.q_proj" + suffix, qkv[0].contiguous());
                out.emplace_back(layer + "self_attn.k_proj" + suffix, qkv[1].contiguous());
                out.emplace_back(layer + "self_attn.v_proj" + suffix, qkv[2].contiguous());
            } else {
                out.emplace_back(layer + inBlock.at(module) + suffix, tensor);
            }
        }
    }
    return out;
}

inline NamedTensors withPrefix(const NamedTensors& tensors, const std::string& prefix) {
    NamedTensors out;
    for (const auto& [name, tensor] : tensors) {
        out.emplace_back(prefix + name, tensor);
    }
    return out;
}

}  // namespace storyreel::test
