#include "core/infer/weights/safetensors_reader.h"

#include "core/base/user_error.h"
#include "core/infer/weights/json_value.h"
#include "core/infer/weights/mapped_file.h"
#include "core/infer/weights/message_text.h"
#include "core/infer/weights/safetensors_file.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace storyreel::infer {

namespace {

constexpr std::uint64_t kMaxIndexBytes = 100'000'000;
constexpr std::string_view kIndexSuffix = ".safetensors.index.json";

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// A shard must be a file beside the index (or below it), never outside.
bool isSafeShardName(const std::string& name) {
    const std::filesystem::path path(name);
    if (name.empty() || path.is_absolute() || path.has_root_name()) {
        return false;
    }
    return std::none_of(path.begin(), path.end(),
                        [](const std::filesystem::path& part) { return part == ".."; });
}

std::string metadataText(const JsonValue& value) {
    switch (value.kind()) {
        case JsonValue::Kind::String:
        case JsonValue::Kind::Number:
            return value.text();
        case JsonValue::Kind::Bool:
            return value.boolean() ? "true" : "false";
        default:
            return std::string(value.kindName());
    }
}

}  // namespace

SafetensorsReader::SafetensorsReader(const std::filesystem::path& path) : path_(path) {
    if (endsWith(path.filename().string(), kIndexSuffix)) {
        openIndex(path);
        return;
    }
    auto file = std::make_unique<SafetensorsFile>(path);
    for (const TensorInfo& info : file->tensors()) {
        shardOf_.emplace(info.name, 0);
    }
    metadata_ = file->metadata();
    shardPaths_.push_back(path);
    shards_.push_back(std::move(file));
}

SafetensorsReader::~SafetensorsReader() = default;

void SafetensorsReader::openIndex(const std::filesystem::path& indexPath) {
    sharded_ = true;
    const MappedFile file(indexPath);
    if (file.sizeBytes() > kMaxIndexBytes) {
        throw UserError::inFile(indexPath, "the index is larger than 100000000 bytes");
    }
    const std::span<const std::uint8_t> bytes = file.bytes(0, file.sizeBytes());
    JsonValue root;
    try {
        root =
            parseJson(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    } catch (const JsonError& error) {
        throw UserError::inFile(indexPath,
                                std::string("the index is not valid JSON (") + error.what() + ")");
    }
    const JsonValue* weightMap = root.find("weight_map");
    if (weightMap == nullptr || !weightMap->isObject()) {
        throw UserError::inFile(indexPath,
                                "the index has no 'weight_map' object (tensor name -> shard file)");
    }
    std::map<std::string, std::size_t> shardIndex;
    for (std::size_t i = 0; i < weightMap->size(); ++i) {
        const std::string& name = weightMap->key(i);
        const JsonValue& shardName = weightMap->at(i);
        if (!shardName.isString() || !isSafeShardName(shardName.text())) {
            throw UserError::inFile(indexPath, "weight_map gives tensor " + inQuotes(name) +
                                                   " a shard that is not a relative file name");
        }
        const auto [entry, added] = shardIndex.emplace(shardName.text(), shardPaths_.size());
        if (added) {
            shardPaths_.push_back(indexPath.parent_path() / shardName.text());
        }
        if (!shardOf_.emplace(name, entry->second).second) {
            throw UserError::inFile(indexPath,
                                    "weight_map lists tensor " + inQuotes(name) + " twice");
        }
    }
    shards_.resize(shardPaths_.size());
    if (const JsonValue* metadata = root.find("metadata"); metadata && metadata->isObject()) {
        for (std::size_t i = 0; i < metadata->size(); ++i) {
            metadata_[metadata->key(i)] = metadataText(metadata->at(i));
        }
    }
}

std::vector<std::string> SafetensorsReader::names() const {
    std::vector<std::string> result;
    result.reserve(shardOf_.size());
    for (const auto& entry : shardOf_) {
        result.push_back(entry.first);
    }
    std::sort(result.begin(), result.end());
    return result;
}

bool SafetensorsReader::contains(std::string_view name) const {
    return shardOf_.count(std::string(name)) != 0;
}

std::size_t SafetensorsReader::shardIndexOf(std::string_view name) const {
    const auto found = shardOf_.find(std::string(name));
    if (found == shardOf_.end()) {
        throw UserError::inFile(path_, "the checkpoint has no tensor " + inQuotes(name));
    }
    return found->second;
}

const SafetensorsFile& SafetensorsReader::shard(std::size_t index) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (!shards_[index]) {
        try {
            shards_[index] = std::make_unique<SafetensorsFile>(shardPaths_[index]);
        } catch (const UserError& error) {
            throw UserError::inFile(path_, "shard " +
                                               inQuotes(shardPaths_[index].filename().string()) +
                                               " cannot be read: " + error.what());
        }
    }
    return *shards_[index];
}

