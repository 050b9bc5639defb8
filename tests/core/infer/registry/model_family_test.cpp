#include "core/infer/registry/model_family.h"

#include "core/base/user_error.h"
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/expected_tensors.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/registry/preset_requirements.h"
#include "tests/core/infer/registry/registry_files.h"
#include "tests/core/infer/weights/pth_writer.h"

#include <catch2/catch.hpp>

#include <fstream>

using namespace storyreel::infer;
using storyreel::test::freshDir;
using storyreel::test::goldenDir;
using storyreel::test::NamedTensors;
using storyreel::test::readAll;
using storyreel::test::writeSafetensors;

namespace {

ModelRecognition recogniseFile(const std::filesystem::path& path) {
    const std::unique_ptr<CheckpointFile> file = openCheckpoint(path);
    return recogniseModel(file->tensors(), file->metadata(), file->architecture());
}

// TensorInfos with the shapes a configuration implies, without any data.
std::vector<TensorInfo> infosFor(ModelFamily family, std::map<std::string, std::int64_t> config,
                                 const std::string& prefix = "") {
    ModelRecognition fake;
    fake.family = family;
    fake.config = std::move(config);
    fake.knownVariant = true;
    std::vector<TensorInfo> infos;
    for (const auto& [name, shape] : expectedTensors(fake).exact) {
        TensorInfo info;
        info.name = prefix + name;
        info.shape = shape;
        infos.push_back(info);
    }
    return infos;
}

const std::map<std::string, std::int64_t> kWanI2V14B = {
    {"dim", 5120}, {"in_dim", 36}, {"layers", 40}, {"ffn_dim", 13824}, {"i2v", 1}};

}  // namespace

TEST_CASE("Every golden weights file is recognised as its family", "[infer][registry]") {
    struct Case {
        const char* file;
        ModelFamily family;
    };
    const Case cases[] = {
        {"wan/wan_dit_i2v.weights.safetensors", ModelFamily::WanDiT},
        {"wan/wan_dit_t2v.weights.safetensors", ModelFamily::WanDiT},
        {"wan/wan_vae.weights.safetensors", ModelFamily::WanVAE},
        {"wan/wan_t5_encoder.weights.safetensors", ModelFamily::UMT5Encoder},
        {"wan/wan_clip_visual.weights.safetensors", ModelFamily::WanCLIP},
        {"hunyuan/hunyuan_dit_i2v_token_replace.weights.safetensors", ModelFamily::HunyuanDiT},
        {"hunyuan/hunyuan_dit_i2v_latent_concat.weights.safetensors", ModelFamily::HunyuanDiT},
        {"hunyuan/hunyuan_vae.weights.safetensors", ModelFamily::HunyuanVAE},
        {"hunyuan/hunyuan_llava_text_encoder.weights.safetensors", ModelFamily::LlavaLlama3},
        {"hunyuan/hunyuan_clip_text_pooled.weights.safetensors", ModelFamily::ClipLText},
    };
    for (const Case& c : cases) {
        INFO(c.file);
        const ModelRecognition r = recogniseFile(goldenDir() / c.file);
        CHECK(r.family == c.family);
        CHECK(r.layout == CheckpointLayout::Official);
        CHECK_FALSE(r.knownVariant);
        CHECK_THAT(r.variant, Catch::StartsWith("unknown size"));
    }
    const ModelRecognition i2v = recogniseFile(goldenDir() / "wan/wan_dit_i2v.weights.safetensors");
    CHECK(i2v.config.at("dim") == 64);
    CHECK(i2v.config.at("in_dim") == 36);
    CHECK(i2v.config.at("layers") == 2);
    CHECK(i2v.config.at("i2v") == 1);
    CHECK(recogniseFile(goldenDir() / "wan/wan_dit_t2v.weights.safetensors").config.at("i2v") == 0);
    const ModelRecognition concat =
        recogniseFile(goldenDir() / "hunyuan/hunyuan_dit_i2v_latent_concat.weights.safetensors");
    CHECK(concat.config.at("in_channels") == 33);
}

