#include "tests/core/infer/hunyuan/tiny_hunyuan_models.h"

#include "core/infer/tokenizers/byte_level_bpe.h"
#include "core/infer/tokenizers/hunyuan_prompt_tokens.h"
#include "tests/core/infer/wan/tiny_wan_files.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <utility>

namespace storyreel::test {
namespace {

// Random parameters in the reference's initialisation spirit (matrices ~ N(0, 1/fan_in),
// norm gains near 1, small biases), rounded to values float16 and bfloat16 both hold.
class TinyParameters {
public:
    explicit TinyParameters(std::uint64_t seed) { at::manual_seed(seed); }

    void add(const std::string& name, const at::Tensor& values) {
        tensors_.emplace_back(name, exactInHalfAndBfloat16(values));
    }
    void matrix(const std::string& name, std::int64_t out, std::int64_t in) {
        add(name, at::randn({out, in}) / std::sqrt(static_cast<double>(in)));
    }
    void bias(const std::string& name, std::int64_t n) { add(name, 0.05 * at::randn({n})); }
    void linear(const std::string& name, std::int64_t out, std::int64_t in, bool withBias = true) {
        matrix(name + ".weight", out, in);
        if (withBias) {
            bias(name + ".bias", out);
        }
    }
    void gain(const std::string& name, std::int64_t n) { add(name, 1.0 + 0.1 * at::randn({n})); }
    // LayerNorm / GroupNorm: weight and bias.
    void norm(const std::string& name, std::int64_t n) {
        gain(name + ".weight", n);
        bias(name + ".bias", n);
    }
    // A convolution: weight [out, in, kernel...] and bias [out].
    void conv(const std::string& name, std::vector<std::int64_t> shape) {
        std::int64_t fanIn = 1;
        for (std::size_t d = 1; d < shape.size(); ++d) {
            fanIn *= shape[d];
        }
        const std::int64_t out = shape.front();
        add(name + ".weight", at::randn(shape) / std::sqrt(static_cast<double>(fanIn)));
        bias(name + ".bias", out);
    }

    NamedTensors take() { return std::move(tensors_); }

private:
    NamedTensors tensors_;
};

// HYVideoDiffusionTransformer's sizes (see the header).
constexpr std::int64_t kDitHidden = 256;
constexpr std::int64_t kDitHeadDim = 128;
constexpr std::int64_t kDitMlp = 4 * kDitHidden;
constexpr std::int64_t kDitTextDim = 256;
constexpr std::int64_t kDitTextDim2 = 128;
constexpr std::int64_t kDitChannels = 16;
constexpr std::int64_t kFrequencyDim = 256;  // TimestepEmbedder's frequency_embedding_size

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("tiny HunyuanVideo models: cannot read " + path.string());
    }
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::filesystem::path tokenizerData() {
    return std::filesystem::path(STORYREEL_SOURCE_DIR) / "tests" / "data" / "tokenizers";
}

// CLIP encoder layers (transformers CLIPEncoderLayer) under `prefix`.
void clipEncoderLayers(TinyParameters& p, const std::string& prefix, std::int64_t layers,
                       std::int64_t hidden, std::int64_t intermediate) {
    for (std::int64_t i = 0; i < layers; ++i) {
        const std::string l = prefix + "encoder.layers." + std::to_string(i) + ".";
        for (const char* proj : {"q_proj", "k_proj", "v_proj", "out_proj"}) {
            p.linear(l + "self_attn." + proj, hidden, hidden);
        }
        p.norm(l + "layer_norm1", hidden);
        p.linear(l + "mlp.fc1", intermediate, hidden);
        p.linear(l + "mlp.fc2", hidden, intermediate);
        p.norm(l + "layer_norm2", hidden);
    }
}

// A ResnetBlockCausal3D of constant width (no conv_shortcut).
void vaeResnet(TinyParameters& p, const std::string& name, std::int64_t channels) {
    p.norm(name + ".norm1", channels);
    p.conv(name + ".conv1.conv", {channels, channels, 3, 3, 3});
    p.norm(name + ".norm2", channels);
    p.conv(name + ".conv2.conv", {channels, channels, 3, 3, 3});
}

void vaeMidBlock(TinyParameters& p, const std::string& name, std::int64_t channels) {
    vaeResnet(p, name + ".resnets.0", channels);
    const std::string attention = name + ".attentions.0.";
    p.norm(attention + "group_norm", channels);
    for (const char* proj : {"to_q", "to_k", "to_v", "to_out.0"}) {
        p.linear(attention + proj, channels, channels);
    }
    vaeResnet(p, name + ".resnets.1", channels);
}

}  // namespace

