#include "core/infer/registry/expected_tensors.h"

namespace storyreel::infer {

namespace {

using Shape = std::vector<std::int64_t>;
using Shapes = std::map<std::string, Shape>;

std::int64_t config(const ModelRecognition& r, const char* key) {
    const auto found = r.config.find(key);
    return found == r.config.end() ? 0 : found->second;
}

void linear(Shapes& out, const std::string& name, std::int64_t outFeatures,
            std::int64_t inFeatures) {
    out[name + ".weight"] = {outFeatures, inFeatures};
    out[name + ".bias"] = {outFeatures};
}

// wan/modules/model.py WanModel.__init__, WanAttentionBlock, Head, MLPProj.
Shapes wanDit(const ModelRecognition& r) {
    const std::int64_t dim = config(r, "dim");
    const std::int64_t ffn = config(r, "ffn_dim");
    // Released models: text_dim 4096, freq_dim 256, out_dim 16 x patch (1, 2, 2).
    const std::int64_t textDim = r.knownVariant ? 4096 : config(r, "text_dim");
    const std::int64_t freqDim = r.knownVariant ? 256 : config(r, "freq_dim");
    const std::int64_t outFeatures = r.knownVariant ? 64 : config(r, "out_features");
    const bool i2v = config(r, "i2v") != 0;
    Shapes s;
    s["patch_embedding.weight"] = {dim, config(r, "in_dim"), 1, 2, 2};
    s["patch_embedding.bias"] = {dim};
    linear(s, "text_embedding.0", dim, textDim);
    linear(s, "text_embedding.2", dim, dim);
    linear(s, "time_embedding.0", dim, freqDim);
    linear(s, "time_embedding.2", dim, dim);
    linear(s, "time_projection.1", 6 * dim, dim);
    for (std::int64_t i = 0; i < config(r, "layers"); ++i) {
        const std::string b = "blocks." + std::to_string(i) + ".";
        s[b + "modulation"] = {1, 6, dim};
        for (const char* attn : {"self_attn", "cross_attn"}) {
            for (const char* proj : {"q", "k", "v", "o"}) {
                linear(s, b + attn + "." + proj, dim, dim);
            }
            s[b + attn + ".norm_q.weight"] = {dim};
            s[b + attn + ".norm_k.weight"] = {dim};
        }
        if (i2v) {
            linear(s, b + "cross_attn.k_img", dim, dim);
            linear(s, b + "cross_attn.v_img", dim, dim);
            s[b + "cross_attn.norm_k_img.weight"] = {dim};
        }
        s[b + "norm3.weight"] = {dim};
        s[b + "norm3.bias"] = {dim};
        linear(s, b + "ffn.0", ffn, dim);
        linear(s, b + "ffn.2", dim, ffn);
    }
    s["head.modulation"] = {1, 2, dim};
    linear(s, "head.head", outFeatures, dim);
    if (i2v) {
        s["img_emb.proj.0.weight"] = {1280};
        s["img_emb.proj.0.bias"] = {1280};
        linear(s, "img_emb.proj.1", 1280, 1280);
        linear(s, "img_emb.proj.3", dim, 1280);
        s["img_emb.proj.4.weight"] = {dim};
        s["img_emb.proj.4.bias"] = {dim};
    }
    return s;
}

// hyvideo/modules/models.py HYVideoDiffusionTransformer, MMDoubleStreamBlock,
// MMSingleStreamBlock, token_refiner.py SingleTokenRefiner (mlp ratio 4, qkv bias).
Shapes hunyuanDit(const ModelRecognition& r) {
    const std::int64_t h = config(r, "hidden");
    const std::int64_t mlp = config(r, "mlp_hidden");
    const std::int64_t headDim = config(r, "head_dim");
    const std::int64_t textDim = config(r, "text_states_dim");
    Shapes s;
    s["img_in.proj.weight"] = {h, config(r, "in_channels"), 1, 2, 2};
    s["img_in.proj.bias"] = {h};
    linear(s, "txt_in.input_embedder", h, textDim);
    linear(s, "txt_in.t_embedder.mlp.0", h, 256);
    linear(s, "txt_in.t_embedder.mlp.2", h, h);
    linear(s, "txt_in.c_embedder.linear_1", h, textDim);
    linear(s, "txt_in.c_embedder.linear_2", h, h);
    for (std::int64_t i = 0; i < config(r, "refiner_blocks"); ++i) {
        const std::string b = "txt_in.individual_token_refiner.blocks." + std::to_string(i) + ".";
        for (const char* norm : {"norm1", "norm2"}) {
            s[b + norm + ".weight"] = {h};
            s[b + norm + ".bias"] = {h};
        }
        linear(s, b + "self_attn_qkv", 3 * h, h);
        linear(s, b + "self_attn_proj", h, h);
        linear(s, b + "mlp.fc1", 4 * h, h);
        linear(s, b + "mlp.fc2", h, 4 * h);
        linear(s, b + "adaLN_modulation.1", 2 * h, h);
    }
    linear(s, "time_in.mlp.0", h, 256);
    linear(s, "time_in.mlp.2", h, h);
    linear(s, "vector_in.in_layer", h, config(r, "text_states_dim_2"));
    linear(s, "vector_in.out_layer", h, h);
    if (config(r, "guidance") != 0) {
        linear(s, "guidance_in.mlp.0", h, 256);
        linear(s, "guidance_in.mlp.2", h, h);
    }
    for (std::int64_t i = 0; i < config(r, "double_blocks"); ++i) {
        const std::string b = "double_blocks." + std::to_string(i) + ".";
        for (const std::string stream : {"img", "txt"}) {
            linear(s, b + stream + "_mod.linear", 6 * h, h);
            linear(s, b + stream + "_attn_qkv", 3 * h, h);
            s[b + stream + "_attn_q_norm.weight"] = {headDim};
            s[b + stream + "_attn_k_norm.weight"] = {headDim};
            linear(s, b + stream + "_attn_proj", h, h);
            linear(s, b + stream + "_mlp.fc1", mlp, h);
            linear(s, b + stream + "_mlp.fc2", h, mlp);
        }
    }
    for (std::int64_t i = 0; i < config(r, "single_blocks"); ++i) {
        const std::string b = "single_blocks." + std::to_string(i) + ".";
        linear(s, b + "linear1", 3 * h + mlp, h);
        linear(s, b + "linear2", h, h + mlp);
        s[b + "q_norm.weight"] = {headDim};
        s[b + "k_norm.weight"] = {headDim};
        linear(s, b + "modulation.linear", 3 * h, h);
    }
    linear(s, "final_layer.linear", config(r, "out_features"), h);
    linear(s, "final_layer.adaLN_modulation.1", 2 * h, h);
    return s;
}

}  // namespace

ExpectedTensors expectedTensors(const ModelRecognition& r) {
    ExpectedTensors e;
    switch (r.family) {
        case ModelFamily::WanDiT:
            e.exact = wanDit(r);
            break;
        case ModelFamily::HunyuanDiT:
            e.exact = hunyuanDit(r);
            break;
        case ModelFamily::WanVAE:
            e.required = {"conv1.weight",          "conv2.weight",         "encoder.conv1.weight",
                          "encoder.head.2.weight", "decoder.conv1.weight", "decoder.head.2.weight"};
            break;
        case ModelFamily::HunyuanVAE:
            e.required = {"quant_conv.weight", "post_quant_conv.weight",
                          "encoder.conv_in.conv.weight", "decoder.conv_in.conv.weight",
                          "decoder.conv_out.conv.weight"};
            break;
        case ModelFamily::UMT5Encoder:
            e.required = {"token_embedding.weight", "norm.weight"};
            e.uniformBlockPrefixes = {"blocks."};
            break;
        case ModelFamily::WanCLIP:
            e.required = {"visual.patch_embedding.weight", "visual.cls_embedding",
                          "visual.pos_embedding", "visual.pre_norm.weight"};
            e.uniformBlockPrefixes = {"visual.transformer."};
            break;
        case ModelFamily::LlavaLlama3:
            e.required = {"language_model.model.embed_tokens.weight"};
            e.uniformBlockPrefixes = {"language_model.model.layers.",
                                      "vision_tower.vision_model.encoder.layers."};
            break;
        case ModelFamily::LlavaVision:
            e.required = {"vision_tower.vision_model.embeddings.patch_embedding.weight",
                          "vision_tower.vision_model.embeddings.class_embedding",
                          "vision_tower.vision_model.embeddings.position_embedding.weight",
                          "vision_tower.vision_model.pre_layrnorm.weight",
                          "multi_modal_projector.linear_1.weight",
                          "multi_modal_projector.linear_2.weight"};
            e.uniformBlockPrefixes = {"vision_tower.vision_model.encoder.layers."};
            break;
        case ModelFamily::ClipLText:
            e.required = {"text_model.embeddings.token_embedding.weight",
                          "text_model.embeddings.position_embedding.weight",
                          "text_model.final_layer_norm.weight"};
            e.uniformBlockPrefixes = {"text_model.encoder.layers."};
            break;
        default:
            break;
    }
    return e;
}

}  // namespace storyreel::infer
