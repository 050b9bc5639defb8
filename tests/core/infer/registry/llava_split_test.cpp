// ComfyUI's split LLaVA (text_encoders/llava_llama3_* + clip_vision/llava_llama3_vision)
// through the registry: the vision file is LLaVA's tower and projector, not Wan's CLIP; it
// reads back under LlavaForConditionalGeneration's names; and the "fast" preset takes a
// text-only LLaVA only when a vision file of its width is in the folder.
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/expected_tensors.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/registry/model_family.h"
#include "core/infer/registry/preset_requirements.h"
#include "core/infer/registry/verify.h"
#include "tests/core/infer/registry/registry_files.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

using namespace storyreel::infer;
using storyreel::test::freshDir;
using storyreel::test::goldenDir;
using storyreel::test::NamedTensors;
using storyreel::test::readAll;
using storyreel::test::writeSafetensors;

namespace {

const char* const kLlavaGolden = "hunyuan/hunyuan_llava_text_encoder.weights.safetensors";

ModelRecognition recogniseFile(const std::filesystem::path& path) {
    const std::unique_ptr<CheckpointFile> file = openCheckpoint(path);
    return recogniseModel(file->tensors(), file->metadata(), file->architecture());
}

storyreel::test::LlavaSplit goldenSplit() {
    return storyreel::test::toComfyLlavaSplit(readAll(goldenDir() / kLlavaGolden));
}

const PresetStatus& fastPreset(const ModelsFolderScan& scan) {
    const auto fast = std::find_if(scan.presets.begin(), scan.presets.end(),
                                   [](const PresetStatus& p) { return p.preset.id == "fast"; });
    REQUIRE(fast != scan.presets.end());
    return *fast;
}

const ComponentStatus& component(const PresetStatus& preset, ModelFamily family) {
    const auto found =
        std::find_if(preset.components.begin(), preset.components.end(),
                     [&](const ComponentStatus& c) { return c.requirement.family == family; });
    REQUIRE(found != preset.components.end());
    return *found;
}

}  // namespace

TEST_CASE("ComfyUI's LLaVA vision file is LLaVA's tower and projector, not Wan's CLIP",
          "[infer][registry]") {
    const storyreel::test::LlavaSplit split = goldenSplit();
    const std::filesystem::path dir = freshDir("llava-split-recognition");
    NamedTensors vision = split.vision;
    // ComfyUI's CLIPVisionModelProjection also has a visual_projection, which LLaVA never uses.
    vision.emplace_back("visual_projection.weight", at::zeros({8, 4}));
    writeSafetensors(dir / "llava_llama3_vision.safetensors", vision);
    writeSafetensors(dir / "llava_llama3_fp16.safetensors", split.language);

    const ModelRecognition r = recogniseFile(dir / "llava_llama3_vision.safetensors");
    CHECK(r.family == ModelFamily::LlavaVision);
    CHECK(r.layout == CheckpointLayout::ComfyUI);
    CHECK(modelFamilyName(r.family) == "LLaVA-Llama-3 vision tower and projector");
    CHECK(modelFamilyLicence(r.family) == modelFamilyLicence(ModelFamily::LlavaLlama3));
    const auto embed =
        std::find_if(split.language.begin(), split.language.end(),
                     [](const auto& t) { return t.first == "model.embed_tokens.weight"; });
    REQUIRE(embed != split.language.end());
    CHECK(r.config.at("text_hidden") == embed->second.size(1));
    CHECK(r.config.at("layers") > 0);
    CHECK_FALSE(r.knownVariant);  // the golden model is tiny
    CHECK_THAT(r.variant, Catch::Contains("unknown size"));

    const ModelRecognition text = recogniseFile(dir / "llava_llama3_fp16.safetensors");
    CHECK(text.family == ModelFamily::LlavaLlama3);
    CHECK(text.layout == CheckpointLayout::ComfyUI);
    CHECK(text.config.at("vision_tower") == 0);
    CHECK(std::find(text.notes.begin(), text.notes.end(), std::string(kLlavaTextOnlyNote)) !=
          text.notes.end());

    // LlavaForConditionalGeneration's own names without the Llama: the same family.
    NamedTensors officialVision;
    for (const auto& [name, tensor] : readAll(goldenDir() / kLlavaGolden)) {
        if (name.rfind("language_model.", 0) != 0) {
            officialVision.emplace_back(name, tensor);
        }
    }
    writeSafetensors(dir / "llava_vision_official.safetensors", officialVision);
    const ModelRecognition official = recogniseFile(dir / "llava_vision_official.safetensors");
    CHECK(official.family == ModelFamily::LlavaVision);
    CHECK(official.layout == CheckpointLayout::Official);
    CHECK(official.config == r.config);

    // Without its projector the same tower is a plain CLIP vision model (Wan's family).
    NamedTensors towerOnly;
    for (const auto& [name, tensor] : split.vision) {
        if (name.rfind("multi_modal_projector.", 0) != 0) {
            towerOnly.emplace_back(name, tensor);
        }
    }
    writeSafetensors(dir / "clip_vision_vitl.safetensors", towerOnly);
    CHECK(recogniseFile(dir / "clip_vision_vitl.safetensors").family == ModelFamily::WanCLIP);
}