NamedTensors tinyHunyuanDit() {
    TinyParameters p(1300);
    const std::int64_t h = kDitHidden;
    p.conv("img_in.proj", {h, kDitChannels, 1, 2, 2});
    // txt_in: SingleTokenRefiner (depth 2, heads_num of the DiT, mlp ratio 4).
    p.linear("txt_in.input_embedder", h, kDitTextDim);
    p.linear("txt_in.t_embedder.mlp.0", h, kFrequencyDim);
    p.linear("txt_in.t_embedder.mlp.2", h, h);
    p.linear("txt_in.c_embedder.linear_1", h, kDitTextDim);
    p.linear("txt_in.c_embedder.linear_2", h, h);
    for (int i = 0; i < 2; ++i) {
        const std::string b = "txt_in.individual_token_refiner.blocks." + std::to_string(i) + ".";
        p.norm(b + "norm1", h);
        p.linear(b + "self_attn_qkv", 3 * h, h);
        p.linear(b + "self_attn_proj", h, h);
        p.norm(b + "norm2", h);
        p.linear(b + "mlp.fc1", kDitMlp, h);
        p.linear(b + "mlp.fc2", h, kDitMlp);
        p.linear(b + "adaLN_modulation.1", 2 * h, h);
    }
    p.linear("time_in.mlp.0", h, kFrequencyDim);
    p.linear("time_in.mlp.2", h, h);
    p.linear("vector_in.in_layer", h, kDitTextDim2);
    p.linear("vector_in.out_layer", h, h);
    p.linear("guidance_in.mlp.0", h, kFrequencyDim);
    p.linear("guidance_in.mlp.2", h, h);
    for (const char* stream : {"img", "txt"}) {
        const std::string b = std::string("double_blocks.0.") + stream + "_";
        p.linear(b + "mod.linear", 6 * h, h);
        p.linear(b + "attn_qkv", 3 * h, h);
        p.gain(b + "attn_q_norm.weight", kDitHeadDim);
        p.gain(b + "attn_k_norm.weight", kDitHeadDim);
        p.linear(b + "attn_proj", h, h);
        p.linear(b + "mlp.fc1", kDitMlp, h);
        p.linear(b + "mlp.fc2", h, kDitMlp);
    }
    p.linear("single_blocks.0.linear1", 3 * h + kDitMlp, h);
    p.linear("single_blocks.0.linear2", h, h + kDitMlp);
    p.gain("single_blocks.0.q_norm.weight", kDitHeadDim);
    p.gain("single_blocks.0.k_norm.weight", kDitHeadDim);
    p.linear("single_blocks.0.modulation.linear", 3 * h, h);
    p.linear("final_layer.linear", 1 * 2 * 2 * kDitChannels, h);
    p.linear("final_layer.adaLN_modulation.1", 2 * h, h);
    return p.take();
}

NamedTensors tinyHunyuanVae() {
    TinyParameters p(884);
    const std::int64_t c = 32;
    const std::int64_t latent = 16;
    const int blocks = 4;
    const int layers = 2;
    p.conv("encoder.conv_in.conv", {c, 3, 3, 3, 3});
    for (int i = 0; i < blocks; ++i) {
        const std::string b = "encoder.down_blocks." + std::to_string(i);
        for (int j = 0; j < layers; ++j) {
            vaeResnet(p, b + ".resnets." + std::to_string(j), c);
        }
        if (i + 1 < blocks) {
            p.conv(b + ".downsamplers.0.conv.conv", {c, c, 3, 3, 3});
        }
    }
    vaeMidBlock(p, "encoder.mid_block", c);
    p.norm("encoder.conv_norm_out", c);
    p.conv("encoder.conv_out.conv", {2 * latent, c, 3, 3, 3});
    p.conv("quant_conv", {2 * latent, 2 * latent, 1, 1, 1});
    p.conv("post_quant_conv", {latent, latent, 1, 1, 1});
    p.conv("decoder.conv_in.conv", {c, latent, 3, 3, 3});
    vaeMidBlock(p, "decoder.mid_block", c);
    for (int i = 0; i < blocks; ++i) {
        const std::string b = "decoder.up_blocks." + std::to_string(i);
        for (int j = 0; j < layers + 1; ++j) {
            vaeResnet(p, b + ".resnets." + std::to_string(j), c);
        }
        if (i + 1 < blocks) {
            p.conv(b + ".upsamplers.0.conv.conv", {c, c, 3, 3, 3});
        }
    }
    p.norm("decoder.conv_norm_out", c);
    p.conv("decoder.conv_out.conv", {3, c, 3, 3, 3});
    return p.take();
}

