#include "core/infer/registry/verify.h"

#include "core/infer/registry/checkpoint_file.h"
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

std::vector<VerifyIssue> verifyFile(const std::filesystem::path& path,
                                    const VerifyOptions& options = {}) {
    const std::unique_ptr<CheckpointFile> file = openCheckpoint(path);
    return verifyCheckpoint(
        *file, recogniseModel(file->tensors(), file->metadata(), file->architecture()), options);
}

NamedTensors without(NamedTensors tensors, const std::string& name) {
    tensors.erase(std::remove_if(tensors.begin(), tensors.end(),
                                 [&](const auto& entry) { return entry.first == name; }),
                  tensors.end());
    return tensors;
}

bool hasIssue(const std::vector<VerifyIssue>& issues, VerifyProblem problem,
              const std::string& tensor) {
    return std::any_of(issues.begin(), issues.end(), [&](const VerifyIssue& issue) {
        return issue.problem == problem && issue.tensor == tensor;
    });
}

void copyGolden(const std::filesystem::path& dir, const char* file) {
    std::filesystem::copy_file(goldenDir() / file, dir / std::filesystem::path(file).filename());
}

}  // namespace

TEST_CASE("The golden weights verify complete and intact", "[infer][registry]") {
    for (const char* file :
         {"wan/wan_dit_i2v.weights.safetensors", "wan/wan_dit_t2v.weights.safetensors",
          "wan/wan_vae.weights.safetensors", "wan/wan_t5_encoder.weights.safetensors",
          "wan/wan_clip_visual.weights.safetensors",
          "hunyuan/hunyuan_dit_i2v_token_replace.weights.safetensors",
          "hunyuan/hunyuan_dit_i2v_latent_concat.weights.safetensors",
          "hunyuan/hunyuan_vae.weights.safetensors",
          "hunyuan/hunyuan_llava_text_encoder.weights.safetensors",
          "hunyuan/hunyuan_clip_text_pooled.weights.safetensors"}) {
        INFO(file);
        const std::vector<VerifyIssue> issues = verifyFile(goldenDir() / file, {true});
        for (const VerifyIssue& issue : issues) {
            UNSCOPED_INFO(issue.message());
        }
        CHECK(issues.empty());
    }
}

TEST_CASE("A missing or misshapen tensor is named", "[infer][registry]") {
    const NamedTensors dit = readAll(goldenDir() / "wan/wan_dit_i2v.weights.safetensors");
    const std::filesystem::path dir = freshDir("verify-missing");
    writeSafetensors(dir / "missing.safetensors", without(dit, "blocks.1.cross_attn.k_img.weight"));
    const std::vector<VerifyIssue> missing = verifyFile(dir / "missing.safetensors");
    REQUIRE(missing.size() == 1);
    CHECK(missing[0].problem == VerifyProblem::MissingTensor);
    CHECK(missing[0].tensor == "blocks.1.cross_attn.k_img.weight");
    CHECK_THAT(missing[0].message(),
               Catch::Contains("missing.safetensors: tensor 'blocks.1.cross_attn.k_img.weight' "
                               "is missing"));

    NamedTensors misshapen = dit;
    for (auto& [name, values] : misshapen) {
        if (name == "blocks.0.ffn.0.weight") {
            values = at::zeros({100, 64});
        }
    }
    writeSafetensors(dir / "shape.safetensors", misshapen);
    const std::vector<VerifyIssue> shape = verifyFile(dir / "shape.safetensors");
    CHECK(hasIssue(shape, VerifyProblem::WrongShape, "blocks.0.ffn.0.weight"));

    // A block of the text encoder without its feed-forward gate.
    writeSafetensors(dir / "t5.safetensors",
                     without(readAll(goldenDir() / "wan/wan_t5_encoder.weights.safetensors"),
                             "blocks.1.ffn.gate.0.weight"));
    CHECK(hasIssue(verifyFile(dir / "t5.safetensors"), VerifyProblem::MissingTensor,
                   "blocks.1.ffn.gate.0.weight"));

    // A diffusers file missing one of the split q/k/v parts.
    writeSafetensors(
        dir / "hy.safetensors",
        without(
            storyreel::test::toHunyuanDiffusers(
                readAll(goldenDir() / "hunyuan/hunyuan_dit_i2v_token_replace.weights.safetensors"),
                64),
            "transformer_blocks.1.attn.to_v.weight"));
    const std::vector<VerifyIssue> split = verifyFile(dir / "hy.safetensors");
    CHECK(hasIssue(split, VerifyProblem::WrongShape, "double_blocks.1.img_attn_qkv.weight"));
    CHECK(hasIssue(split, VerifyProblem::MissingTensor, "double_blocks.1.img_attn_qkv.weight"));
}

TEST_CASE("The golden GGUF miniature lacks the cross-attention keys", "[infer][registry]") {
    const std::vector<VerifyIssue> issues =
        verifyFile(goldenDir() / "gguf/mixed_wan_Q4_K_M.gguf", {true});
    CHECK(hasIssue(issues, VerifyProblem::MissingTensor, "blocks.0.cross_attn.k.weight"));
    CHECK_FALSE(hasIssue(issues, VerifyProblem::MissingTensor, "blocks.0.self_attn.q.weight"));
}