TEST_CASE("Wan DiT variants are told apart by their shapes", "[infer][registry]") {
    const ModelRecognition i2v = recogniseModel(infosFor(ModelFamily::WanDiT, kWanI2V14B), {}, "");
    CHECK(i2v.knownVariant);
    CHECK(i2v.variant == "Wan 2.1 I2V 14B (480p or 720p: the file does not tell; check its name)");
    const ModelRecognition i2v720 = recogniseModel(infosFor(ModelFamily::WanDiT, kWanI2V14B),
                                                   {{"modelspec.title", "Wan2.1 I2V 720P"}}, "");
    CHECK(i2v720.variant == "Wan 2.1 I2V 14B 720p");
    const ModelRecognition t2v14 = recogniseModel(
        infosFor(ModelFamily::WanDiT,
                 {{"dim", 5120}, {"in_dim", 16}, {"layers", 40}, {"ffn_dim", 13824}}),
        {}, "");
    CHECK(t2v14.variant == "Wan 2.1 T2V 14B");
    const ModelRecognition t2v13 =
        recogniseModel(infosFor(ModelFamily::WanDiT,
                                {{"dim", 1536}, {"in_dim", 16}, {"layers", 30}, {"ffn_dim", 8960}}),
                       {}, "");
    CHECK(t2v13.variant == "Wan 2.1 T2V 1.3B");
}

TEST_CASE("HunyuanVideo DiT variants follow img_in's input channels", "[infer][registry]") {
    std::map<std::string, std::int64_t> config = {
        {"hidden", 3072},          {"in_channels", 16},        {"double_blocks", 20},
        {"single_blocks", 40},     {"mlp_hidden", 12288},      {"head_dim", 128},
        {"text_states_dim", 4096}, {"text_states_dim_2", 768}, {"refiner_blocks", 2},
        {"guidance", 1},           {"out_features", 64}};
    const ModelRecognition tokenReplace =
        recogniseModel(infosFor(ModelFamily::HunyuanDiT, config), {}, "");
    CHECK(tokenReplace.knownVariant);
    CHECK_THAT(tokenReplace.variant, Catch::Contains("the file does not tell"));
    config["in_channels"] = 33;
    CHECK_THAT(recogniseModel(infosFor(ModelFamily::HunyuanDiT, config), {}, "").variant,
               Catch::Contains("latent_concat"));
}

TEST_CASE("ComfyUI's prefix and scaled fp8 give the ComfyUI layout", "[infer][registry]") {
    std::vector<TensorInfo> infos =
        infosFor(ModelFamily::WanDiT, kWanI2V14B, "model.diffusion_model.");
    TensorInfo marker;
    marker.name = "scaled_fp8";
    infos.push_back(marker);
    TensorInfo scale;
    scale.name = "model.diffusion_model.blocks.0.self_attn.q.scale_weight";
    infos.push_back(scale);
    const ModelRecognition r = recogniseModel(infos, {}, "");
    CHECK(r.family == ModelFamily::WanDiT);
    CHECK(r.layout == CheckpointLayout::ComfyUI);
    CHECK(r.prefix == "model.diffusion_model.");
    CHECK(r.scaledFp8);
    CHECK(r.knownVariant);
}

TEST_CASE("Diffusers files are recognised with the diffusers layout", "[infer][registry]") {
    const std::filesystem::path dir = freshDir("family-diffusers");
    writeSafetensors(dir / "wan.safetensors",
                     storyreel::test::toWanDiffusers(
                         readAll(goldenDir() / "wan/wan_dit_i2v.weights.safetensors")));
    writeSafetensors(
        dir / "hy.safetensors",
        storyreel::test::toHunyuanDiffusers(
            readAll(goldenDir() / "hunyuan/hunyuan_dit_i2v_token_replace.weights.safetensors"),
            64));
    const ModelRecognition wan = recogniseFile(dir / "wan.safetensors");
    CHECK(wan.family == ModelFamily::WanDiT);
    CHECK(wan.layout == CheckpointLayout::Diffusers);
    CHECK(wan.config.at("dim") == 64);
    CHECK(wan.config.at("i2v") == 1);
    const ModelRecognition hy = recogniseFile(dir / "hy.safetensors");
    CHECK(hy.family == ModelFamily::HunyuanDiT);
    CHECK(hy.layout == CheckpointLayout::Diffusers);
    CHECK(hy.config.at("hidden") == 64);
    CHECK(hy.config.at("single_blocks") == 2);
}

