// The tiny HunyuanVideo-I2V models folder in every released layout (tiny_hunyuan_layouts.h) as
// the registry, the engine's discovery and the model constructors see it: scanModelsFolder
// recognises each weights file as its family (ComfyUI's LLaVA as its text-only Llama and its
// vision tower) and finds the Fast preset complete; findHunyuanModelFiles finds those files
// and both tokenizers and HunyuanModelSet opens them; every DiT, VAE, LLaVA and CLIP tensor
// reads back through the InternalView under the reference's names with the value written
// (exactly where the layout is lossless, within the bits the GGUF type keeps where it is
// not); the DiT, VAE, LLaVA and CLIP built from each folder give the official folder's
// outputs (the GGUF DiTs within their quantisation); the tokenizers read the added tokens and
// give the template's crop positions.
#include "tests/core/infer/hunyuan/tiny_hunyuan_layouts.h"

#include "core/infer/layers/module_weights.h"
#include "core/infer/models/hunyuan/clip_image_processor.h"
#include "core/infer/models/hunyuan/clip_text_config.h"
#include "core/infer/models/hunyuan/clip_text_encoder.h"
#include "core/infer/models/hunyuan/hy_dit_config.h"
#include "core/infer/models/hunyuan/hy_dit_model.h"
#include "core/infer/models/hunyuan/hy_models_folder.h"
#include "core/infer/models/hunyuan/hy_vae_config.h"
#include "core/infer/models/hunyuan/hy_vae_model.h"
#include "core/infer/models/hunyuan/llava_config.h"
#include "core/infer/models/hunyuan/llava_encoder.h"
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/registry/model_family.h"
#include "core/infer/registry/preset_requirements.h"
#include "core/infer/tokenizers/byte_level_bpe.h"
#include "core/infer/tokenizers/clip_bpe_tokenizer.h"
#include "core/infer/tokenizers/hunyuan_prompt_tokens.h"
#include "core/infer/weights/json_value.h"
#include "tests/core/infer/golden_cases.h"
#include "tests/core/infer/registry/registry_files.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>

using namespace storyreel::infer;
using namespace storyreel::infer::hunyuan;
using namespace storyreel::test;

