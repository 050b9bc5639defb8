#include "core/infer/models/hunyuan/hy_models_folder.h"

#include "core/base/user_error.h"
#include "core/infer/layers/module_weights.h"
#include "core/infer/memory/block_swap.h"
#include "core/infer/models/hunyuan/clip_text_encoder.h"
#include "core/infer/models/hunyuan/hy_dit_model.h"
#include "core/infer/models/hunyuan/hy_vae_model.h"
#include "core/infer/models/hunyuan/llava_encoder.h"
#include "core/infer/registry/opened_checkpoint.h"
#include "core/infer/registry/preset_requirements.h"
#include "core/infer/tokenizers/hunyuan_prompt_tokens.h"
#include "core/infer/weights/json_value.h"
#include "core/infer/weights/weight_loader.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cctype>
#include <system_error>

namespace storyreel::infer::hunyuan {

namespace fs = std::filesystem;

namespace {

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// Every regular file named `name` below `folder`, sorted.
std::vector<fs::path> filesNamed(const fs::path& folder, const std::string& name) {
    std::vector<fs::path> found;
    std::error_code error;
    for (auto it = fs::recursive_directory_iterator(
             folder, fs::directory_options::skip_permission_denied, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        if (it->is_regular_file() && it->path().filename() == name) {
            found.push_back(it->path());
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

bool fileContains(const fs::path& file, std::string_view text) {
    try {
        return readTextFile(file).find(text) != std::string::npos;
    } catch (const UserError&) {
        return false;
    }
}

// The candidate beside `near` first, then one whose path names one of `hints`, then the first.
fs::path pickNear(const std::vector<fs::path>& candidates, const fs::path& near,
                  std::initializer_list<const char*> hints) {
    if (candidates.empty()) {
        return {};
    }
    for (const fs::path& candidate : candidates) {
        if (!near.empty() && candidate.parent_path() == near.parent_path()) {
            return candidate;
        }
    }
    for (const char* hint : hints) {
        for (const fs::path& candidate : candidates) {
            if (lowercase(candidate.string()).find(hint) != std::string::npos) {
                return candidate;
            }
        }
    }
    return candidates.front();
}

// LLaVA-Llama-3's tokenizer.json: Llama 3's byte-level BPE (it has <|begin_of_text|>).
fs::path findLlmTokenizer(const fs::path& folder, const fs::path& textEncoder) {
    std::vector<fs::path> candidates;
    for (const fs::path& file : filesNamed(folder, "tokenizer.json")) {
        if (fileContains(file, "<|begin_of_text|>")) {
            candidates.push_back(file);
        }
    }
    return pickNear(candidates, textEncoder, {"llava", "llama"});
}

// CLIP's tokenizer: a folder with vocab.json and merges.txt (or a CLIP tokenizer.json).
fs::path findClipTokenizer(const fs::path& folder, const fs::path& clipText) {
    std::vector<fs::path> candidates;
    for (const fs::path& vocab : filesNamed(folder, "vocab.json")) {
        if (fs::exists(vocab.parent_path() / "merges.txt") &&
            fileContains(vocab, "<|startoftext|>")) {
            candidates.push_back(vocab);
        }
    }
    for (const fs::path& file : filesNamed(folder, "tokenizer.json")) {
        if (fileContains(file, "<|startoftext|>") && !fileContains(file, "<|begin_of_text|>")) {
            candidates.push_back(file);
        }
    }
    const fs::path picked = pickNear(candidates, clipText, {"clip", "sd1_tokenizer"});
    return picked.empty() ? fs::path() : picked.parent_path();
}

// A config.json beside `file` that has `key` at its top, parsed; nullopt when there is none.
std::optional<JsonValue> configBeside(const fs::path& file, const char* key) {
    const fs::path json = file.parent_path() / "config.json";
    if (!fs::is_regular_file(json)) {
        return std::nullopt;
    }
    try {
        JsonValue config = parseJson(readTextFile(json));
        if (config.isObject() && config.find(key) != nullptr) {
            return config;
        }
        return std::nullopt;
    } catch (const JsonError& error) {
        throw UserError::inFile(json, std::string("is not valid JSON: ") + error.what());
    }
}

bool onCuda(const c10::Device& device) {
    return device.is_cuda();
}

}  // namespace

HunyuanModelFiles findHunyuanModelFiles(const fs::path& folder) {
    if (!fs::is_directory(folder)) {
        throw UserError("the models folder " + folder.string() +
                        " does not exist: create it and put the HunyuanVideo-I2V files in it "
                        "(transformer, VAE, LLaVA-Llama-3 and CLIP-L text encoders, their "
                        "tokenizers)");
    }
    const ModelsFolderScan scan = scanModelsFolder(folder);
    const PresetStatus* status = nullptr;
    for (const PresetStatus& candidate : scan.presets) {
        if (candidate.preset.id == "fast") {
            status = &candidate;
        }
    }
    if (status == nullptr) {
        throw std::logic_error("findHunyuanModelFiles: the registry has no preset fast");
    }
    HunyuanModelFiles files;
    files.folder = folder;
    std::vector<std::string> missing;
    std::vector<std::string> unsuitable;
    for (const ComponentStatus& component : status->components) {
        for (const auto& [path, why] : component.unsuitable) {
            unsuitable.push_back(path.string() + ": " + why);
        }
        if (!component.satisfied()) {
            if (!component.requirement.optional) {
                missing.push_back("the " + describeComponent(component.requirement));
            }
            continue;
        }
        const fs::path& first = component.found.front();
        switch (component.requirement.family) {
            case ModelFamily::HunyuanDiT:
                files.transformer = first;
                break;
            case ModelFamily::HunyuanVAE:
                files.vae = first;
                break;
            case ModelFamily::LlavaLlama3:
                files.textEncoder = first;
                break;
            case ModelFamily::ClipLText:
                files.clipText = first;
                break;
            default:
                break;
        }
    }
    // A LLaVA with its vision tower is preferred; a text-only one (ComfyUI's) takes the LLaVA
    // vision file whose projector fits its width (the registry only counts it then).
    std::vector<fs::path> visionFiles;
    for (const ComponentStatus& component : status->components) {
        if (component.requirement.family == ModelFamily::LlavaVision) {
            visionFiles = component.found;
        }
    }
    for (const ScannedFile& file : scan.files) {
        if (file.status == ScanStatus::Recognised &&
            file.recognition.family == ModelFamily::LlavaLlama3 &&
            file.recognition.configValue("vision_tower") != 0) {
            files.textEncoder = file.path;
            break;
        }
    }
    if (!files.textEncoder.empty()) {
        const ScannedFile llava = scanModelFile(files.textEncoder);
        if (llava.recognition.configValue("vision_tower") == 0) {
            for (const fs::path& vision : visionFiles) {
                const ScannedFile candidate = scanModelFile(vision);
                if (candidate.recognition.configValue("text_hidden") ==
                    llava.recognition.configValue("hidden")) {
                    files.visionEncoder = vision;
                    break;
                }
            }
            if (files.visionEncoder.empty()) {
                missing.push_back("LLaVA's vision tower for " + files.textEncoder.string() +
                                  ", which holds the language model only (ComfyUI's "
                                  "clip_vision/llava_llama3_vision.safetensors)");
            }
        }
    }
    files.llmTokenizer = findLlmTokenizer(folder, files.textEncoder);
    if (files.llmTokenizer.empty()) {
        missing.push_back(
            "LLaVA-Llama-3's tokenizer (a tokenizer.json with <|begin_of_text|>: the one in "
            "text_encoder_i2v/ of the official download, or ComfyUI's "
            "comfy/text_encoders/llama_tokenizer/ copied into the models folder)");
    }
    files.clipTokenizer = findClipTokenizer(folder, files.clipText);
    if (files.clipTokenizer.empty()) {
        missing.push_back(
            "CLIP-L's tokenizer (vocab.json and merges.txt: those of "
            "openai/clip-vit-large-patch14 in text_encoder_2/, or ComfyUI's "
            "comfy/sd1_tokenizer/ copied into the models folder)");
    }
    if (!missing.empty()) {
        throw UserError(incompleteModelsMessage("HunyuanVideo-I2V", folder, missing, unsuitable));
    }
    return files;
}

HunyuanPromptTemplate hunyuanPromptCrop(const HunyuanPromptTokenizer& tokenizer,
                                        std::int64_t imageTokens) {
    // The prompt starts where the ids of two different one-letter prompts first differ.
    const PaddedIds a = tokenizer.llmTokens("a");
    const PaddedIds b = tokenizer.llmTokens("b");
    std::int64_t cropStart = 0;
    while (static_cast<std::size_t>(cropStart) < a.ids.size() &&
           a.ids[static_cast<std::size_t>(cropStart)] ==
               b.ids[static_cast<std::size_t>(cropStart)]) {
        ++cropStart;
    }
    const auto image = std::find(a.ids.begin(), a.ids.end(), tokenizer.imageTokenId());
    if (cropStart < 1 || static_cast<std::size_t>(cropStart) >= a.ids.size() ||
        image == a.ids.end() || image - a.ids.begin() >= cropStart) {
        throw UserError(
            "the LLaVA tokenizer does not tokenize HunyuanVideo-I2V's prompt template as "
            "Llama 3 does (no <image> token before the prompt): is it llava-llama-3's "
            "tokenizer.json?");
    }
    HunyuanPromptTemplate crop;
    crop.cropStart = cropStart;
    crop.imageEmbStart = image - a.ids.begin();
    crop.imageEmbLen = imageTokens;
    crop.imageEmbEnd = crop.imageEmbStart + imageTokens;
    crop.doubleReturnTokenId = a.ids[static_cast<std::size_t>(cropStart - 1)];
    return crop;
}

HunyuanModelSet::~HunyuanModelSet() = default;

std::unique_ptr<HunyuanModelSet> HunyuanModelSet::open(const HunyuanModelFiles& files,
                                                       const HunyuanOpenOptions& options) {
    std::unique_ptr<HunyuanModelSet> set(new HunyuanModelSet());
    const bool cuda = onCuda(options.device);
    // Encoders placed on the CPU run float32 (half precision has no CPU kernels here).
    const bool encodersOnGpu = cuda && options.profile.textEncoder != TextEncoderPlacement::Cpu;
    set->opened_ = std::make_unique<OpenedCheckpoints>();
    OpenedCheckpoints& opened = *set->opened_;
    const auto checkCancel = [&] {
        if (options.cancel != nullptr) {
            options.cancel->throwIfCancelled();
        }
    };

    // The DiT: the reference runs it in bf16 (--precision bf16) on GPUs.
    const OpenedCheckpoint& dit = opened.open(files.transformer, ModelFamily::HunyuanDiT);
    set->transformerConfig_ = HunyuanDiTConfig::fromCheckpoint(*dit.view);
    set->storedBytesPerParameter_ = infer::storedBytesPerParameter(*dit.file);
    const at::ScalarType computeDtype =
        !cuda ? at::kFloat
              : (options.profile.weightDtype == WeightDtype::Float16 ? at::kHalf : at::kBFloat16);
    WeightLoadOptions ditOptions = weightLoadOptions(options.profile);
    if (!cuda) {
        ditOptions.dtype = at::kFloat;  // the CPU runs float32, as the golden reference
    }
    checkCancel();
    {
        const ModuleWeights weights(*dit.view, ditOptions, "HunyuanVideo DiT",
                                    set->transformerConfig_.describe());
        set->components_.transformer =
            std::make_shared<HunyuanDiT>(set->transformerConfig_, weights, computeDtype);
    }
    if (cuda) {
        HunyuanDiT& model = *set->components_.transformer;
        const BlockSwapRunner::Blocks blocks = model.blocks();
        const std::int64_t blockBytes = BlockSwapRunner::moduleBytes(*blocks.front());
        model.enableBlockSwap(
            options.device,
            options.profile.residentBlocks(static_cast<std::int64_t>(blocks.size()), blockBytes));
    }
    checkCancel();

    // The VAE: float16 on GPUs (--vae-precision fp16), float32 on the CPU.
    const OpenedCheckpoint& vae = opened.open(files.vae, ModelFamily::HunyuanVAE);
    {
        // The official vae/config.json; diffusers' AutoencoderKLHunyuanVideo config names its
        // blocks its own way, so that VAE is sized from its shapes like a ComfyUI file.
        std::optional<JsonValue> json = configBeside(files.vae, "block_out_channels");
        if (const JsonValue* name = json ? json->find("_class_name") : nullptr;
            name != nullptr && name->isString() && name->text() == "AutoencoderKLHunyuanVideo") {
            json.reset();
        }
        const HunyuanVAEConfig config =
            json ? HunyuanVAEConfig::fromJson(*json) : HunyuanVAEConfig::fromWeights(*vae.view);
        WeightLoadOptions vaeOptions;
        vaeOptions.dtype = at::kFloat;
        vaeOptions.keepQuantized = false;
        const ModuleWeights weights(*vae.view, vaeOptions, "HunyuanVideo VAE", "884-16c");
        set->components_.vae = std::make_shared<HunyuanVAE>(
            config, weights, HunyuanVAEPlacement{options.device, cuda ? at::kHalf : at::kFloat});
    }
    checkCancel();

    // The text encoders stay on the CPU between calls; the pipeline moves them per the
    // profile. The reference runs both in float16 on GPUs.
    const at::ScalarType encoderDtype = encodersOnGpu ? at::kHalf : at::kFloat;
    const OpenedCheckpoint& llava = opened.open(files.textEncoder, ModelFamily::LlavaLlama3);
    const OpenedCheckpoint* vision =
        files.visionEncoder.empty() ? nullptr
                                    : &opened.open(files.visionEncoder, ModelFamily::LlavaVision);
    const OpenedCheckpoint& clip = opened.open(files.clipText, ModelFamily::ClipLText);
    const std::optional<JsonValue> clipJson = configBeside(files.clipText, "text_config");
    const ClipTextConfig clipConfig =
        clipJson ? ClipTextConfig::fromJson(*clipJson) : ClipTextConfig::fromWeights(*clip.view);

    // The tokenizers first: without a config.json, LLaVA's <image> and <pad> ids are the ones
    // its tokenizer lists.
    const std::optional<JsonValue> llavaJson = configBeside(files.textEncoder, "text_config");
    std::optional<LlavaEncoderConfig> fromFile;
    HunyuanPromptTokenizer::Options tokenizerOptions;
    tokenizerOptions.clipLength = clipConfig.maxPositionEmbeddings;
    if (llavaJson) {
        fromFile = LlavaEncoderConfig::fromJson(*llavaJson);
        tokenizerOptions.imageTokenId = fromFile->imageTokenIndex;
        tokenizerOptions.padTokenId = fromFile->padTokenId;
    }
    auto tokenizer = std::make_shared<HunyuanPromptTokenizer>(
        ByteLevelBpeTokenizer::fromTokenizerJson(files.llmTokenizer),
        ClipBpeTokenizer::open(files.clipTokenizer), tokenizerOptions);
    LlavaEncoderConfig llavaConfig;
    if (fromFile) {
        llavaConfig = *fromFile;
    } else {
        LlavaUnshapedSettings unshaped;
        unshaped.imageTokenIndex = tokenizer->imageTokenId();
        unshaped.padTokenId = tokenizer->padTokenId();
        llavaConfig = vision ? LlavaEncoderConfig::fromWeights(*llava.view, *vision->view, unshaped)
                             : LlavaEncoderConfig::fromWeights(*llava.view, unshaped);
    }
    // CLIPImageProcessor's settings beside the LLaVA files (the official folder); elsewhere
    // (diffusers keeps them in image_processor/) sized to the tower's image, as released.
    const fs::path preprocessor = files.textEncoder.parent_path() / "preprocessor_config.json";
    llavaConfig.imageProcessor.shortestEdge = llavaConfig.vision.imageSize;
    llavaConfig.imageProcessor.cropHeight = llavaConfig.vision.imageSize;
    llavaConfig.imageProcessor.cropWidth = llavaConfig.vision.imageSize;
    if (fs::is_regular_file(preprocessor)) {
        try {
            llavaConfig.imageProcessor =
                ClipImageProcessorConfig::fromJson(parseJson(readTextFile(preprocessor)));
        } catch (const JsonError& error) {
            throw UserError::inFile(preprocessor,
                                    std::string("is not valid JSON: ") + error.what());
        }
    }
    llavaConfig.imageEmbedInterleave = set->transformerConfig_.isTokenReplace()
                                           ? kHunyuanImageEmbedInterleaveTokenReplace
                                           : kHunyuanImageEmbedInterleaveLatentConcat;
    // The template's crop positions as this tokenizer gives them.
    llavaConfig.prompt = hunyuanPromptCrop(*tokenizer, llavaConfig.vision.numPatches());
    llavaConfig.maxLength = static_cast<std::int64_t>(tokenizer->llmLength());
    set->components_.tokenizer = tokenizer;
    checkCancel();
    {
        WeightLoadOptions llavaOptions = weightLoadOptions(options.profile);
        llavaOptions.dtype = encoderDtype;
        const ModuleWeights weights(*llava.view, llavaOptions, "LLaVA-Llama-3",
                                    llavaConfig.describe());
        if (vision != nullptr) {
            const ModuleWeights visionWeights(*vision->view, llavaOptions,
                                              "LLaVA-Llama-3 vision tower",
                                              llavaConfig.vision.describe());
            set->components_.textEncoder = std::make_shared<LlavaTextEncoder>(
                llavaConfig, weights, visionWeights, encoderDtype);
        } else {
            set->components_.textEncoder =
                std::make_shared<LlavaTextEncoder>(llavaConfig, weights, encoderDtype);
        }
    }
    checkCancel();
    {
        WeightLoadOptions clipOptions;
        clipOptions.dtype = encoderDtype;
        clipOptions.keepQuantized = false;
        const ModuleWeights weights(*clip.view, clipOptions, "CLIP-L text", clipConfig.describe());
        set->components_.clipEncoder =
            std::make_shared<ClipTextEncoder>(clipConfig, weights, encoderDtype);
    }
    return set;
}

HunyuanTransformerSummary summarizeHunyuanTransformer(const fs::path& file) {
    const OpenedCheckpoint dit = openCheckpointAs(file, ModelFamily::HunyuanDiT);
    return {HunyuanDiTConfig::fromCheckpoint(*dit.view), storedBytesPerParameter(*dit.file)};
}

}  // namespace storyreel::infer::hunyuan