TEST_CASE("The golden GGUF is a Wan DiT in the GGUF layout", "[infer][registry]") {
    const ModelRecognition r = recogniseFile(goldenDir() / "gguf/mixed_wan_Q4_K_M.gguf");
    CHECK(r.family == ModelFamily::WanDiT);
    CHECK(r.layout == CheckpointLayout::Gguf);
    CHECK(r.config.at("dim") == 256);
}

TEST_CASE("A LoRA is recognised by its keys and the DiT it patches", "[infer][registry]") {
    const std::filesystem::path dir = freshDir("family-lora");
    writeSafetensors(dir / "lora.safetensors",
                     {{"diffusion_model.blocks.0.self_attn.q.lora_down.weight", at::zeros({4, 8})},
                      {"diffusion_model.blocks.0.self_attn.q.lora_up.weight", at::zeros({8, 4})}});
    CHECK(recogniseFile(dir / "lora.safetensors").family == ModelFamily::WanLora);
}

TEST_CASE("Checkpoints are opened by content, a damaged .pth refused by name",
          "[infer][registry]") {
    const std::filesystem::path dir = freshDir("family-open");
    std::filesystem::copy_file(goldenDir() / "wan/wan_vae.weights.safetensors",
                               dir / "renamed.bin");
    CHECK(sniffCheckpointFormat(dir / "renamed.bin") == CheckpointFormat::Safetensors);
    CHECK(recogniseFile(dir / "renamed.bin").family == ModelFamily::WanVAE);
    std::ofstream(dir / "model.pth", std::ios::binary) << "PK\x03\x04 archive";
    CHECK(sniffCheckpointFormat(dir / "model.pth") == CheckpointFormat::Pth);
    CHECK_THROWS_WITH(openCheckpoint(dir / "model.pth"), Catch::Contains("model.pth"));
    const ScannedFile scanned = scanModelFile(dir / "model.pth");
    CHECK(scanned.status == ScanStatus::Unreadable);
    CHECK_THAT(scanned.error, Catch::Contains("model.pth"));
    std::ofstream(dir / "notes.safetensors") << "hello";
    CHECK_THROWS_WITH(openCheckpoint(dir / "notes.safetensors"),
                      Catch::Contains("not a model checkpoint"));
}

TEST_CASE("A torch .pth Wan VAE is recognised by its tensors", "[infer][registry][pth]") {
    const std::filesystem::path dir = freshDir("family-pth");
    const auto golden = goldenDir() / "wan/wan_vae.weights.safetensors";
    const NamedTensors tensors = readAll(golden);
    storyreel::test::PyDict stateDict;
    for (const auto& [name, tensor] : tensors) {
        stateDict.items.emplace_back(name, tensor);
    }
    storyreel::test::writeFile(dir / "Wan2.1_VAE.pth", storyreel::test::torchSave(stateDict));
    const std::unique_ptr<CheckpointFile> file = openCheckpoint(dir / "Wan2.1_VAE.pth");
    CHECK(file->format() == CheckpointFormat::Pth);
    CHECK(file->tensors().size() == tensors.size());
    CHECK(file->files() == std::vector<std::filesystem::path>{dir / "Wan2.1_VAE.pth"});
    const ModelRecognition r = recogniseModel(file->tensors(), file->metadata(), "");
    CHECK(r.family == ModelFamily::WanVAE);
    CHECK(r.layout == CheckpointLayout::Official);
    for (const auto& [name, tensor] : tensors) {
        INFO(name);
        file->checkReadable(name);
        CHECK(at::equal(file->read(name), tensor));
        CHECK_FALSE(file->quantized(name).has_value());
    }
    CHECK_THROWS_WITH(file->read("decoder.nothing.weight"), Catch::Contains("Wan2.1_VAE.pth"));

    // As nn.Parameters under another archive name, with a .pt suffix: the same model.
    storyreel::test::TorchSaveOptions options;
    options.archiveName = "wan_vae";
    options.asParameters = true;
    storyreel::test::writeFile(dir / "vae.pt", storyreel::test::torchSave(stateDict, options));
    const ScannedFile scanned = scanModelFile(dir / "vae.pt");
    CHECK(scanned.status == ScanStatus::Recognised);
    CHECK(scanned.recognition.family == ModelFamily::WanVAE);
    CHECK(scanned.tensorCount == tensors.size());
}