TEST_CASE("ComfyUI's LLaVA vision file reads back under LLaVA's names", "[infer][registry]") {
    const NamedTensors official = readAll(goldenDir() / kLlavaGolden);
    const std::filesystem::path dir = freshDir("llava-split-names");
    writeSafetensors(dir / "vision.safetensors", goldenSplit().vision);
    const std::unique_ptr<CheckpointFile> file = openCheckpoint(dir / "vision.safetensors");
    const ModelRecognition r =
        recogniseModel(file->tensors(), file->metadata(), file->architecture());
    const InternalView view(*file, r.family, r.layout);
    CHECK(view.unmapped().empty());
    std::size_t checked = 0;
    for (const auto& [name, tensor] : official) {
        if (name.rfind("language_model.", 0) == 0) {
            CHECK_FALSE(view.contains(name));
            continue;
        }
        INFO(name);
        REQUIRE(view.contains(name));
        CHECK(at::equal(view.tensor(name), tensor));
        ++checked;
    }
    CHECK(checked == view.names().size());
    CHECK(mapToInternal(ModelFamily::LlavaVision, CheckpointLayout::ComfyUI,
                        "vision_model.encoder.layers.7.mlp.fc1.weight")
              ->internalName == "vision_tower.vision_model.encoder.layers.7.mlp.fc1.weight");
    CHECK_FALSE(mapToInternal(ModelFamily::LlavaVision, CheckpointLayout::ComfyUI,
                              "visual_projection.weight"));
    // What every such file holds is there, and the file verifies.
    for (const std::string& name : expectedTensors(r).required) {
        CHECK(view.contains(name));
    }
    CHECK(verifyCheckpoint(*file, r, {}).empty());
}

TEST_CASE("The fast preset takes a text-only LLaVA only beside its vision file",
          "[infer][registry]") {
    const storyreel::test::LlavaSplit split = goldenSplit();
    const std::filesystem::path dir = freshDir("llava-split-preset");
    std::filesystem::create_directories(dir / "text_encoders");
    std::filesystem::create_directories(dir / "clip_vision");
    const std::filesystem::path text = dir / "text_encoders" / "llava_llama3_fp16.safetensors";
    writeSafetensors(text, split.language);

    {
        const ModelsFolderScan scan = scanModelsFolder(dir);
        const ComponentStatus& encoder = component(fastPreset(scan), ModelFamily::LlavaLlama3);
        CHECK_FALSE(encoder.satisfied());
        REQUIRE(encoder.unsuitable.size() == 1);
        CHECK(encoder.unsuitable[0].first == text);
        CHECK_THAT(encoder.unsuitable[0].second,
                   Catch::Contains("text part only") &&
                       Catch::Contains("clip_vision/llava_llama3_vision.safetensors"));
        CHECK(component(fastPreset(scan), ModelFamily::LlavaVision).requirement.optional);
    }

    // A vision file whose projector gives another width does not complete it.
    NamedTensors narrow;
    for (const auto& [name, tensor] : split.vision) {
        if (name.rfind("multi_modal_projector.linear_2.", 0) == 0) {
            narrow.emplace_back(name, tensor.narrow(0, 0, tensor.size(0) / 2).clone());
        } else {
            narrow.emplace_back(name, tensor);
        }
    }
    const std::filesystem::path other = dir / "clip_vision" / "other_vision.safetensors";
    writeSafetensors(other, narrow);
    {
        const ModelsFolderScan scan = scanModelsFolder(dir);
        const ComponentStatus& encoder = component(fastPreset(scan), ModelFamily::LlavaLlama3);
        CHECK_FALSE(encoder.satisfied());
        REQUIRE(encoder.unsuitable.size() == 1);
        CHECK_THAT(encoder.unsuitable[0].second, Catch::Contains("project to width"));
    }
    std::filesystem::remove(other);

    const std::filesystem::path vision = dir / "clip_vision" / "llava_llama3_vision.safetensors";
    writeSafetensors(vision, split.vision);
    const ModelsFolderScan scan = scanModelsFolder(dir);
    const ComponentStatus& encoder = component(fastPreset(scan), ModelFamily::LlavaLlama3);
    CHECK(encoder.satisfied());
    CHECK(encoder.unsuitable.empty());
    const ComponentStatus& tower = component(fastPreset(scan), ModelFamily::LlavaVision);
    REQUIRE(tower.found.size() == 1);
    CHECK(tower.found[0] == vision);

    // A full LLaVA needs no vision file.
    const std::filesystem::path full = freshDir("llava-split-full");
    writeSafetensors(full / "llava.safetensors", readAll(goldenDir() / kLlavaGolden));
    const ModelsFolderScan fullScan = scanModelsFolder(full);
    CHECK(component(fastPreset(fullScan), ModelFamily::LlavaLlama3).satisfied());
}
