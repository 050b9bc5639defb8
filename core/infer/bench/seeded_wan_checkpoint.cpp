#include "core/infer/bench/seeded_wan_checkpoint.h"

#include "core/base/user_error.h"
#include "core/infer/registry/expected_tensors.h"
#include "core/infer/registry/model_family.h"

#include <ATen/ATen.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <system_error>

namespace storyreel::infer::bench {
namespace {

// What expectedTensors needs to list an i2v or t2v Wan DiT of `config`.
ModelRecognition recognitionOf(const wan::WanModelConfig& config) {
    ModelRecognition r;
    r.family = ModelFamily::WanDiT;
    r.layout = CheckpointLayout::Official;
    r.config = {{"dim", config.dim},
                {"ffn_dim", config.ffnDim},
                {"text_dim", config.textDim},
                {"freq_dim", config.freqDim},
                {"out_features", config.headOutFeatures()},
                {"in_dim", config.inDim},
                {"layers", config.numLayers},
                {"i2v", config.isI2V() ? 1 : 0}};
    return r;
}

std::string shapeJson(const std::vector<std::int64_t>& shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        text += (i ? "," : "") + std::to_string(shape[i]);
    }
    return text + "]";
}

}  // namespace

SeededWanCheckpoint::SeededWanCheckpoint(const wan::WanModelConfig& config, std::uint64_t seed,
                                         c10::Device drawDevice)
    : CheckpointFile("seeded Wan DiT (seed " + std::to_string(seed) + ")",
                     CheckpointFormat::Safetensors),
      config_(config),
      seed_(seed),
      drawDevice_(drawDevice) {
    config_.validate();
    if (config_.patchSize != std::array<std::int64_t, 3>{1, 2, 2}) {
        throw UserError("the Wan step bench draws weights for patch size (1, 2, 2) only");
    }
    std::uint64_t offset = 0;
    for (const auto& [name, shape] : expectedTensors(recognitionOf(config_)).exact) {
        TensorInfo info;
        info.name = name;
        info.storageType = StorageType::F32;
        info.shape = shape;
        info.offsetBytes = offset;
        info.sizeBytes = static_cast<std::uint64_t>(info.numel()) * sizeof(float);
        offset += info.sizeBytes;
        tensors_.push_back(std::move(info));
    }
    metadata_["config"] = referenceConfigJson();
    metadata_["seed"] = std::to_string(seed_);
    finishListing();
}

std::string SeededWanCheckpoint::referenceConfigJson() const {
    const wan::WanModelConfig& c = config_;
    std::ostringstream json;
    json.precision(17);
    json << "{\"model_type\": \"" << (c.isI2V() ? "i2v" : "t2v") << "\", \"patch_size\": [1, 2, 2]"
         << ", \"text_len\": " << c.textLen << ", \"in_dim\": " << c.inDim << ", \"dim\": " << c.dim
         << ", \"ffn_dim\": " << c.ffnDim << ", \"freq_dim\": " << c.freqDim
         << ", \"text_dim\": " << c.textDim << ", \"out_dim\": " << c.outDim
         << ", \"num_heads\": " << c.numHeads << ", \"num_layers\": " << c.numLayers
         << ", \"window_size\": [-1, -1]"
         << ", \"qk_norm\": " << (c.qkNorm ? "true" : "false")
         << ", \"cross_attn_norm\": " << (c.crossAttnNorm ? "true" : "false")
         << ", \"eps\": " << c.eps << "}";
    return json.str();
}

void SeededWanCheckpoint::checkReadable(std::string_view name) const {
    if (find(name) == nullptr) {
        throw UserError(path().string() + " has no tensor " + std::string(name));
    }
}

at::Tensor SeededWanCheckpoint::read(std::string_view name) const {
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

void writeSeededWanCheckpoint(const SeededWanCheckpoint& checkpoint,
                              const std::filesystem::path& file) {
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