TEST_CASE("NaN values are a warning when every tensor is read", "[infer][registry]") {
    NamedTensors vae = readAll(goldenDir() / "wan/wan_vae.weights.safetensors");
    vae.front().second = vae.front().second.clone();
    vae.front().second.view({-1})[0] = std::numeric_limits<float>::quiet_NaN();
    const std::filesystem::path dir = freshDir("verify-nan");
    writeSafetensors(dir / "vae.safetensors", vae);
    CHECK(verifyFile(dir / "vae.safetensors").empty());
    const std::vector<VerifyIssue> issues = verifyFile(dir / "vae.safetensors", {true});
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].problem == VerifyProblem::NonFinite);
    CHECK(issues[0].severity == VerifySeverity::Warning);
    CHECK(issues[0].tensor == vae.front().first);
}

TEST_CASE("A missing shard is reported once, with the file", "[infer][registry]") {
    const std::filesystem::path dir = freshDir("verify-shards");
    const std::filesystem::path index = storyreel::test::writeSharded(
        dir, "model", readAll(goldenDir() / "wan/wan_dit_i2v.weights.safetensors"), 2);
    CHECK(verifyFile(index).empty());
    std::filesystem::remove(dir / "model-00002-of-00002.safetensors");
    const std::vector<VerifyIssue> issues = verifyFile(index);
    const auto shards = std::count_if(issues.begin(), issues.end(), [](const VerifyIssue& i) {
        return i.problem == VerifyProblem::MissingShard;
    });
    CHECK(shards == 1);
    CHECK(std::any_of(issues.begin(), issues.end(), [](const VerifyIssue& i) {
        return i.problem == VerifyProblem::MissingShard &&
               i.file.filename() == "model-00002-of-00002.safetensors";
    }));
}

TEST_CASE("A models folder reports per preset what it found and what is missing",
          "[infer][registry]") {
    const std::filesystem::path dir = freshDir("verify-folder");
    std::filesystem::create_directories(dir / "wan" / "deep");
    copyGolden(dir / "wan", "wan/wan_dit_i2v.weights.safetensors");
    copyGolden(dir / "wan", "wan/wan_vae.weights.safetensors");
    copyGolden(dir / "wan" / "deep", "wan/wan_t5_encoder.weights.safetensors");
    copyGolden(dir, "wan/wan_clip_visual.weights.safetensors");
    copyGolden(dir, "hunyuan/hunyuan_vae.weights.safetensors");
    // A torch.save copy of the Wan VAE, as the official Wan2.1_VAE.pth is distributed.
    storyreel::test::PyDict vaeStateDict;
    for (auto& [name, tensor] : readAll(goldenDir() / "wan/wan_vae.weights.safetensors")) {
        vaeStateDict.items.emplace_back(name, tensor);
    }
    storyreel::test::writeFile(dir / "Wan2.1_VAE.pth", storyreel::test::torchSave(vaeStateDict));
    std::ofstream(dir / "readme.txt") << "not a model";

    const ModelsFolderScan scan = scanModelsFolder(dir);
    CHECK(scan.files.size() == 6);
    const auto pth = std::find_if(scan.files.begin(), scan.files.end(), [](const ScannedFile& f) {
        return f.path.filename() == "Wan2.1_VAE.pth";
    });
    REQUIRE(pth != scan.files.end());
    CHECK(pth->status == ScanStatus::Recognised);
    CHECK(pth->format == CheckpointFormat::Pth);
    CHECK(pth->recognition.family == ModelFamily::WanVAE);
    REQUIRE(scan.presets.size() == 3);
    const PresetStatus& quality = scan.presets[0];
    CHECK(quality.preset.id == "quality");
    CHECK(quality.complete);
    CHECK(quality.preset.licence == "Apache-2.0");
    const PresetStatus& fastWan = scan.presets[1];
    CHECK(fastWan.complete);
    CHECK_FALSE(fastWan.components.back().satisfied());
    CHECK(fastWan.components.back().requirement.optional);
    const PresetStatus& fast = scan.presets[2];
    CHECK_FALSE(fast.complete);
    CHECK_THAT(fast.preset.licence, Catch::Contains("European Union"));
    CHECK(fast.components[1].satisfied());  // the VAE
    CHECK_FALSE(fast.components[0].satisfied());

    ModelsVerification verification = verifyModelsFolder(dir);
    CHECK(verification.ok());
    // A truncated VAE makes the folder fail, naming the file.
    const std::filesystem::path vae = dir / "wan" / "wan_vae.weights.safetensors";
    std::filesystem::resize_file(vae, std::filesystem::file_size(vae) - 16);
    verification = verifyModelsFolder(dir);
    CHECK_FALSE(verification.ok());
    CHECK(std::any_of(verification.issues.begin(), verification.issues.end(),
                      [&](const VerifyIssue& issue) {
                          return issue.problem == VerifyProblem::Unreadable && issue.file == vae;
                      }));
}

TEST_CASE("A text-to-video Wan DiT does not fit the presets", "[infer][registry]") {
    const std::filesystem::path dir = freshDir("verify-t2v");
    copyGolden(dir, "wan/wan_dit_t2v.weights.safetensors");
    const ModelsFolderScan scan = scanModelsFolder(dir);
    const ComponentStatus& transformer = scan.presets[0].components[0];
    CHECK_FALSE(transformer.satisfied());
    REQUIRE(transformer.unsuitable.size() == 1);
    CHECK_THAT(transformer.unsuitable[0].second, Catch::Contains("text-to-video"));
}