NamedTensors tinyHunyuanLlava() {
    TinyParameters p(8);
    const std::int64_t hidden = 256;
    const std::int64_t kvDim = 128;  // 1 KV head of 128
    const std::int64_t intermediate = 512;
    const std::string lm = "language_model.model.";
    p.add(lm + "embed_tokens.weight", at::randn({kTinyLlavaVocab, hidden}) * 0.5);
    for (int i = 0; i < 4; ++i) {
        const std::string l = lm + "layers." + std::to_string(i) + ".";
        p.linear(l + "self_attn.q_proj", hidden, hidden, false);
        p.linear(l + "self_attn.k_proj", kvDim, hidden, false);
        p.linear(l + "self_attn.v_proj", kvDim, hidden, false);
        p.linear(l + "self_attn.o_proj", hidden, hidden, false);
        p.linear(l + "mlp.gate_proj", intermediate, hidden, false);
        p.linear(l + "mlp.up_proj", intermediate, hidden, false);
        p.linear(l + "mlp.down_proj", hidden, intermediate, false);
        p.gain(l + "input_layernorm.weight", hidden);
        p.gain(l + "post_attention_layernorm.weight", hidden);
    }
    p.gain(lm + "norm.weight", hidden);
    p.linear("language_model.lm_head", kTinyLlavaVocab, hidden, false);
    const std::int64_t vision = 128;
    const std::string v = "vision_tower.vision_model.";
    p.add(v + "embeddings.class_embedding", at::randn({vision}) * 0.5);
    p.add(v + "embeddings.patch_embedding.weight",
          at::randn({vision, 3, 14, 14}) / std::sqrt(3.0 * 14 * 14));
    p.add(v + "embeddings.position_embedding.weight", at::randn({17, vision}) * 0.5);
    p.norm(v + "pre_layrnorm", vision);
    clipEncoderLayers(p, v, 2, vision, 256);
    p.norm(v + "post_layernorm", vision);
    p.linear("multi_modal_projector.linear_1", hidden, vision);
    p.linear("multi_modal_projector.linear_2", hidden, hidden);
    return p.take();
}

NamedTensors tinyHunyuanClipText() {
    TinyParameters p(77);
    const std::int64_t hidden = 128;
    p.add("text_model.embeddings.token_embedding.weight",
          at::randn({kTinyClipVocab, hidden}) * 0.5);
    p.add("text_model.embeddings.position_embedding.weight", at::randn({77, hidden}) * 0.5);
    clipEncoderLayers(p, "text_model.", 2, hidden, 256);
    p.norm("text_model.final_layer_norm", hidden);
    return p.take();
}

TinyHunyuanWeights tinyHunyuanWeights() {
    return {tinyHunyuanDit(), tinyHunyuanVae(), tinyHunyuanLlava(), tinyHunyuanClipText()};
}

std::string tinyHunyuanVaeConfigJson() {
    return R"({"_class_name": "AutoencoderKLCausal3D", "_diffusers_version": "0.4.2", )"
           R"("act_fn": "silu", "block_out_channels": [32, 32, 32, 32], "down_block_types": )"
           R"(["DownEncoderBlockCausal3D", "DownEncoderBlockCausal3D", )"
           R"("DownEncoderBlockCausal3D", "DownEncoderBlockCausal3D"], "in_channels": 3, )"
           R"("latent_channels": 16, "layers_per_block": 2, "mid_block_add_attention": true, )"
           R"("norm_num_groups": 32, "out_channels": 3, "sample_size": 256, )"
           R"("sample_tsize": 64, "scaling_factor": 0.476986, "spatial_compression_ratio": 8, )"
           R"("time_compression_ratio": 4, "up_block_types": ["UpDecoderBlockCausal3D", )"
           R"("UpDecoderBlockCausal3D", "UpDecoderBlockCausal3D", "UpDecoderBlockCausal3D"]})";
}

std::string tinyLlavaConfigJson() {
    return R"({"architectures": ["LlavaForConditionalGeneration"], "ignore_index": -100, )"
           R"("image_token_index": 310, "model_type": "llava", "pad_token_id": 311, )"
           R"("projector_hidden_act": "gelu", "text_config": {"architectures": )"
           R"(["LlamaForCausalLM"], "bos_token_id": 301, "eos_token_id": 302, )"
           R"("hidden_act": "silu", "hidden_size": 256, "intermediate_size": 512, )"
           R"("max_position_embeddings": 8192, "model_type": "llama", )"
           R"("num_attention_heads": 2, "num_hidden_layers": 4, "num_key_value_heads": 1, )"
           R"("rms_norm_eps": 1e-05, "rope_theta": 500000.0, "torch_dtype": "float16", )"
           R"("vocab_size": 320}, "tie_word_embeddings": false, "torch_dtype": "float16", )"
           R"("transformers_version": "4.40.0.dev0", "vision_config": {"hidden_act": )"
           R"("quick_gelu", "hidden_size": 128, "image_size": 56, "intermediate_size": 256, )"
           R"("layer_norm_eps": 1e-05, "model_type": "clip_vision_model", )"
           R"("num_attention_heads": 2, "num_hidden_layers": 2, "patch_size": 14, )"
           R"("projection_dim": 128}, "vision_feature_layer": -2, )"
           R"("vision_feature_select_strategy": "default"})";
}

