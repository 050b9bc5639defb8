#include "core/infer/registry/preset_requirements.h"

#include "core/base/user_error.h"

#include <algorithm>
#include <set>
#include <system_error>

namespace storyreel::infer {

namespace {

constexpr std::string_view kIndexSuffix = ".safetensors.index.json";

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool isCandidate(const std::filesystem::path& path) {
    const std::string name = path.filename().string();
    if (endsWith(name, kIndexSuffix)) {
        return true;
    }
    const std::string extension = path.extension().string();
    return extension == ".safetensors" || extension == ".gguf" || extension == ".pth" ||
           extension == ".pt" || extension == ".ckpt";
}

std::uint64_t fileSize(const std::filesystem::path& path) {
    std::error_code error;
    const std::uintmax_t size = std::filesystem::file_size(path, error);
    return error ? 0 : static_cast<std::uint64_t>(size);
}

// Why a LLaVA without its vision tower cannot serve, or "" when `files` hold a LLaVA vision
// tower and projector that fits its width.
std::string textOnlyLlavaUnsuitability(const ModelRecognition& llava,
                                       const std::vector<ScannedFile>& files) {
    if (llava.configValue("vision_tower") != 0) {
        return "";
    }
    std::vector<std::int64_t> otherWidths;
    for (const ScannedFile& file : files) {
        if (file.status != ScanStatus::Recognised ||
            file.recognition.family != ModelFamily::LlavaVision) {
            continue;
        }
        const std::int64_t width = file.recognition.configValue("text_hidden");
        if (width == llava.configValue("hidden")) {
            return "";
        }
        otherWidths.push_back(width);
    }
    std::string why(kLlavaTextOnlyNote);
    if (!otherWidths.empty()) {
        why += " (the LLaVA vision files here project to width " +
               std::to_string(otherWidths.front()) + ", not this Llama's " +
               std::to_string(llava.configValue("hidden")) + ")";
    }
    return why;
}

// Why a file of the right family does not fit the requirement, or "" when it does. `files`:
// everything scanned, for the components that need a companion file.
std::string unsuitability(const ComponentRequirement& requirement, const ScannedFile& file,
                          const std::vector<ScannedFile>& files) {
    const ModelRecognition& r = file.recognition;
    if (requirement.needsImageToVideo && r.family == ModelFamily::WanDiT) {
        const auto i2v = r.config.find("i2v");
        if (i2v == r.config.end() || i2v->second == 0) {
            return "a text-to-video model: the presets animate an image and need the "
                   "image-to-video (I2V) model";
        }
    }
    if (r.family == ModelFamily::LlavaLlama3 && r.layout == CheckpointLayout::Gguf) {
        return "a llama GGUF, whose names Storyreel does not map yet";
    }
    if (r.family == ModelFamily::LlavaLlama3) {
        return textOnlyLlavaUnsuitability(r, files);
    }
    return "";
}

}  // namespace

const std::vector<PresetRequirement>& presetRequirements() {
    static const std::string kApache = std::string(modelFamilyLicence(ModelFamily::WanDiT));
    static const std::string kTencent = std::string(modelFamilyLicence(ModelFamily::HunyuanDiT));
    static const std::vector<ComponentRequirement> kWan = {
        {"transformer", ModelFamily::WanDiT, false, true},
        {"VAE", ModelFamily::WanVAE},
        {"text encoder", ModelFamily::UMT5Encoder},
        {"image encoder", ModelFamily::WanCLIP},
    };
    static const std::vector<PresetRequirement> presets = [] {
        std::vector<ComponentRequirement> fastWan = kWan;
        fastWan.push_back({"step-distillation LoRA", ModelFamily::WanLora, true});
        return std::vector<PresetRequirement>{
            {"quality", "Quality (Wan 2.1 I2V 14B)", kApache, kWan},
            {"fast-wan", "Fast (Wan 2.1 I2V 14B, distilled)", kApache, fastWan},
            {"fast",
             "Fast (HunyuanVideo-I2V)",
             kTencent,
             {
                 {"transformer", ModelFamily::HunyuanDiT, false, true},
                 {"VAE", ModelFamily::HunyuanVAE},
                 {"text encoder", ModelFamily::LlavaLlama3},
                 {"second text encoder", ModelFamily::ClipLText},
                 // Needed only beside a text-only LLaVA (ComfyUI's split files): the text
                 // encoder is unsuitable without it.
                 {"text encoder's vision tower", ModelFamily::LlavaVision, true},
             }},
        };
    }();
    return presets;
}

ScannedFile scanModelFile(const std::filesystem::path& path) {
    ScannedFile scanned;
    scanned.path = path;
    scanned.format = sniffCheckpointFormat(path);
    scanned.sizeBytes = fileSize(path);
    try {
        const std::unique_ptr<CheckpointFile> file = openCheckpoint(path);
        scanned.tensorCount = file->tensors().size() + file->unlisted().size();
        if (file->format() == CheckpointFormat::ShardedSafetensors) {
            scanned.sizeBytes = 0;
            for (const std::filesystem::path& shard : file->files()) {
                scanned.sizeBytes += fileSize(shard);
            }
        }
        scanned.recognition =
            recogniseModel(file->tensors(), file->metadata(), file->architecture());
        scanned.status = scanned.recognition.family == ModelFamily::Unknown
                             ? ScanStatus::Unrecognised
                             : ScanStatus::Recognised;
    } catch (const UserError& error) {
        scanned.status = ScanStatus::Unreadable;
        scanned.error = error.what();
    }
    return scanned;
}

std::vector<PresetStatus> presetStatuses(const std::vector<ScannedFile>& files) {
    std::vector<PresetStatus> statuses;
    for (const PresetRequirement& preset : presetRequirements()) {
        PresetStatus status{preset, {}, true};
        for (const ComponentRequirement& requirement : preset.components) {
            ComponentStatus component{requirement, {}, {}};
            for (const ScannedFile& file : files) {
                if (file.status != ScanStatus::Recognised ||
                    file.recognition.family != requirement.family) {
                    continue;
                }
                const std::string why = unsuitability(requirement, file, files);
                if (why.empty()) {
                    component.found.push_back(file.path);
                } else {
                    component.unsuitable.emplace_back(file.path, why);
                }
            }
            if (!requirement.optional && !component.satisfied()) {
                status.complete = false;
            }
            status.components.push_back(std::move(component));
        }
        statuses.push_back(std::move(status));
    }
    return statuses;
}

ModelsFolderScan scanModelsFolder(const std::filesystem::path& folder) {
    if (!std::filesystem::is_directory(folder)) {
        throw UserError::inFile(folder, "no such folder");
    }
    std::vector<std::filesystem::path> candidates;
    std::error_code error;
    for (auto it = std::filesystem::recursive_directory_iterator(
             folder, std::filesystem::directory_options::skip_permission_denied, error);
         !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
        if (it->is_regular_file() && isCandidate(it->path())) {
            candidates.push_back(it->path());
        }
    }
    std::sort(candidates.begin(), candidates.end());
    ModelsFolderScan scan;
    scan.folder = folder;
    // Shards belong to their index: they are listed through it, not on their own.
    std::set<std::filesystem::path> shards;
    for (const std::filesystem::path& path : candidates) {
        if (!endsWith(path.filename().string(), kIndexSuffix)) {
            continue;
        }
        ScannedFile scanned = scanModelFile(path);
        try {
            const std::unique_ptr<CheckpointFile> index = openCheckpoint(path);
            for (const std::filesystem::path& shard : index->files()) {
                shards.insert(shard.lexically_normal());
            }
        } catch (const UserError&) {
            // Already reported by scanModelFile.
        }
        scan.files.push_back(std::move(scanned));
    }
    for (const std::filesystem::path& path : candidates) {
        if (endsWith(path.filename().string(), kIndexSuffix) ||
            shards.count(path.lexically_normal()) != 0) {
            continue;
        }
        scan.files.push_back(scanModelFile(path));
    }
    std::sort(scan.files.begin(), scan.files.end(),
              [](const ScannedFile& a, const ScannedFile& b) { return a.path < b.path; });
    scan.presets = presetStatuses(scan.files);
    return scan;
}

std::string describeComponent(const ComponentRequirement& requirement) {
    std::string text = requirement.role + " (" + std::string(modelFamilyName(requirement.family));
    if (requirement.needsImageToVideo) {
        text += ", the image-to-video model";
    }
    return text + ")";
}

std::string incompleteModelsMessage(std::string_view models, const std::filesystem::path& folder,
                                    const std::vector<std::string>& missing,
                                    const std::vector<std::string>& unsuitable) {
    const auto joined = [](const std::vector<std::string>& items) {
        std::string text;
        for (std::size_t i = 0; i < items.size(); ++i) {
            text += (i == 0 ? "" : "; ") + items[i];
        }
        return text;
    };
    std::string message = "the " + std::string(models) + " model files are incomplete in " +
                          folder.string() + " (searched with its sub-folders): missing " +
                          joined(missing);
    if (!unsuitable.empty()) {
        message += ". Found but not usable: " + joined(unsuitable);
    }
    return message + ". Put the files in that folder; storyreel-cli models inspect " +
           folder.string() + " shows what it holds";
}

}  // namespace storyreel::infer
