#include "core/infer/bench/seeded_checkpoint.h"

#include "core/base/user_error.h"
#include "core/infer/registry/expected_tensors.h"
#include "core/infer/registry/model_family.h"

#include <ATen/ATen.h>

#include <cmath>
#include <fstream>
#include <system_error>
#include <utility>

namespace storyreel::infer::bench {
namespace {

std::string shapeJson(const std::vector<std::int64_t>& shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        text += (i ? "," : "") + std::to_string(shape[i]);
    }
    return text + "]";
}

// The safetensors header: __metadata__ (config, seed), then every tensor's dtype, shape
// and offsets; padded with spaces to a multiple of 8 bytes.
std::string safetensorsHeader(const SeededCheckpoint& checkpoint) {
    std::string header = "{\"__metadata__\": {\"config\": \"";
    for (const char c : checkpoint.referenceConfigJson()) {
        header += c == '"' ? std::string("\\\"") : std::string(1, c);
    }
    header += "\", \"seed\": \"" + std::to_string(checkpoint.seed()) + "\"}";
    for (const TensorInfo& info : checkpoint.tensors()) {
        header += ", \"" + info.name +
                  "\": {\"dtype\": \"F32\", \"shape\": " + shapeJson(info.shape) +
                  ", \"data_offsets\": [" + std::to_string(info.offsetBytes) + ", " +
                  std::to_string(info.offsetBytes + info.sizeBytes) + "]}";
    }
    header += "}";
    header.append((8 - header.size() % 8) % 8, ' ');
    return header;
}

}  // namespace

SeededCheckpoint::SeededCheckpoint(std::string description, std::uint64_t seed,
                                   c10::Device drawDevice)
    : CheckpointFile(std::move(description), CheckpointFormat::Safetensors),
      seed_(seed),
      drawDevice_(drawDevice) {}

void SeededCheckpoint::listTensors(const ModelRecognition& recognition, std::string configJson) {
    std::uint64_t offset = 0;
    for (const auto& [name, shape] : expectedTensors(recognition).exact) {
        TensorInfo info;
        info.name = name;
        info.storageType = StorageType::F32;
        info.shape = shape;
        info.offsetBytes = offset;
        info.sizeBytes = static_cast<std::uint64_t>(info.numel()) * sizeof(float);
        offset += info.sizeBytes;
        tensors_.push_back(std::move(info));
    }
    configJson_ = std::move(configJson);
    metadata_["config"] = configJson_;
    metadata_["seed"] = std::to_string(seed_);
    finishListing();
}

void SeededCheckpoint::checkReadable(std::string_view name) const {
    if (find(name) == nullptr) {
        throw UserError(path().string() + " has no tensor " + std::string(name));
    }
}

at::Tensor SeededCheckpoint::read(std::string_view name) const {
    const TensorInfo* info = find(name);
    if (info == nullptr) {
        throw UserError(path().string() + " has no tensor " + std::string(name));
    }
    const auto index = static_cast<std::uint64_t>(info - tensors().data());
    at::manual_seed(seed_ + index);
    at::Tensor values =
        at::randn(info->shape, at::TensorOptions().device(drawDevice_).dtype(at::kFloat));
    const std::vector<std::int64_t>& shape = info->shape;
    if (name.ends_with("modulation")) {
        values = values / std::sqrt(static_cast<double>(shape.back()));
    } else if (shape.size() == 1) {
        values = name.ends_with(".weight") ? 1 + 0.1 * values : 0.1 * values;
    } else {
        const double fanIn = static_cast<double>(info->numel() / shape.front());
        values = values / std::sqrt(fanIn);
    }
    return values.to(at::kCPU);
}

void writeSeededCheckpoint(const SeededCheckpoint& checkpoint, const std::filesystem::path& file) {
    const std::string header = safetensorsHeader(checkpoint);
    std::filesystem::path partial = file;
    partial += ".partial";
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    const std::uint64_t length = header.size();
    unsigned char lengthBytes[8];
    for (int i = 0; i < 8; ++i) {
        lengthBytes[i] = static_cast<unsigned char>(length >> (8 * i));
    }
    out.write(reinterpret_cast<const char*>(lengthBytes), 8);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    for (const TensorInfo& info : checkpoint.tensors()) {
        const at::Tensor values = checkpoint.read(info.name).contiguous();
        out.write(static_cast<const char*>(values.data_ptr()),
                  static_cast<std::streamsize>(info.sizeBytes));
    }
    out.close();
    std::error_code error;
    if (!out) {
        std::filesystem::remove(partial, error);
        throw UserError::inFile(file, "could not be written (disk full?)");
    }
    std::filesystem::rename(partial, file, error);
    if (error) {
        throw UserError::inFile(file, "could not be written: " + error.message());
    }
}

}  // namespace storyreel::infer::bench
