// Test-side checkpoints for the registry tests: the golden weights (official names) read
// back, rewritten in the diffusers or ComfyUI layout (the renames diffusers' converters and
// ComfyUI apply, done forwards here so that the registry's backward mapping is checked
// against an independent spelling), sharded, or damaged.
//
//   NamedTensors dit = readAll(goldenDir() / "wan/wan_dit_i2v.weights.safetensors");
//   writeSafetensors(dir / "dit.safetensors", toWanDiffusers(dit));
//
// Thread-safety: test thread only.
#pragma once

#include "core/infer/weights/safetensors_reader.h"
#include "tests/core/infer/lora/safetensors_writer.h"
#include "tests/core/infer/weights/golden_dir.h"

#include <ATen/ATen.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace storyreel::test {

inline NamedTensors readAll(const std::filesystem::path& path) {
    const infer::SafetensorsReader reader(path);
    NamedTensors tensors;
    for (const std::string& name : reader.names()) {
        tensors.emplace_back(name, reader.tensor(name));
    }
    return tensors;
}

inline std::filesystem::path freshDir(const std::string& name) {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      ("storyreel_registry_" + std::to_string(::getpid())) / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

// Replaces `from` in `name` where it is whole dot-separated segments.
inline std::string replaceSegments(std::string name, const std::string& from,
                                   const std::string& to) {
    const std::string padded = "." + name + ".";
    const std::size_t at = padded.find("." + from + ".");
    if (at == std::string::npos) {
        return name;
    }
    return name.substr(0, at) + to + name.substr(at + from.size());
}

// wan/modules/model.py names -> diffusers WanTransformer3DModel (convert_wan_to_diffusers.py).
inline NamedTensors toWanDiffusers(const NamedTensors& official) {
    const std::vector<std::pair<std::string, std::string>> renames = {
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
        {"norm3", "norm2"},
        {"img_emb.proj.0", "condition_embedder.image_embedder.norm1"},
        {"img_emb.proj.1", "condition_embedder.image_embedder.ff.net.0.proj"},
        {"img_emb.proj.3", "condition_embedder.image_embedder.ff.net.2"},
        {"img_emb.proj.4", "condition_embedder.image_embedder.norm2"},
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
        {"cross_attn.k_img", "attn2.add_k_proj"},
        {"cross_attn.v_img", "attn2.add_v_proj"},
        {"cross_attn.norm_k_img", "attn2.norm_added_k"},
    };
    NamedTensors out;
    for (const auto& [name, tensor] : official) {
        std::string renamed = name;
        for (const auto& [from, to] : renames) {
            const std::string next = replaceSegments(renamed, from, to);
            if (next != renamed) {
                renamed = next;
                break;
            }
        }
        out.emplace_back(renamed, tensor);
    }
    return out;
}

// hyvideo names -> diffusers HunyuanVideoTransformer3DModel
// (convert_hunyuan_video_to_diffusers.py: renames, then q/k/v and linear1 split, final
// modulation halves swapped).
inline NamedTensors toHunyuanDiffusers(const NamedTensors& official, std::int64_t hidden) {
    const std::vector<std::pair<std::string, std::string>> renames = {
        {"final_layer.adaLN_modulation.1", "norm_out.linear"},
        {"img_in", "x_embedder"},
        {"time_in.mlp.0", "time_text_embed.timestep_embedder.linear_1"},
        {"time_in.mlp.2", "time_text_embed.timestep_embedder.linear_2"},
        {"guidance_in.mlp.0", "time_text_embed.guidance_embedder.linear_1"},
        {"guidance_in.mlp.2", "time_text_embed.guidance_embedder.linear_2"},
        {"vector_in.in_layer", "time_text_embed.text_embedder.linear_1"},
        {"vector_in.out_layer", "time_text_embed.text_embedder.linear_2"},
        {"double_blocks", "transformer_blocks"},
        {"single_blocks", "single_transformer_blocks"},
        {"img_attn_q_norm", "attn.norm_q"},
        {"img_attn_k_norm", "attn.norm_k"},
        {"img_attn_proj", "attn.to_out.0"},
        {"txt_attn_q_norm", "attn.norm_added_q"},
        {"txt_attn_k_norm", "attn.norm_added_k"},
        {"txt_attn_proj", "attn.to_add_out"},
        {"img_mod.linear", "norm1.linear"},
        {"txt_mod.linear", "norm1_context.linear"},
        {"img_mlp.fc1", "ff.net.0.proj"},
        {"img_mlp.fc2", "ff.net.2"},
        {"txt_mlp.fc1", "ff_context.net.0.proj"},
        {"txt_mlp.fc2", "ff_context.net.2"},
        {"self_attn_proj", "attn.to_out.0"},
        {"modulation.linear", "norm.linear"},
        {"final_layer.linear", "proj_out"},
        {"linear2", "proj_out"},
        {"q_norm", "attn.norm_q"},
        {"k_norm", "attn.norm_k"},
        {"mlp.fc1", "ff.net.0.proj"},
        {"mlp.fc2", "ff.net.2"},
        {"input_embedder", "proj_in"},
        {"individual_token_refiner.blocks", "token_refiner.refiner_blocks"},
        {"adaLN_modulation.1", "norm_out.linear"},
        {"t_embedder.mlp.0", "time_text_embed.timestep_embedder.linear_1"},
        {"t_embedder.mlp.2", "time_text_embed.timestep_embedder.linear_2"},
        {"c_embedder", "time_text_embed.text_embedder"},
        {"txt_in", "context_embedder"},
    };
    NamedTensors out;
    for (const auto& [name, tensor] : official) {
        std::string renamed = name;
        for (const auto& [from, to] : renames) {
            renamed = replaceSegments(renamed, from, to);
        }
        const std::string stem = renamed.substr(0, renamed.rfind('.'));
        const std::string leaf = renamed.substr(renamed.rfind('.'));
        const auto splitInto = [&](const std::string& fused,
                                   const std::vector<std::string>& parts) {
            const std::string base = stem.substr(0, stem.size() - fused.size());
            const std::vector<at::Tensor> pieces =
                parts.size() == 3 ? tensor.chunk(3, 0)
                                  : tensor.split_with_sizes(
                                        {hidden, hidden, hidden, tensor.size(0) - 3 * hidden}, 0);
            for (std::size_t i = 0; i < parts.size(); ++i) {
                out.emplace_back(base + parts[i] + leaf, pieces[i].clone());
            }
        };
        const auto endsWith = [&](const std::string& suffix) {
            return stem.size() >= suffix.size() &&
                   stem.compare(stem.size() - suffix.size(), suffix.size(), suffix) == 0;
        };
        if (endsWith("img_attn_qkv") || endsWith("self_attn_qkv")) {
            splitInto(endsWith("img_attn_qkv") ? "img_attn_qkv" : "self_attn_qkv",
                      {"attn.to_q", "attn.to_k", "attn.to_v"});
        } else if (endsWith("txt_attn_qkv")) {
            splitInto("txt_attn_qkv", {"attn.add_q_proj", "attn.add_k_proj", "attn.add_v_proj"});
        } else if (endsWith("linear1")) {
            splitInto("linear1", {"attn.to_q", "attn.to_k", "attn.to_v", "proj_mlp"});
        } else if (name.rfind("final_layer.adaLN_modulation.1", 0) == 0) {
            const std::vector<at::Tensor> halves = tensor.chunk(2, 0);
            out.emplace_back(renamed, at::cat({halves[1], halves[0]}, 0));
        } else {
            out.emplace_back(renamed, tensor);
        }
    }
    return out;
}

// A LlavaForConditionalGeneration state dict split as ComfyUI repackages HunyuanVideo's
// LLaVA: text_encoders/llava_llama3_*.safetensors holds the Llama under "model.*" and
// "lm_head.*"; clip_vision/llava_llama3_vision.safetensors the CLIP tower under
// "vision_model.*" and the projector under "multi_modal_projector.*" (comfy/clip_vision.py,
// clip_vision_config_vitl_336_llava.json).
struct LlavaSplit {
    NamedTensors language;
    NamedTensors vision;
};

inline LlavaSplit toComfyLlavaSplit(const NamedTensors& official) {
    const auto strip = [](const std::string& name, const std::string& prefix) {
        return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : std::string();
    };
    LlavaSplit split;
    for (const auto& [name, tensor] : official) {
        if (const std::string rest = strip(name, "language_model."); !rest.empty()) {
            split.language.emplace_back(rest, tensor);
        } else if (const std::string tower = strip(name, "vision_tower."); !tower.empty()) {
            split.vision.emplace_back(tower, tensor);
        } else {
            split.vision.emplace_back(name, tensor);  // multi_modal_projector.*
        }
    }
    return split;
}

// Writes `tensors` as a Hugging Face sharded checkpoint: `shards` files and an index.
inline std::filesystem::path writeSharded(const std::filesystem::path& dir, const std::string& stem,
                                          const NamedTensors& tensors, int shards) {
    std::string weightMap;
    for (int s = 0; s < shards; ++s) {
        const std::string file = stem + "-0000" + std::to_string(s + 1) + "-of-0000" +
                                 std::to_string(shards) + ".safetensors";
        NamedTensors part;
        for (std::size_t i = static_cast<std::size_t>(s); i < tensors.size();
             i += static_cast<std::size_t>(shards)) {
            part.push_back(tensors[i]);
            weightMap +=
                (weightMap.empty() ? "\"" : ",\"") + tensors[i].first + "\":\"" + file + "\"";
        }
        writeSafetensors(dir / file, part);
    }
    const std::filesystem::path index = dir / (stem + ".safetensors.index.json");
    std::ofstream(index) << "{\"metadata\":{\"total_size\":0},\"weight_map\":{" << weightMap
                         << "}}";
    return index;
}

}  // namespace storyreel::test