std::string tinyLlavaPreprocessorJson() {
    return R"({"crop_size": {"height": 56, "width": 56}, "do_center_crop": true, )"
           R"("do_convert_rgb": true, "do_normalize": true, "do_rescale": true, )"
           R"("do_resize": true, "image_mean": [0.48145466, 0.4578275, 0.40821073], )"
           R"("image_processor_type": "CLIPImageProcessor", "image_std": [0.26862954, )"
           R"(0.26130258, 0.27577711], "processor_class": "LlavaProcessor", "resample": 3, )"
           R"("rescale_factor": 0.00392156862745098, "size": {"shortest_edge": 56}})";
}

std::string tinyClipTextConfigJson() {
    return R"({"architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": 128, )"
           R"("text_config": {"bos_token_id": 542, "eos_token_id": 543, "hidden_act": )"
           R"("quick_gelu", "hidden_size": 128, "intermediate_size": 256, )"
           R"("layer_norm_eps": 1e-05, "max_position_embeddings": 77, "model_type": )"
           R"("clip_text_model", "num_attention_heads": 2, "num_hidden_layers": 2, )"
           R"("pad_token_id": 1, "projection_dim": 128, "vocab_size": 544}, )"
           R"("torch_dtype": "float32", "transformers_version": "4.39.3", "vision_config": )"
           R"({"hidden_size": 128, "image_size": 56, "intermediate_size": 256, )"
           R"("model_type": "clip_vision_model", "num_attention_heads": 2, )"
           R"("num_hidden_layers": 2, "patch_size": 14, "projection_dim": 128}})";
}

std::string tinyLlavaTokenizerJson() {
    std::string json = readFile(tokenizerData() / "llama_small" / "tokenizer.json");
    const std::size_t list = json.find("\"added_tokens\"");
    const std::size_t end = list == std::string::npos ? list : json.find(']', list);
    if (end == std::string::npos) {
        throw std::runtime_error(
            "tiny HunyuanVideo models: llama_small/tokenizer.json has no "
            "added_tokens list");
    }
    const auto token = [](std::int64_t id, const char* content) {
        return ",\n  {\"id\": " + std::to_string(id) + ", \"content\": \"" + content +
               "\", \"single_word\": false, \"lstrip\": false, \"rstrip\": false, "
               "\"normalized\": false, \"special\": true}";
    };
    const std::size_t lastEntry = json.rfind('}', end);
    json.insert(lastEntry + 1,
                token(kTinyLlavaImageTokenId, "<image>") + token(kTinyLlavaPadTokenId, "<pad>"));
    return json;
}

void writeTinyLlavaTokenizer(const std::filesystem::path& tokenizerJson) {
    writeText(tokenizerJson, tinyLlavaTokenizerJson());
}

void writeTinyClipTokenizer(const std::filesystem::path& folder) {
    for (const char* file : {"vocab.json", "merges.txt"}) {
        writeText(folder / file, readFile(tokenizerData() / "clip_small" / file));
    }
}

infer::hunyuan::HunyuanPromptTemplate tinyHunyuanPromptTemplate() {
    const infer::ByteLevelBpeTokenizer tokenizer =
        infer::ByteLevelBpeTokenizer::fromJsonText(tinyLlavaTokenizerJson(), "tiny tokenizer");
    const std::string_view text = infer::hunyuanVideoI2VTemplate().text;
    const std::vector<std::int64_t> before =
        tokenizer.encode(text.substr(0, text.find("{}")), true);
    const std::vector<std::int64_t> doubleReturn = tokenizer.encode("\n\n", false);
    const auto image = std::find(before.begin(), before.end(), kTinyLlavaImageTokenId);
    if (image == before.end() || doubleReturn.size() != 1) {
        throw std::runtime_error(
            "tiny HunyuanVideo models: the tiny tokenizer does not split "
            "the I2V template as expected");
    }
    infer::hunyuan::HunyuanPromptTemplate fields;
    fields.cropStart = static_cast<std::int64_t>(before.size());
    fields.imageEmbStart = image - before.begin();
    fields.imageEmbLen = 16;
    fields.imageEmbEnd = fields.imageEmbStart + fields.imageEmbLen;
    fields.doubleReturnTokenId = doubleReturn.front();
    return fields;
}

}  // namespace storyreel::test
