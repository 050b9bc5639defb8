// HunyuanVideo-I2V's LLaVA encoder from ComfyUI's two files: every golden
// hunyuan_llava_text_encoder case's weights written as text_encoders/llava_llama3_fp16 (the
// Llama under "model.*") and clip_vision/llava_llama3_vision (the CLIP tower under
// "vision_model.*" and the projector), opened through the registry as the models folder
// would be (openCheckpoint, recogniseModel, InternalView), built with the two-file
// constructor and compared with the golden outputs at the case's suggested tolerance; then
// the same with the configuration read from the shapes (LlavaEncoderConfig::fromWeights).
#include "core/infer/layers/module_weights.h"
#include "core/infer/models/hunyuan/clip_image_processor.h"
#include "core/infer/models/hunyuan/llava_config.h"
#include "core/infer/models/hunyuan/llava_encoder.h"
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/registry/model_family.h"
#include "tests/core/infer/golden_cases.h"
#include "tests/core/infer/registry/registry_files.h"
#include "tests/core/infer/wan/golden_io.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

using namespace storyreel::infer;
using namespace storyreel::infer::hunyuan;
using storyreel::test::GoldenCase;
using storyreel::test::goldenCases;
using storyreel::test::int64Tensor;
using storyreel::test::relativeError;

namespace {

constexpr const char* kLlavaKind = "hunyuan_llava_text_encoder";

// One ComfyUI file opened as the models folder opens it: recognised by content, viewed under
// the reference's names.
struct OpenedSplitFile {
    explicit OpenedSplitFile(const std::filesystem::path& path)
        : file(openCheckpoint(path)),
          recognition(recogniseModel(file->tensors(), file->metadata(), file->architecture())),
          view(*file, recognition.family, recognition.layout) {}
    std::unique_ptr<CheckpointFile> file;
    ModelRecognition recognition;
    InternalView view;
};

struct SplitFiles {
    std::filesystem::path language;
    std::filesystem::path vision;
};

SplitFiles writeComfySplit(const GoldenCase& golden) {
    const std::filesystem::path dir = storyreel::test::freshDir("llava-split-" + golden.name);
    std::filesystem::create_directories(dir / "text_encoders");
    std::filesystem::create_directories(dir / "clip_vision");
    const storyreel::test::LlavaSplit split =
        storyreel::test::toComfyLlavaSplit(storyreel::test::readAll(golden.weights));
    SplitFiles files{dir / "text_encoders" / "llava_llama3_fp16.safetensors",
                     dir / "clip_vision" / "llava_llama3_vision.safetensors"};
    storyreel::test::writeSafetensors(files.language, split.language);
    storyreel::test::writeSafetensors(files.vision, split.vision);
    return files;
}

at::Tensor masked(const at::Tensor& t, const at::Tensor& mask) {
    const at::Tensor flat = t.reshape({t.size(0) * t.size(1), -1});
    const at::Tensor keep = mask.reshape({-1}).ne(0).nonzero().view({-1});
    return flat.index_select(0, keep.to(flat.device()));
}

double report(const std::string& name, const at::Tensor& got, const at::Tensor& want) {
    REQUIRE(got.sizes() == want.sizes());
    const double error = relativeError(got, want);
    std::cout << "  " << name << " rel. error " << error << "\n";
    return error;
}

// The golden outputs from an encoder over the two files.
void checkAgainstGolden(const LlavaTextEncoder& encoder, const GoldenCase& golden,
                        const std::string& label) {
    const LlavaEncoderConfig& config = encoder.config();
    const storyreel::infer::SafetensorsReader io(golden.io);
    const at::Tensor pixels = clipImagePixels(io.tensor("in.image_rgb_u8"), config.imageProcessor);
    CHECK(report(label + " out.pixel_values", pixels, io.tensor("out.pixel_values")) <=
          golden.tolerance);
    const at::Tensor ids = int64Tensor(io, "in.input_ids");
    const at::Tensor mask = int64Tensor(io, "in.attention_mask");
    CHECK(report(label + " out.hidden_states_skip2", encoder.mergedStates(ids, mask, pixels),
                 io.tensor("out.hidden_states_skip2")) <= golden.tolerance);
    std::vector<at::Tensor> states, masks;
    for (std::int64_t b = 0; b < ids.size(0); ++b) {
        const HunyuanTextStates row =
            encoder.encode(ids.narrow(0, b, 1), mask.narrow(0, b, 1), pixels);
        states.push_back(row.states);
        masks.push_back(row.mask);
    }
    const at::Tensor wantMask = int64Tensor(io, "out.attention_mask");
    const at::Tensor gotMask = at::cat(masks);
    REQUIRE(gotMask.sizes() == wantMask.sizes());
    CHECK(at::equal(gotMask, wantMask));
    CHECK(report(label + " out.hidden_state (mask==1 rows)", masked(at::cat(states), wantMask),
                 masked(io.tensor("out.hidden_state"), wantMask)) <= golden.tolerance);
}

}  // namespace

