#include "core/infer/registry/name_mapping.h"

#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/internal_view.h"
#include "tests/core/infer/registry/registry_files.h"

#include <catch2/catch.hpp>

using namespace storyreel::infer;
using storyreel::test::freshDir;
using storyreel::test::goldenDir;
using storyreel::test::NamedTensors;
using storyreel::test::readAll;
using storyreel::test::writeSafetensors;

namespace {

// Every golden tensor must come back from the other layout's file under its official name
// with the same values.
void checkRoundTrip(const NamedTensors& official, const std::filesystem::path& file) {
    const std::unique_ptr<CheckpointFile> checkpoint = openCheckpoint(file);
    const ModelRecognition r =
        recogniseModel(checkpoint->tensors(), checkpoint->metadata(), checkpoint->architecture());
    const InternalView view(*checkpoint, r.family, r.layout);
    CHECK(view.unmapped().empty());
    CHECK(view.names().size() == official.size());
    for (const auto& [name, values] : official) {
        INFO(name);
        REQUIRE(view.contains(name));
        CHECK(view.shape(name) == values.sizes().vec());
        CHECK(at::equal(view.tensor(name), values));
    }
}

}  // namespace

TEST_CASE("Layout names map onto the official names", "[infer][registry]") {
    const auto map = [](ModelFamily family, CheckpointLayout layout, const char* name) {
        const std::optional<MappedName> mapped = mapToInternal(family, layout, name);
        return mapped ? mapped->internalName : std::string("-");
    };
    using F = ModelFamily;
    using L = CheckpointLayout;
    CHECK(map(F::WanDiT, L::ComfyUI, "model.diffusion_model.blocks.3.ffn.0.weight") ==
          "blocks.3.ffn.0.weight");
    CHECK(map(F::WanDiT, L::ComfyUI, "model.diffusion_model.blocks.3.ffn.0.scale_weight") == "-");
    CHECK(map(F::WanDiT, L::Diffusers, "blocks.7.attn2.add_k_proj.weight") ==
          "blocks.7.cross_attn.k_img.weight");
    CHECK(map(F::WanDiT, L::Diffusers, "blocks.7.norm2.bias") == "blocks.7.norm3.bias");
    CHECK(map(F::WanDiT, L::Diffusers, "scale_shift_table") == "head.modulation");
    CHECK(map(F::WanDiT, L::Diffusers, "condition_embedder.image_embedder.ff.net.2.weight") ==
          "img_emb.proj.3.weight");
    CHECK(map(F::WanDiT, L::Gguf, "blocks.0.self_attn.q.weight") == "blocks.0.self_attn.q.weight");
    CHECK(map(F::UMT5Encoder, L::Diffusers, "encoder.block.5.layer.1.DenseReluDense.wi_0.weight") ==
          "blocks.5.ffn.gate.0.weight");
    CHECK(map(F::UMT5Encoder, L::Gguf, "enc.blk.5.attn_rel_b.weight") ==
          "blocks.5.pos_embedding.embedding.weight");
    CHECK(map(F::WanCLIP, L::ComfyUI, "vision_model.embeddings.position_embedding.weight") ==
          "visual.pos_embedding");
    CHECK(map(F::WanVAE, L::Diffusers, "decoder.up_blocks.2.resnets.1.conv2.weight") ==
          "decoder.upsamples.9.residual.6.weight");
    CHECK(map(F::WanVAE, L::Diffusers, "decoder.up_blocks.1.upsamplers.0.time_conv.bias") ==
          "decoder.upsamples.7.time_conv.bias");
    CHECK(map(F::WanVAE, L::Diffusers, "encoder.mid_block.resnets.1.norm1.gamma") ==
          "encoder.middle.2.residual.0.gamma");
    CHECK(map(F::LlavaLlama3, L::ComfyUI, "model.layers.3.mlp.up_proj.weight") ==
          "language_model.model.layers.3.mlp.up_proj.weight");

    const std::optional<MappedName> k =
        mapToInternal(F::HunyuanDiT, L::Diffusers, "transformer_blocks.0.attn.to_k.weight");
    REQUIRE(k);
    CHECK(k->internalName == "double_blocks.0.img_attn_qkv.weight");
    CHECK(k->kind == MappingKind::Concat);
    CHECK(k->part == 1);
    CHECK(k->parts == 3);
    const std::optional<MappedName> mlp =
        mapToInternal(F::HunyuanDiT, L::Diffusers, "single_transformer_blocks.4.proj_mlp.bias");
    REQUIRE(mlp);
    CHECK(mlp->internalName == "single_blocks.4.linear1.bias");
    CHECK(mlp->part == 3);
    CHECK(mlp->parts == 4);
    CHECK(mapToInternal(F::HunyuanDiT, L::Diffusers, "norm_out.linear.weight")->kind ==
          MappingKind::SwapHalves);
}