const TensorInfo& SafetensorsReader::infoIn(const SafetensorsFile& file,
                                            std::string_view name) const {
    const TensorInfo* info = file.find(name);
    if (info == nullptr) {
        throw UserError::inFile(path_, "the index maps tensor " + inQuotes(name) + " to shard " +
                                           inQuotes(file.path().filename().string()) +
                                           ", which does not contain it");
    }
    return *info;
}

const TensorInfo& SafetensorsReader::info(std::string_view name) const {
    return infoIn(shard(shardIndexOf(name)), name);
}

std::filesystem::path SafetensorsReader::fileOf(std::string_view name) const {
    return shardPaths_[shardIndexOf(name)];
}

std::span<const std::uint8_t> SafetensorsReader::rawBytes(std::string_view name) const {
    const SafetensorsFile& file = shard(shardIndexOf(name));
    return file.rawBytes(infoIn(file, name));
}

at::Tensor SafetensorsReader::tensor(std::string_view name) const {
    const SafetensorsFile& file = shard(shardIndexOf(name));
    return file.tensor(infoIn(file, name));
}

namespace {

constexpr std::string_view kWeightSuffix = ".weight";

std::string layerOf(std::string_view name, std::string_view suffix) {
    return std::string(name.substr(0, name.size() - suffix.size()));
}

}  // namespace

bool SafetensorsReader::hasScaleWeight(std::string_view name) const {
    return endsWith(name, kWeightSuffix) &&
           contains(layerOf(name, kWeightSuffix) + ".scale_weight");
}

at::Tensor SafetensorsReader::dequantized(std::string_view name) const {
    at::Tensor values = tensor(name);
    if (!hasScaleWeight(name)) {
        return values;
    }
    const std::string scaleName = layerOf(name, kWeightSuffix) + ".scale_weight";
    const at::Tensor scale = tensor(scaleName);
    if (scale.numel() != 1) {
        throw UserError::inFile(fileOf(scaleName), "scaled-fp8 scale " + inQuotes(scaleName) +
                                                       " holds " + std::to_string(scale.numel()) +
                                                       " values instead of one");
    }
    // ComfyUI: weight.to(float32) * scale_weight, one float32 multiply per value.
    const float factor = scale.data_ptr<float>()[0];
    float* data = values.data_ptr<float>();
    const std::int64_t count = values.numel();
    for (std::int64_t i = 0; i < count; ++i) {
        data[i] = data[i] * factor;
    }
    return values;
}

std::vector<std::string> SafetensorsReader::dequantizedNames() const {
    std::vector<std::string> result;
    for (const std::string& name : names()) {
        if (name == "scaled_fp8" || endsWith(name, ".scaled_fp8")) {
            continue;
        }
        bool isScale = false;
        for (const std::string_view suffix : {".scale_weight", ".scale_input"}) {
            if (endsWith(name, suffix) && contains(layerOf(name, suffix) + ".weight")) {
                isScale = true;
            }
        }
        if (!isScale) {
            result.push_back(name);
        }
    }
    return result;
}

}  // namespace storyreel::infer
