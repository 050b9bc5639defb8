#include "core/infer/registry/checkpoint_file.h"

#include "core/base/user_error.h"
#include "core/infer/weights/gguf_dequant.h"
#include "core/infer/weights/gguf_reader.h"
#include "core/infer/weights/pth_reader.h"
#include "core/infer/weights/safetensors_reader.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>

namespace storyreel::infer {

std::string_view checkpointFormatName(CheckpointFormat format) {
    switch (format) {
        case CheckpointFormat::Safetensors:
            return "safetensors";
        case CheckpointFormat::ShardedSafetensors:
            return "sharded safetensors";
        case CheckpointFormat::Gguf:
            return "GGUF";
        case CheckpointFormat::Pth:
            return "torch .pth";
    }
    return "unknown";
}

std::optional<CheckpointFormat> sniffCheckpointFormat(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::array<unsigned char, 16> head{};
    in.read(reinterpret_cast<char*>(head.data()), head.size());
    const std::size_t got = static_cast<std::size_t>(in.gcount());
    if (got >= 4 && std::memcmp(head.data(), "GGUF", 4) == 0) {
        return CheckpointFormat::Gguf;
    }
    // safetensors: an 8-byte little-endian header length, then the JSON object.
    if (got >= 9 && head[8] == '{') {
        return CheckpointFormat::Safetensors;
    }
    // torch.save: a zip archive (torch >= 1.6) or a legacy pickle (protocol 2+).
    if (got >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
        return CheckpointFormat::Pth;
    }
    if (got >= 2 && head[0] == 0x80 && head[1] >= 2 && head[1] <= 5) {
        return CheckpointFormat::Pth;
    }
    // A Hugging Face index: a JSON object that names its weight_map near the top.
    std::size_t first = 0;
    while (first < got && std::isspace(head[first])) {
        ++first;
    }
    if (first < got && head[first] == '{') {
        in.clear();
        in.seekg(0);
        std::string text(4096, '\0');
        in.read(text.data(), static_cast<std::streamsize>(text.size()));
        text.resize(static_cast<std::size_t>(in.gcount()));
        if (text.find("\"weight_map\"") != std::string::npos) {
            return CheckpointFormat::ShardedSafetensors;
        }
    }
    return std::nullopt;
}

CheckpointFile::CheckpointFile(std::filesystem::path path, CheckpointFormat format)
    : path_(std::move(path)), format_(format) {}

void CheckpointFile::finishListing() {
    std::sort(tensors_.begin(), tensors_.end(),
              [](const TensorInfo& a, const TensorInfo& b) { return a.name < b.name; });
    byName_.clear();
    for (std::size_t i = 0; i < tensors_.size(); ++i) {
        byName_.emplace(tensors_[i].name, i);
    }
}

const TensorInfo* CheckpointFile::find(std::string_view name) const {
    const auto found = byName_.find(name);
    return found == byName_.end() ? nullptr : &tensors_[found->second];
}

std::optional<QuantizedTensor> CheckpointFile::quantized(std::string_view name) const {
    if (find(name) == nullptr) {
        throw UserError::inFile(path_, "the checkpoint has no tensor '" + std::string(name) + "'");
    }
    return std::nullopt;
}

namespace {

// One file or a sharded index, through SafetensorsReader.
class SafetensorsCheckpoint final : public CheckpointFile {
public:
    explicit SafetensorsCheckpoint(const std::filesystem::path& path, CheckpointFormat format)
        : CheckpointFile(path, format), reader_(path) {
        metadata_ = reader_.metadata();
        for (const std::string& name : reader_.names()) {
            const std::filesystem::path shard = reader_.fileOf(name);
            if (std::find(files_.begin(), files_.end(), shard) == files_.end()) {
                files_.push_back(shard);
            }
            try {
                tensors_.push_back(reader_.info(name));
            } catch (const UserError& error) {
                const bool missing = !std::filesystem::exists(shard);
                unlisted_.push_back({name, shard,
                                     missing ? std::string("the shard file is missing")
                                             : std::string(error.what())});
            }
        }
        finishListing();
    }