TEST_CASE("LLaVA text encoder from ComfyUI's split files matches the reference",
          "[hunyuan][text][registry]") {
    const std::vector<GoldenCase> cases = goldenCases("hunyuan", kLlavaKind);
    REQUIRE_FALSE(cases.empty());
    for (const GoldenCase& golden : cases) {
        std::cout << kLlavaKind << " (ComfyUI split files): " << golden.name << "\n";
        INFO(golden.name);
        REQUIRE_FALSE(golden.weights.empty());
        const SplitFiles paths = writeComfySplit(golden);
        const OpenedSplitFile language(paths.language);
        const OpenedSplitFile vision(paths.vision);
        CHECK(language.recognition.family == ModelFamily::LlavaLlama3);
        CHECK(language.recognition.layout == CheckpointLayout::ComfyUI);
        CHECK(vision.recognition.family == ModelFamily::LlavaVision);
        CHECK(vision.recognition.layout == CheckpointLayout::ComfyUI);

        const LlavaEncoderConfig config = LlavaEncoderConfig::fromJson(golden.config);
        const ModuleWeights languageWeights(language.view, {}, "LLaVA-Llama-3", config.describe());
        const ModuleWeights visionWeights(vision.view, {}, "LLaVA vision", config.describe());
        const LlavaTextEncoder encoder(config, languageWeights, visionWeights);
        checkAgainstGolden(encoder, golden, "config.json:");

        // Without a config.json: sizes from the shapes; what no shape tells (head sizes,
        // token ids, the prompt template and the TextEncoder arguments) from the case.
        LlavaUnshapedSettings settings;
        settings.llamaHeadDim = config.text.headDim();
        settings.visionHeadDim = config.vision.hiddenSize / config.vision.numHeads;
        settings.imageTokenIndex = config.imageTokenIndex;
        settings.padTokenId = config.padTokenId;
        LlavaEncoderConfig shaped =
            LlavaEncoderConfig::fromWeights(language.view, vision.view, settings);
        shaped.prompt = config.prompt;
        shaped.maxLength = config.maxLength;
        shaped.hiddenStateSkipLayer = config.hiddenStateSkipLayer;
        shaped.imageEmbedInterleave = config.imageEmbedInterleave;
        const LlavaTextEncoder fromShapes(shaped, languageWeights, visionWeights);
        checkAgainstGolden(fromShapes, golden, "from shapes:");
    }
}

TEST_CASE("LLaVA's split files name the file that lacks a tensor", "[hunyuan][text][registry]") {
    const std::vector<GoldenCase> cases = goldenCases("hunyuan", kLlavaKind);
    REQUIRE_FALSE(cases.empty());
    const GoldenCase& golden = cases.front();
    const SplitFiles paths = writeComfySplit(golden);
    const OpenedSplitFile language(paths.language);
    const OpenedSplitFile vision(paths.vision);
    const LlavaEncoderConfig config = LlavaEncoderConfig::fromJson(golden.config);
    const ModuleWeights languageWeights(language.view, {}, "LLaVA-Llama-3", config.describe());
    const ModuleWeights visionWeights(vision.view, {}, "LLaVA vision", config.describe());
    // The files swapped: the tower is looked for in the Llama's file.
    REQUIRE_THROWS_WITH(LlavaTextEncoder(config, visionWeights, languageWeights),
                        Catch::Contains("llava_llama3_fp16.safetensors") &&
                            Catch::Contains("vision_tower.vision_model.") &&
                            Catch::Contains("missing"));
    // The Llama file alone has no tower either.
    REQUIRE_THROWS_WITH(LlavaTextEncoder(config, languageWeights),
                        Catch::Contains("llava_llama3_fp16.safetensors") &&
                            Catch::Contains("vision_tower.vision_model."));
}