TEST_CASE("A diffusers Wan DiT reads back under the official names", "[infer][registry]") {
    const NamedTensors official = readAll(goldenDir() / "wan/wan_dit_i2v.weights.safetensors");
    const std::filesystem::path dir = freshDir("mapping-wan");
    writeSafetensors(dir / "wan.safetensors", storyreel::test::toWanDiffusers(official));
    checkRoundTrip(official, dir / "wan.safetensors");
}

TEST_CASE("A diffusers HunyuanVideo DiT reads back fused and unswapped", "[infer][registry]") {
    const NamedTensors official =
        readAll(goldenDir() / "hunyuan/hunyuan_dit_i2v_token_replace.weights.safetensors");
    const std::filesystem::path dir = freshDir("mapping-hunyuan");
    writeSafetensors(dir / "hy.safetensors", storyreel::test::toHunyuanDiffusers(official, 64));
    checkRoundTrip(official, dir / "hy.safetensors");
}

TEST_CASE("A ComfyUI-prefixed file reads back without its prefix", "[infer][registry]") {
    const NamedTensors official = readAll(goldenDir() / "wan/wan_vae.weights.safetensors");
    NamedTensors prefixed;
    for (const auto& [name, values] : official) {
        prefixed.emplace_back("first_stage_model." + name, values);
    }
    const std::filesystem::path dir = freshDir("mapping-comfy");
    writeSafetensors(dir / "vae.safetensors", prefixed);
    checkRoundTrip(official, dir / "vae.safetensors");
}

TEST_CASE("transformers CLIP vision names give Wan's visual tower", "[infer][registry]") {
    const NamedTensors official = readAll(goldenDir() / "wan/wan_clip_visual.weights.safetensors");
    // Spell the tower the transformers way (CLIPVisionModel), as ComfyUI's clip_vision_h does.
    NamedTensors hf;
    for (const auto& [name, values] : official) {
        std::string n = name;
        const auto swap = [&](const std::string& from, const std::string& to) {
            n = storyreel::test::replaceSegments(n, from, to);
        };
        if (n == "visual.cls_embedding") {
            hf.emplace_back("vision_model.embeddings.class_embedding", values.reshape({-1}));
            continue;
        }
        if (n == "visual.pos_embedding") {
            hf.emplace_back("vision_model.embeddings.position_embedding.weight", values[0]);
            continue;
        }
        if (n == "visual.head") {
            hf.emplace_back("visual_projection.weight", values.t().contiguous());
            continue;
        }
        if (n.find("attn.to_qkv") != std::string::npos) {
            const std::vector<at::Tensor> qkv = values.chunk(3, 0);
            const std::string leaf = n.substr(n.rfind('.'));
            std::string stem = n.substr(0, n.find("attn.to_qkv"));
            stem = storyreel::test::replaceSegments(stem.substr(0, stem.size() - 1),
                                                    "visual.transformer",
                                                    "vision_model.encoder.layers");
            const char* parts[] = {"q_proj", "k_proj", "v_proj"};
            for (int i = 0; i < 3; ++i) {
                hf.emplace_back(stem + ".self_attn." + parts[i] + leaf, qkv[i].clone());
            }
            continue;
        }
        swap("visual.transformer", "vision_model.encoder.layers");
        swap("norm1", "layer_norm1");
        swap("norm2", "layer_norm2");
        swap("attn.proj", "self_attn.out_proj");
        swap("mlp.0", "mlp.fc1");
        swap("mlp.2", "mlp.fc2");
        swap("visual.pre_norm", "vision_model.pre_layrnorm");
        swap("visual.post_norm", "vision_model.post_layernorm");
        swap("visual.patch_embedding", "vision_model.embeddings.patch_embedding");
        hf.emplace_back(n, values);
    }
    const std::filesystem::path dir = freshDir("mapping-clip");
    writeSafetensors(dir / "clip.safetensors", hf);
    checkRoundTrip(official, dir / "clip.safetensors");
}