TEST_CASE("A sharded checkpoint lists every shard and what a missing one held",
          "[infer][registry]") {
    const std::filesystem::path dir = freshDir("family-sharded");
    const std::filesystem::path index = storyreel::test::writeSharded(
        dir, "diffusion_pytorch_model",
        readAll(goldenDir() / "wan/wan_dit_t2v.weights.safetensors"), 3);
    {
        const std::unique_ptr<CheckpointFile> file = openCheckpoint(index);
        CHECK(file->format() == CheckpointFormat::ShardedSafetensors);
        CHECK(file->files().size() == 3);
        CHECK(file->tensors().size() == 69);
        CHECK(file->unlisted().empty());
        CHECK(recogniseModel(file->tensors(), file->metadata(), "").family == ModelFamily::WanDiT);
    }
    std::filesystem::remove(dir / "diffusion_pytorch_model-00002-of-00003.safetensors");
    const std::unique_ptr<CheckpointFile> file = openCheckpoint(index);
    CHECK(file->tensors().size() == 46);
    REQUIRE(file->unlisted().size() == 23);
    CHECK(file->unlisted().front().problem == "the shard file is missing");
}

TEST_CASE("HunyuanVideo's official .pt files are read through their wrapping dicts",
          "[infer][registry][pth]") {
    // mp_rank_00_model_states.pt holds {"module": state_dict}; vae/pytorch_model.pt may hold
    // {"state_dict": {"vae.<name>": ...}}. Both must be recognised and read by real names.
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / "storyreel_hunyuan_pt";
    fs::create_directories(dir);
    struct Case {
        const char* golden;
        const char* outer;
        const char* innerPrefix;
        ModelFamily family;
        const char* probe;
    };
    const Case cases[] = {
        {"hunyuan/hunyuan_dit_i2v_token_replace.weights.safetensors", "module", "",
         ModelFamily::HunyuanDiT, "double_blocks.0.img_attn_qkv.weight"},
        {"hunyuan/hunyuan_vae.weights.safetensors", "state_dict", "vae.", ModelFamily::HunyuanVAE,
         "decoder.conv_in.conv.weight"},
    };
    for (const Case& c : cases) {
        INFO(c.golden);
        const std::unique_ptr<CheckpointFile> golden = openCheckpoint(goldenDir() / c.golden);
        auto inner = std::make_shared<storyreel::test::PyDict>();
        for (const TensorInfo& info : golden->tensors()) {
            inner->items.emplace_back(std::string(c.innerPrefix) + info.name,
                                      golden->read(info.name));
        }
        storyreel::test::PyDict root;
        root.isStateDict = false;
        root.items = {{c.outer, inner}};
        const fs::path file = dir / "wrapped.pt";
        storyreel::test::writeFile(file, storyreel::test::torchSave(root));
        const std::unique_ptr<CheckpointFile> wrapped = openCheckpoint(file);
        const ModelRecognition r =
            recogniseModel(wrapped->tensors(), wrapped->metadata(), wrapped->architecture());
        CHECK(r.family == c.family);
        const InternalView view(*wrapped, r.family, r.layout);
        REQUIRE(view.contains(c.probe));
        CHECK(at::equal(view.tensor(c.probe), golden->read(c.probe)));
    }
    fs::remove_all(dir);
}
