#include "core/infer/models/wan/wan_models_folder.h"

#include "core/base/user_error.h"
#include "core/infer/lora/lora_stack.h"
#include "core/infer/memory/block_swap.h"
#include "core/infer/models/wan/umt5_tokenizer.h"
#include "core/infer/models/wan/wan_model.h"
#include "core/infer/models/wan/wan_vae.h"
#include "core/infer/models/wan/wan_weights.h"
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/opened_checkpoint.h"
#include "core/infer/registry/preset_requirements.h"
#include "core/infer/weights/json_value.h"
#include "core/infer/weights/weight_loader.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <system_error>

namespace storyreel::infer::wan {

namespace fs = std::filesystem;

namespace {

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::int64_t countBlocks(const InternalView& view, const std::string& prefix,
                         const std::string& suffix) {
    std::int64_t count = 0;
    while (view.contains(prefix + std::to_string(count) + suffix)) {
        ++count;
    }
    return count;
}

// The step-distillation LoRA among several: one whose name says so, else the first.
fs::path pickDistillationLora(const std::vector<fs::path>& found) {
    for (const fs::path& path : found) {
        const std::string name = lowercase(path.filename().string());
        for (const char* hint : {"lightx2v", "distill", "causvid", "step", "lcm"}) {
            if (name.find(hint) != std::string::npos) {
                return path;
            }
        }
    }
    return found.front();
}

ParameterShapes parameterShapes(const InternalView& view) {
    ParameterShapes shapes;
    for (const std::string& name : view.names()) {
        shapes[name] = view.shape(name);
    }
    return shapes;
}

bool onCuda(const c10::Device& device) {
    return device.is_cuda();
}

// ComfyUI's umT5 files carry their SentencePiece model as a uint8 tensor (comfy/text_encoders
// wan.py UMT5XXlTokenizer reads tokenizer_data["spiece_model"]), so a ComfyUI folder has no
// tokenizer file of its own.
constexpr std::string_view kEmbeddedTokenizer = "spiece_model";

bool embedsTokenizer(const fs::path& checkpoint) {
    try {
        return openCheckpoint(checkpoint)->contains(kEmbeddedTokenizer);
    } catch (const UserError&) {
        return false;
    }
}

UMT5Tokenizer embeddedTokenizer(const CheckpointFile& file) {
    const at::Tensor values = file.read(kEmbeddedTokenizer);
    if (values.dim() != 1 || values.numel() == 0) {
        throw UserError::inFile(file.path(),
                                "its spiece_model tensor is not the bytes of a "
                                "SentencePiece model");
    }
    const at::Tensor bytes = values.to(at::kByte).contiguous();
    const std::string serialized(static_cast<const char*>(bytes.data_ptr()),
                                 static_cast<std::size_t>(bytes.numel()));
    return UMT5Tokenizer::fromModelProto(serialized,
                                         file.path().string() + " (its spiece_model tensor)");
}

}  // namespace

fs::path findUmt5Tokenizer(const fs::path& folder) {
    std::vector<fs::path> candidates;
    std::error_code error;
    for (auto it = fs::recursive_directory_iterator(
             folder, fs::directory_options::skip_permission_denied, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        const std::string name = it->path().filename().string();
        if (it->is_regular_file() && (name == "tokenizer.json" || name == "spiece.model")) {
            candidates.push_back(it->path());
        }
    }
    std::sort(candidates.begin(), candidates.end());
    for (const fs::path& candidate : candidates) {
        if (lowercase(candidate.parent_path().string()).find("umt5") != std::string::npos) {
            return candidate;
        }
    }
    return candidates.empty() ? fs::path() : candidates.front();
}

WanModelFiles findWanModelFiles(const fs::path& folder, std::string_view preset,
                                bool haveUserLoras) {
    if (preset != "quality" && preset != "fast-wan") {
        throw UserError("the Wan 2.1 engine runs the presets quality and fast-wan, not '" +
                        std::string(preset) + "'");
    }
    if (!fs::is_directory(folder)) {
        throw UserError("the models folder " + folder.string() +
                        " does not exist: create it and put the Wan 2.1 I2V files in it "
                        "(transformer, VAE, umT5 text encoder and tokenizer, CLIP image "
                        "encoder)");
    }
    const ModelsFolderScan scan = scanModelsFolder(folder);
    const PresetStatus* status = nullptr;
    for (const PresetStatus& candidate : scan.presets) {
        if (candidate.preset.id == preset) {
            status = &candidate;
        }
    }
    if (status == nullptr) {
        throw std::logic_error("findWanModelFiles: the registry has no preset " +
                               std::string(preset));
    }
    WanModelFiles files;
    files.folder = folder;
    std::vector<std::string> missing;
    std::vector<std::string> unsuitable;
    for (const ComponentStatus& component : status->components) {
        for (const auto& [path, why] : component.unsuitable) {
            unsuitable.push_back(path.string() + ": " + why);
        }
        const ModelFamily family = component.requirement.family;
        if (!component.satisfied()) {
            const bool loraSuppliedByUser = family == ModelFamily::WanLora && haveUserLoras;
            if (family == ModelFamily::WanLora && !loraSuppliedByUser) {
                missing.push_back(
                    "the step-distillation LoRA the Fast (Wan) preset runs with (for example "
                    "lightx2v's Wan 2.1 I2V 14B step-distillation LoRA, a .safetensors file)");
            } else if (!component.requirement.optional) {
                missing.push_back("the " + describeComponent(component.requirement));
            }
            continue;
        }
        const fs::path& first = component.found.front();
        switch (family) {
            case ModelFamily::WanDiT:
                files.transformer = first;
                break;
            case ModelFamily::WanVAE:
                files.vae = first;
                break;
            case ModelFamily::UMT5Encoder:
                files.textEncoder = first;
                break;
            case ModelFamily::WanCLIP:
                files.imageEncoder = first;
                break;
            case ModelFamily::WanLora:
                files.distillationLora = pickDistillationLora(component.found);
                break;
            default:
                break;
        }
    }
    files.tokenizer = findUmt5Tokenizer(folder);
    if (files.tokenizer.empty() && !files.textEncoder.empty() &&
        embedsTokenizer(files.textEncoder)) {
        files.tokenizer = files.textEncoder;
    }
    if (files.tokenizer.empty()) {
        missing.push_back(
            "the umT5 tokenizer (tokenizer.json or spiece.model of google/umt5-xxl, as the "
            "official Wan2.1-I2V-14B folder has it in google/umt5-xxl/)");
    }
    if (!missing.empty()) {
        throw UserError(incompleteModelsMessage("Wan 2.1", folder, missing, unsuitable));
    }
    return files;
}

WanModelConfig transformerConfigFor(const InternalView& view, const ModelRecognition& r,
                                    const fs::path& file) {
    // The official folders (Wan2.1-I2V-14B-480P/) carry the DiT's config.json beside it.
    const fs::path json = file.parent_path() / "config.json";
    if (fs::is_regular_file(json)) {
        try {
            const JsonValue config = parseJson(readTextFile(json));
            if (config.isObject() && config.find("dim") != nullptr) {
                WanModelConfig fromFile = WanModelConfig::fromJson(config);
                if (fromFile.dim == r.configValue("dim") &&
                    fromFile.numLayers == r.configValue("layers")) {
                    return fromFile;
                }
            }
        } catch (const JsonError& error) {
            throw UserError::inFile(json, std::string("is not valid JSON: ") + error.what());
        }
    }
    WanModelConfig config;
    config.modelType = r.configValue("i2v") != 0 ? WanModelType::I2V : WanModelType::T2V;
    config.dim = r.configValue("dim");
    config.inDim = r.configValue("in_dim");
    config.numLayers = r.configValue("layers");
    config.ffnDim = r.configValue("ffn_dim");
    config.textDim = r.configValue("text_dim");
    config.freqDim = r.configValue("freq_dim");
    const std::int64_t patchVolume =
        config.patchSize[0] * config.patchSize[1] * config.patchSize[2];
    config.outDim = r.configValue("out_features") / patchVolume;
    // Every released Wan 2.1 DiT has heads of 128 channels (5120 / 40, 1536 / 12).
    if (config.dim <= 0 || config.dim % 128 != 0) {
        throw UserError::inFile(
            file, "is a Wan DiT of width " + std::to_string(config.dim) +
                      ", whose number of attention heads its tensors do not tell; put its "
                      "config.json (with num_heads) beside it");
    }
    config.numHeads = config.dim / 128;
    (void)view;
    config.validate();
    return config;
}

UMT5EncoderConfig umt5ConfigFromWeights(const InternalView& view) {
    UMT5EncoderConfig config;
    const std::vector<std::int64_t> embedding = view.shape("token_embedding.weight");
    config.vocab = embedding.at(0);
    config.dim = embedding.at(1);
    config.dimAttn = view.shape("blocks.0.attn.q.weight").at(0);
    config.dimFfn = view.shape("blocks.0.ffn.fc1.weight").at(0);
    config.numLayers = countBlocks(view, "blocks.", ".attn.q.weight");
    config.sharedPos = view.contains("pos_embedding.embedding.weight");
    const std::vector<std::int64_t> buckets =
        view.shape(config.sharedPos ? "pos_embedding.embedding.weight"
                                    : "blocks.0.pos_embedding.embedding.weight");
    config.numBuckets = buckets.at(0);
    config.numHeads = buckets.at(1);
    return config;
}

ClipVisualConfig clipConfigFromWeights(const InternalView& view) {
    ClipVisualConfig config;
    const std::vector<std::int64_t> patch = view.shape("visual.patch_embedding.weight");
    config.dim = patch.at(0);
    config.patchSize = patch.at(2);
    const std::int64_t positions = view.shape("visual.pos_embedding").at(1);
    const auto grid = static_cast<std::int64_t>(
        std::llround(std::sqrt(static_cast<double>(std::max<std::int64_t>(positions - 1, 0)))));
    config.imageSize = grid * config.patchSize;
    config.numLayers = countBlocks(view, "visual.transformer.", ".attn.to_qkv.weight");
    config.mlpRatio = static_cast<double>(view.shape("visual.transformer.0.mlp.0.weight").at(0)) /
                      static_cast<double>(config.dim);
    config.preNorm = view.contains("visual.pre_norm.weight");
    // ViT-H/14 has heads of 80 channels (1280 / 16).
    if (config.dim % 80 != 0 || grid * grid + 1 != positions) {
        throw UserError::inFile(view.file().path(),
                                "is a CLIP vision tower of width " + std::to_string(config.dim) +
                                    " and " + std::to_string(positions) +
                                    " positions, which is not the ViT-H/14 layout Wan uses");
    }
    config.numHeads = config.dim / 80;
    return config;
}

WanVAEConfig vaeConfigFromWeights(const ModelRecognition& recognition) {
    WanVAEConfig config = WanVAEConfig::released();
    if (const std::int64_t dim = recognition.configValue("dim"); dim > 0) {
        config.dim = dim;
    }
    if (const std::int64_t zDim = recognition.configValue("z_dim"); zDim > 0) {
        config.zDim = zDim;
    }
    return config;
}

WanModelSet::~WanModelSet() = default;

std::unique_ptr<WanModelSet> WanModelSet::open(const WanModelFiles& files,
                                               const WanOpenOptions& options) {
    std::unique_ptr<WanModelSet> set(new WanModelSet());
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

    // The DiT, with the LoRAs (the distillation LoRA first).
    const OpenedCheckpoint& dit = opened.open(files.transformer, ModelFamily::WanDiT);
    set->transformerConfig_ = transformerConfigFor(*dit.view, dit.recognition, files.transformer);
    set->storedBytesPerParameter_ = infer::storedBytesPerParameter(*dit.file);
    std::vector<WanLoraChoice> loras;
    if (!files.distillationLora.empty()) {
        loras.push_back({files.distillationLora, 1.0f});
    }
    for (const WanLoraChoice& lora : options.loras) {
        if (lora.file != files.distillationLora) {
            loras.push_back(lora);
        }
    }
    std::shared_ptr<LoraStack> stack;
    if (!loras.empty()) {
        const ParameterShapes shapes = parameterShapes(*dit.view);
        stack = std::make_shared<LoraStack>();
        for (const WanLoraChoice& lora : loras) {
            stack->add(LoraFile(lora.file, shapes), lora.strength);
        }
    }
    const at::ScalarType computeDtype =
        !cuda ? at::kFloat
              : (options.profile.weightDtype == WeightDtype::Float16 ? at::kHalf : at::kBFloat16);
    WeightLoadOptions ditOptions = weightLoadOptions(options.profile, stack);
    if (!cuda) {
        ditOptions.dtype = at::kFloat;  // the CPU runs float32, as the golden reference
    } else if (stack) {
        stack->moveTo(at::TensorOptions(options.device).dtype(computeDtype));
    }
    checkCancel();
    {
        const WanWeights weights(*dit.view, ditOptions, set->transformerConfig_.describe());
        set->components_.transformer =
            std::make_shared<WanModel>(set->transformerConfig_, weights, computeDtype);
    }
    WanModel& model = *set->components_.transformer;
    if (cuda) {
        const BlockSwapRunner::Blocks blocks = model.blocks();
        const std::int64_t blockBytes = BlockSwapRunner::moduleBytes(*blocks.front());
        const std::int64_t resident =
            options.profile.residentBlocks(static_cast<std::int64_t>(blocks.size()), blockBytes);
        model.enableBlockSwap(options.device, resident);
    }
    checkCancel();

    // The VAE runs in float32 on the device, as the reference does.
    const OpenedCheckpoint& vae = opened.open(files.vae, ModelFamily::WanVAE);
    {
        WeightLoadOptions vaeOptions;
        vaeOptions.dtype = at::kFloat;
        vaeOptions.keepQuantized = false;
        const WeightLoader loader(*vae.view, vaeOptions);
        set->components_.vae =
            std::make_shared<WanVAE>(vaeConfigFromWeights(vae.recognition), *vae.view, loader,
                                     VAEPlacement{options.device, at::kFloat});
    }
    checkCancel();

    // The encoders stay on the CPU between calls; the pipeline moves them per the profile.
    // The reference runs umT5 in bfloat16 and CLIP in float16 on GPUs.
    const OpenedCheckpoint& t5 = opened.open(files.textEncoder, ModelFamily::UMT5Encoder);
    {
        WeightLoadOptions t5Options = weightLoadOptions(options.profile);
        t5Options.dtype = encodersOnGpu ? at::kBFloat16 : at::kFloat;
        const WeightLoader loader(*t5.view, t5Options);
        set->components_.textEncoder =
            std::make_shared<UMT5Encoder>(umt5ConfigFromWeights(*t5.view), loader);
    }
    set->components_.tokenizer = std::make_shared<UMT5Tokenizer>(
        files.tokenizer == files.textEncoder ? embeddedTokenizer(*t5.file)
                                             : UMT5Tokenizer::open(files.tokenizer));
    checkCancel();
    const OpenedCheckpoint& clip = opened.open(files.imageEncoder, ModelFamily::WanCLIP);
    {
        WeightLoadOptions clipOptions;
        clipOptions.dtype = encodersOnGpu ? at::kHalf : at::kFloat;
        clipOptions.keepQuantized = false;
        const WeightLoader loader(*clip.view, clipOptions);
        set->components_.imageEncoder =
            std::make_shared<ClipVisual>(clipConfigFromWeights(*clip.view), loader);
    }
    return set;
}

WanTransformerSummary summarizeWanTransformer(const fs::path& file) {
    const OpenedCheckpoint dit = openCheckpointAs(file, ModelFamily::WanDiT);
    return {transformerConfigFor(*dit.view, dit.recognition, file),
            storedBytesPerParameter(*dit.file)};
}

}  // namespace storyreel::infer::wan