namespace {

JsonValue readJson(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    return parseJson(std::string(std::istreambuf_iterator<char>(in), {}));
}

bool startsWith(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

// A checkpoint opened, recognised and seen under the reference's names.
struct OpenedFile {
    std::unique_ptr<CheckpointFile> file;
    ModelRecognition recognition;
    std::unique_ptr<InternalView> view;
};

OpenedFile openAs(const std::filesystem::path& path, ModelFamily family) {
    OpenedFile opened;
    opened.file = openCheckpoint(path);
    opened.recognition = recogniseModel(opened.file->tensors(), opened.file->metadata(),
                                        opened.file->architecture());
    INFO(path.string() << " recognised as " << modelFamilyName(opened.recognition.family) << ", "
                       << checkpointLayoutName(opened.recognition.layout));
    REQUIRE(opened.recognition.family == family);
    opened.view = std::make_unique<InternalView>(*opened.file, family, opened.recognition.layout);
    CHECK(opened.view->unmapped().empty());
    return opened;
}

// How far a tensor may read back from the value written: 0 where the file keeps it exactly,
// else what the GGUF type's bits allow (Q8_0: one step of max|x| / 127 per block, which covers
// half a step of rounding and the float16 scale; Q4_K: one step of a sub-block's range / 15,
// at most 2 max|x| / 15, which covers half a step and the 6-bit scale's and min's rounding).
double allowedError(std::uint32_t ggmlType, const at::Tensor& want) {
    const double largest = want.abs().max().item<double>();
    switch (ggmlType) {
        case 8:
            return largest / 127.0;
        case 12:
            return 2.0 * largest / 15.0;
        default:
            return 0.0;  // F32, F16: the values are exact in float16
    }
}

// Every tensor of `want` read through `opened`'s view; returns the largest relative error
// (L2). `types` gives the GGUF type of each tensor (empty: a lossless file).
double checkTensors(const OpenedFile& opened, const NamedTensors& want,
                    const std::map<std::string, std::uint32_t>& types = {}) {
    CHECK(opened.view->names().size() == want.size());
    double worst = 0.0;
    for (const auto& [name, tensor] : want) {
        INFO(opened.file->path().string() << ": " << name);
        REQUIRE(opened.view->contains(name));
        const at::Tensor got = opened.view->tensor(name);
        REQUIRE(got.sizes() == tensor.sizes());
        const auto type = types.find(name);
        const std::uint32_t ggml = type == types.end() ? 0 : type->second;
        const double allowed = allowedError(ggml, tensor);
        const double error = (got - tensor).abs().max().item<double>();
        INFO("max |error| " << error << ", allowed " << allowed << " (ggml type " << ggml << ")");
        CHECK(error <= allowed);
        // The file really keeps the blocks the writer meant.
        for (const std::string& source : opened.view->sourcesOf(name)) {
            CHECK(opened.file->quantized(source).has_value() == (ggml == 8 || ggml == 12));
        }
        worst = std::max(worst, relativeError(got, tensor));
    }
    return worst;
}

NamedTensors selectByPrefix(const NamedTensors& tensors, const std::string& prefix, bool keep) {
    NamedTensors out;
    for (const auto& [name, tensor] : tensors) {
        if (startsWith(name, prefix) == keep) {
            out.emplace_back(name, tensor);
        }
    }
    return out;
}

// Fixed inputs for a forward pass of the tiny DiT: 2 latent frames of 4x4 (8 tokens), 6 text
// tokens of which the last 2 are padding.
HunyuanDiTInputs tinyDitInputs() {
    at::manual_seed(2025);
    HunyuanDiTInputs in;
    in.x = at::randn({1, 16, 2, 4, 4});
    in.t = at::full({1}, 700.0);
    in.textStates = at::randn({1, 6, 256});
    in.textMask = at::tensor(std::vector<std::int64_t>{1, 1, 1, 1, 0, 0}).reshape({1, 6});
    in.textStates2 = at::randn({1, 128});
    in.guidance = at::full({1}, 6000.0);
    return in;
}

// Builds the DiT (config from the shapes) and returns its output on tinyDitInputs().
at::Tensor checkDitBuilds(const OpenedFile& opened) {
    const HunyuanDiTConfig config = HunyuanDiTConfig::fromCheckpoint(*opened.view);
    CHECK(config.hiddenSize == 256);
    CHECK(config.headsNum == 2);
    CHECK(config.headDim() == 128);
    CHECK(config.ropeDimList == std::array<std::int64_t, 3>{16, 56, 56});
    CHECK(config.doubleBlocks == 1);
    CHECK(config.singleBlocks == 1);
    CHECK(config.inChannels == 16);
    CHECK(config.outChannels == 16);
    CHECK(config.mlpHidden() == 1024);
    CHECK(config.textStatesDim == 256);
    CHECK(config.textStatesDim2 == 128);
    CHECK(config.guidanceEmbed);
    CHECK(config.isTokenReplace());
    const ModuleWeights weights(*opened.view, {}, "HunyuanVideo DiT", config.describe());
    HunyuanDiT model(config, weights);
    const at::Tensor out = model.forward(tinyDitInputs());
    CHECK(out.sizes() == at::IntArrayRef{1, 16, 2, 4, 4});
    CHECK(at::isfinite(out).all().item<bool>());
    CHECK(out.std().item<double>() > 0.0);
    return out;
}

// Builds the VAE (config from the shapes) and returns its decode of fixed latents.
at::Tensor checkVaeBuilds(const OpenedFile& opened) {
    const HunyuanVAEConfig config = HunyuanVAEConfig::fromWeights(*opened.view);
    CHECK(config.blockOutChannels == std::vector<std::int64_t>{32, 32, 32, 32});
    CHECK(config.layersPerBlock == 2);
    CHECK(config.latentChannels == 16);
    CHECK(config.normNumGroups == 32);
    const ModuleWeights weights(*opened.view, {}, "HunyuanVideo VAE", config.describe());
    const HunyuanVAE vae(config, weights);
    at::manual_seed(16);
    const at::Tensor video = vae.decode(at::randn({1, 16, 2, 2, 2}));
    CHECK(video.sizes() == at::IntArrayRef{1, 3, 5, 16, 16});
    CHECK(at::isfinite(video).all().item<bool>());
    return video;
}

// Builds the LLaVA encoder and encodes a prompt in the video I2V template with a random
// image, the template's cropping fields as the tiny tokenizer gives them.
at::Tensor checkLlavaEncodes(const std::filesystem::path& dir, const TinyHunyuanFiles& files,
                             LlavaEncoderConfig config, const ModuleWeights& weights) {
    const hunyuan::HunyuanPromptTemplate fields = tinyHunyuanPromptTemplate();
    CHECK(fields.cropStart == 402);
    CHECK(fields.imageEmbStart == 10);
    CHECK(fields.doubleReturnTokenId == 276);
    config.prompt = fields;
    config.maxLength = fields.cropStart + 32;
    const LlavaTextEncoder encoder(config, weights);
    const ByteLevelBpeTokenizer tokenizer =
        ByteLevelBpeTokenizer::fromTokenizerJson(dir / files.llavaTokenizer);
    const PaddedIds ids = tokenizer.encodePadded(
        applyHunyuanTemplate(hunyuanVideoI2VTemplate(), "a cat surfing the world"),
        static_cast<std::size_t>(config.maxLength), kTinyLlavaPadTokenId);
    const auto row = [](const std::vector<std::int64_t>& values) {
        return at::tensor(values).reshape({1, -1});
    };
    at::manual_seed(56);
    const HunyuanTextStates text =
        encoder.encode(row(ids.ids), row(ids.mask), at::randn({1, 3, 56, 56}));
    // 16 image tokens every 4th, then the 32 prompt positions less the 4 header tokens.
    CHECK(text.states.sizes() == at::IntArrayRef{1, 4 + 32 - 4, 256});
    CHECK(at::isfinite(text.states).all().item<bool>());
    CHECK(text.states.std().item<double>() > 0.0);
    return text.states.to(at::kFloat);
}

// Builds CLIP-L's text model and returns its pooled output of a prompt's ids.
at::Tensor checkClipTextBuilds(const std::filesystem::path& dir, const TinyHunyuanFiles& files,
                               const OpenedFile& opened, const ClipTextConfig& config) {
    const ModuleWeights weights(*opened.view, {}, "CLIP-L text", config.describe());
    const ClipTextEncoder clip(config, weights);
    const PaddedIds ids =
        ClipBpeTokenizer::open(dir / files.clipTokenizer).encodePadded("a cat in the world");
    const auto row = [](const std::vector<std::int64_t>& values) {
        return at::tensor(values).reshape({1, -1});
    };
    const at::Tensor pooled = clip.pooled(row(ids.ids), row(ids.mask));
    CHECK(pooled.sizes() == at::IntArrayRef{1, 128});
    CHECK(at::isfinite(pooled).all().item<bool>());
    return pooled.to(at::kFloat);
}

void checkTokenizers(const std::filesystem::path& dir, const TinyHunyuanFiles& files) {
    const ByteLevelBpeTokenizer llava =
        ByteLevelBpeTokenizer::fromTokenizerJson(dir / files.llavaTokenizer);
    CHECK(llava.tokenToId("<image>") == kTinyLlavaImageTokenId);
    CHECK(llava.tokenToId("<pad>") == kTinyLlavaPadTokenId);
    const std::vector<std::int64_t> ids = llava.encode("a cat<image>", false);
    REQUIRE_FALSE(ids.empty());
    CHECK(ids.back() == kTinyLlavaImageTokenId);
    CHECK(*std::max_element(ids.begin(), ids.end()) < kTinyLlavaVocab);
    const ClipBpeTokenizer clip = ClipBpeTokenizer::open(dir / files.clipTokenizer);
    CHECK(clip.eosId() == kTinyClipEndOfText);
    CHECK(clip.bosId() == kTinyClipStartOfText);
    // With rows of any length that hold the tiny template, the engine finds the crop
    // positions this test computes on its own.
    HunyuanPromptTokenizer::Options roomy;
    roomy.textLength = 512;
    const HunyuanPromptTokenizer prompt(
        ByteLevelBpeTokenizer::fromTokenizerJson(dir / files.llavaTokenizer),
        ClipBpeTokenizer::open(dir / files.clipTokenizer), roomy);
    const hunyuan::HunyuanPromptTemplate engine = hunyuanPromptCrop(prompt, 16);
    const hunyuan::HunyuanPromptTemplate tiny = tinyHunyuanPromptTemplate();
    CHECK(engine.cropStart == tiny.cropStart);
    CHECK(engine.imageEmbStart == tiny.imageEmbStart);
    CHECK(engine.imageEmbEnd == tiny.imageEmbEnd);
    CHECK(engine.doubleReturnTokenId == tiny.doubleReturnTokenId);
}

// The engine's discovery (findHunyuanModelFiles) finds the files the layout holds.
void checkEngineFinds(const std::filesystem::path& dir, const TinyHunyuanFiles& files) {
    const HunyuanModelFiles found = findHunyuanModelFiles(dir);
    const auto same = [&](const std::filesystem::path& got, const std::filesystem::path& want) {
        INFO(got.string() << " (expected " << want.string() << ")");
        CHECK((!got.empty() && std::filesystem::equivalent(got, dir / want)));
    };
    same(found.transformer, files.dit);
    same(found.vae, files.vae);
    same(found.textEncoder, files.llava);
    if (files.llavaVision.empty()) {
        CHECK(found.visionEncoder.empty());
    } else {
        same(found.visionEncoder, files.llavaVision);
    }
    same(found.clipText, files.clipText);
    same(found.llmTokenizer, files.llavaTokenizer);
    same(found.clipTokenizer, files.clipTokenizer);
}

}  // namespace

TEST_CASE("Every tiny HunyuanVideo layout is recognised and reads back as the reference weights",
          "[infer][hunyuan][layouts]") {
    const TinyHunyuanWeights weights = tinyHunyuanWeights();
    struct Outputs {
        at::Tensor dit, video, clipPooled, llavaStates;
    } reference;
    REQUIRE(allTinyHunyuanLayouts().front() == TinyHunyuanLayout::Official);
    for (const TinyHunyuanLayout layout : allTinyHunyuanLayouts()) {
        const std::string name(tinyHunyuanLayoutName(layout));
        std::cout << "tiny HunyuanVideo layout " << name << "\n";
        INFO("layout " << name);
        const std::filesystem::path dir = freshDir("tiny-hunyuan-layouts/" + name);
        writeTinyHunyuanLayout(dir, layout);
        const TinyHunyuanFiles files = tinyHunyuanFiles(layout);
        const bool official = layout == TinyHunyuanLayout::Official;
        const bool diffusers = layout == TinyHunyuanLayout::Diffusers;
        // Official and diffusers keep LLaVA whole with its config; ComfyUI-style folders split
        // it and ship no configs.
        const bool wholeLlava = official || diffusers;

        // The folder as the models scan sees it: every component by content, ComfyUI's LLaVA
        // as two files (the text-only Llama, the vision tower with the projector).
        const ModelsFolderScan scan = scanModelsFolder(dir);
        std::map<std::filesystem::path, ModelFamily> expected = {
            {dir / files.dit, ModelFamily::HunyuanDiT},
            {dir / files.vae, ModelFamily::HunyuanVAE},
            {dir / files.llava, ModelFamily::LlavaLlama3},
            {dir / files.clipText, ModelFamily::ClipLText}};
        if (!files.llavaVision.empty()) {
            expected[dir / files.llavaVision] = ModelFamily::LlavaVision;
        }
        std::set<std::filesystem::path> listed;
        for (const ScannedFile& file : scan.files) {
            INFO(file.path.string()
                 << ": " << file.error << " " << modelFamilyName(file.recognition.family));
            listed.insert(file.path);
            CHECK(file.status != ScanStatus::Unreadable);
            const auto want = expected.find(file.path);
            REQUIRE(want != expected.end());
            CHECK(file.status == ScanStatus::Recognised);
            CHECK(file.recognition.family == want->second);
        }
        for (const auto& [path, family] : expected) {
            INFO(path.string());
            CHECK(listed.count(path) == 1);
        }
        CHECK(listed.size() == expected.size());
        const auto fast = std::find_if(scan.presets.begin(), scan.presets.end(),
                                       [](const PresetStatus& p) { return p.preset.id == "fast"; });
        REQUIRE(fast != scan.presets.end());
        CHECK(fast->complete);

        // Every tensor under the reference's names.
        const OpenedFile dit = openAs(dir / files.dit, ModelFamily::HunyuanDiT);
        std::map<std::string, std::uint32_t> ditTypes;
        if (layout == TinyHunyuanLayout::GgufQ8_0 || layout == TinyHunyuanLayout::GgufQ4_K) {
            CHECK(dit.recognition.layout == CheckpointLayout::Gguf);
            for (const GgufTensor& t : tinyHunyuanGgufDit(
                     layout == TinyHunyuanLayout::GgufQ8_0 ? GgufQuant::Q8_0 : GgufQuant::Q4_K)) {
                ditTypes[t.name] = t.type;
            }
        }
        const double ditError = checkTensors(dit, weights.dit, ditTypes);
        const OpenedFile vae = openAs(dir / files.vae, ModelFamily::HunyuanVAE);
        const double vaeError = checkTensors(vae, weights.vae);
        const OpenedFile llava = openAs(dir / files.llava, ModelFamily::LlavaLlama3);
        // ComfyUI splits LLaVA: the text-only Llama here, the tower and projector apart.
        const double llavaError = checkTensors(
            llava,
            wholeLlava ? weights.llava : selectByPrefix(weights.llava, "language_model.", true));
        if (!wholeLlava) {
            const OpenedFile vision = openAs(dir / files.llavaVision, ModelFamily::LlavaVision);
            CHECK(checkTensors(vision, selectByPrefix(weights.llava, "language_model.", false)) ==
                  0.0);
        }
        const OpenedFile clip = openAs(dir / files.clipText, ModelFamily::ClipLText);
        const double clipError = checkTensors(clip, weights.clipText);
        std::cout << "  worst relative error DiT " << ditError << ", VAE " << vaeError << ", LLaVA "
                  << llavaError << ", CLIP " << clipError << "\n";
        CHECK(vaeError == 0.0);
        CHECK(llavaError == 0.0);
        CHECK(clipError == 0.0);
        if (ditTypes.empty()) {
            CHECK(ditError == 0.0);
        } else {
            CHECK(ditError > 0.0);
        }

        // The models build from them, sized from shapes or the folder's configs, and compute
        // the same outputs as from the official folder: exactly where the weights are the same
        // values, within the quantisation's effect for the GGUF DiTs.
        const at::Tensor ditOut = checkDitBuilds(dit);
        const at::Tensor video = checkVaeBuilds(vae);
        if (official) {
            reference = {ditOut, video, {}, {}};
        } else {
            REQUIRE(reference.dit.defined());
            const double ditDrift = relativeError(ditOut, reference.dit);
            std::cout << "  DiT output vs the official folder's: relative error " << ditDrift
                      << "\n";
            // Through one double and one single block the weights' rounding grows less than
            // fourfold (measured: 1.7x for Q8_0, 1.5x for Q4_K); lossless files give 0.
            CHECK(ditDrift <= 4.0 * ditError);
            CHECK(at::equal(video, reference.video));
        }
        if (diffusers) {
            CHECK(dit.recognition.layout == CheckpointLayout::Diffusers);
        }
        if (official) {
            // diffusers' vae/config.json names its own block types, which fromJson refuses:
            // that folder's VAE is sized from its shapes (checkVaeBuilds).
            const HunyuanVAEConfig fromJson =
                HunyuanVAEConfig::fromJson(readJson(dir / files.vaeConfig));
            const HunyuanVAEConfig fromShapes = HunyuanVAEConfig::fromWeights(*vae.view);
            CHECK(fromJson.blockOutChannels == fromShapes.blockOutChannels);
            CHECK(fromJson.layersPerBlock == fromShapes.layersPerBlock);
            CHECK(fromJson.latentChannels == fromShapes.latentChannels);
            CHECK(fromJson.normNumGroups == fromShapes.normNumGroups);
            CHECK(fromJson.scalingFactor == Approx(0.476986));
        }
        at::Tensor pooled;
        at::Tensor llavaStates;
        if (wholeLlava) {
            LlavaEncoderConfig config =
                LlavaEncoderConfig::fromJson(readJson(dir / files.llavaConfig));
            CHECK(config.text.hiddenSize == 256);
            CHECK(config.text.numHeads == 2);
            CHECK(config.text.numKeyValueHeads == 1);
            CHECK(config.text.numLayers == 4);
            CHECK(config.text.intermediateSize == 512);
            CHECK(config.text.vocabSize == kTinyLlavaVocab);
            CHECK(config.text.ropeTheta == 500000.0);
            CHECK(config.vision.hiddenSize == 128);
            CHECK(config.vision.numPatches() == 16);
            CHECK(config.imageTokenIndex == kTinyLlavaImageTokenId);
            CHECK(config.padTokenId == kTinyLlavaPadTokenId);
            config.imageProcessor =
                ClipImageProcessorConfig::fromJson(readJson(dir / files.llavaPreprocessor));
            CHECK(config.imageProcessor.shortestEdge == 56);
            CHECK(config.imageProcessor.cropHeight == 56);
            const ModuleWeights llavaWeights(*llava.view, {}, "LLaVA-Llama-3", config.describe());
            llavaStates = checkLlavaEncodes(dir, files, config, llavaWeights);

            const ClipTextConfig clipConfig =
                ClipTextConfig::fromJson(readJson(dir / files.clipTextConfig));
            CHECK(clipConfig.hiddenSize == 128);
            CHECK(clipConfig.vocabSize == kTinyClipVocab);
            CHECK(clipConfig.eosTokenId == kTinyClipEndOfText);
            pooled = checkClipTextBuilds(dir, files, clip, clipConfig);
        } else {
            // ComfyUI ships no configs: CLIP-L's text model as released but for its sizes.
            ClipTextConfig clipConfig;
            clipConfig.vocabSize = kTinyClipVocab;
            clipConfig.hiddenSize = 128;
            clipConfig.intermediateSize = 256;
            clipConfig.numHeads = 2;
            clipConfig.numLayers = 2;
            pooled = checkClipTextBuilds(dir, files, clip, clipConfig);
        }
        if (official) {
            reference.llavaStates = llavaStates;
        } else if (diffusers) {
            CHECK(at::equal(llavaStates, reference.llavaStates));
        }
        if (official) {
            reference.clipPooled = pooled;
        } else {
            // The legacy pooling (eos_token_id 2, ComfyUI) and the eos one agree: <|endoftext|>
            // is the highest id.
            CHECK(at::equal(pooled, reference.clipPooled));
        }
        checkTokenizers(dir, files);
        checkEngineFinds(dir, files);
        std::filesystem::remove_all(dir);
    }
}

TEST_CASE("The tiny HunyuanVideo weights are exact in float16 and bfloat16 and seeded",
          "[infer][hunyuan][layouts]") {
    const TinyHunyuanWeights first = tinyHunyuanWeights();
    const TinyHunyuanWeights second = tinyHunyuanWeights();
    for (const auto component : {&TinyHunyuanWeights::dit, &TinyHunyuanWeights::vae,
                                 &TinyHunyuanWeights::llava, &TinyHunyuanWeights::clipText}) {
        const NamedTensors& a = first.*component;
        const NamedTensors& b = second.*component;
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            INFO(a[i].first);
            CHECK(a[i].first == b[i].first);
            CHECK(at::equal(a[i].second, b[i].second));
            CHECK(at::equal(a[i].second.to(at::kHalf).to(at::kFloat), a[i].second));
            CHECK(at::equal(a[i].second.to(at::kBFloat16).to(at::kFloat), a[i].second));
            CHECK(a[i].second.abs().max().item<double>() > 0.0);
        }
    }
    // The released GGUF writer's typing: HunyuanVideo keeps no `.modulation` in F32.
    for (const GgufTensor& t : tinyHunyuanGgufDit(GgufQuant::Q8_0)) {
        if (t.name == "single_blocks.0.modulation.linear.weight") {
            CHECK(t.type == 8);
        }
        if (t.name == "img_in.proj.weight") {
            CHECK(t.type == 0);
        }
    }
}