    std::filesystem::path fileOf(std::string_view name) const override {
        return reader_.fileOf(name);
    }
    void checkReadable(std::string_view name) const override { (void)reader_.rawBytes(name); }
    at::Tensor read(std::string_view name) const override { return reader_.dequantized(name); }

private:
    SafetensorsReader reader_;
};

class GgufCheckpoint final : public CheckpointFile {
public:
    explicit GgufCheckpoint(const std::filesystem::path& path)
        : CheckpointFile(path, CheckpointFormat::Gguf), reader_(path) {
        for (const auto& [key, value] : reader_.metadata()) {
            if (const std::string* text = value.asString()) {
                metadata_[key] = *text;
            }
        }
        if (const auto found = metadata_.find("general.architecture"); found != metadata_.end()) {
            architecture_ = found->second;
        }
        for (const GgufTensorInfo& info : reader_.tensors()) {
            tensors_.push_back(info.tensor);
        }
        files_.push_back(path);
        finishListing();
    }

    void checkReadable(std::string_view name) const override { (void)reader_.rawBytes(name); }
    at::Tensor read(std::string_view name) const override { return reader_.tensor(name); }
    std::optional<QuantizedTensor> quantized(std::string_view name) const override {
        const TensorInfo& info = reader_.info(name).tensor;
        if (ggmlTypeOf(info.storageType)->blockSize == 1) {
            return std::nullopt;  // F32, F16, BF16: plain values
        }
        const std::span<const std::uint8_t> bytes = reader_.rawBytes(name);
        QuantizedTensor blocks = QuantizedTensor::fromBytes(bytes, info.storageType, info.shape);
        reader_.dropPages(bytes);  // copied: the file's pages need not stay resident
        return blocks;
    }

private:
    GgufReader reader_;
};

// A torch.save checkpoint through PthReader. Names are the flattened pickle's: a checkpoint
// that wraps its state dict ({"module": ...}, as HunyuanVideo's official .pt does) lists its
// tensors under that prefix, which recognition does not strip yet.
class PthCheckpoint final : public CheckpointFile {
public:
    explicit PthCheckpoint(const std::filesystem::path& path)
        : CheckpointFile(path, CheckpointFormat::Pth), reader_(path) {
        for (const PthTensorInfo& info : reader_.tensors()) {
            tensors_.push_back(info.tensor);
        }
        files_.push_back(path);
        finishListing();
    }

    // Opening placed every view inside its storage record and every record inside the
    // file (PthReader checks both), so a listed tensor is readable.
    void checkReadable(std::string_view name) const override { (void)reader_.info(name); }
    at::Tensor read(std::string_view name) const override { return reader_.tensor(name); }

private:
    PthReader reader_;
};

}  // namespace

std::unique_ptr<CheckpointFile> openCheckpoint(const std::filesystem::path& path) {
    if (!std::filesystem::is_regular_file(path)) {
        throw UserError::inFile(path, "no such file");
    }
    const std::optional<CheckpointFormat> format = sniffCheckpointFormat(path);
    if (!format) {
        throw UserError::inFile(path,
                                "not a model checkpoint Storyreel knows (safetensors, a sharded "
                                "safetensors index, GGUF or torch .pth)");
    }
    switch (*format) {
        case CheckpointFormat::Safetensors:
        case CheckpointFormat::ShardedSafetensors:
            return std::make_unique<SafetensorsCheckpoint>(path, *format);
        case CheckpointFormat::Gguf:
            return std::make_unique<GgufCheckpoint>(path);
        case CheckpointFormat::Pth:
            return std::make_unique<PthCheckpoint>(path);
    }
    throw UserError::inFile(path, "not a model checkpoint Storyreel knows");
}

}  // namespace storyreel::infer