// The engine's own path: the tokenizer sizes the LLM's rows from how it spells the template
// (the tiny one takes 402 ids before the prompt, Llama 3 103), the crop positions follow, and
// every layout opens, the diffusers VAE sized from its shapes.
TEST_CASE("The engine opens every tiny HunyuanVideo layout and finds its prompt crop",
          "[infer][hunyuan][layouts]") {
    for (const TinyHunyuanLayout layout : allTinyHunyuanLayouts()) {
        const std::string name(tinyHunyuanLayoutName(layout));
        std::cout << "tiny HunyuanVideo layout " << name << " through HunyuanModelSet\n";
        INFO("layout " << name);
        const std::filesystem::path dir = freshDir("tiny-hunyuan-engine/" + name);
        writeTinyHunyuanLayout(dir, layout);
        const TinyHunyuanFiles files = tinyHunyuanFiles(layout);
        const HunyuanPromptTokenizer prompt(
            ByteLevelBpeTokenizer::fromTokenizerJson(dir / files.llavaTokenizer),
            ClipBpeTokenizer::open(dir / files.clipTokenizer));
        const hunyuan::HunyuanPromptTemplate tiny = tinyHunyuanPromptTemplate();
        CHECK(prompt.cropStart() == tiny.cropStart);
        CHECK(prompt.llmLength() == static_cast<std::size_t>(256 + tiny.cropStart));
        hunyuan::HunyuanPromptTemplate engine;
        CHECK_NOTHROW(engine = hunyuanPromptCrop(prompt, 16));
        CHECK(engine.cropStart == tiny.cropStart);
        CHECK(engine.imageEmbStart == tiny.imageEmbStart);
        CHECK(engine.imageEmbEnd == tiny.imageEmbEnd);
        CHECK(engine.doubleReturnTokenId == tiny.doubleReturnTokenId);
        HunyuanModelFiles found;
        CHECK_NOTHROW(found = findHunyuanModelFiles(dir));
        CHECK(found.visionEncoder.empty() == files.llavaVision.empty());
        std::unique_ptr<HunyuanModelSet> models;
        CHECK_NOTHROW(models = HunyuanModelSet::open(found, {}));
        if (models) {
            CHECK(models->transformerConfig().hiddenSize == 256);
        }
        std::filesystem::remove_all(dir);
    }
}
