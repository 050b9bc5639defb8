#include "core/infer/bench/seeded_hunyuan_checkpoint.h"

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

using hunyuan::HunyuanDiTConfig;

// What expectedTensors needs to list a HunyuanVideo DiT of `config` (the keys
// recogniseModel fills from a checkpoint's shapes).
ModelRecognition recognitionOf(const HunyuanDiTConfig& c) {
    ModelRecognition r;
    r.family = ModelFamily::HunyuanDiT;
    r.layout = CheckpointLayout::Official;
    r.config = {{"hidden", c.hiddenSize},
                {"in_channels", c.inChannels},
                {"double_blocks", c.doubleBlocks},
                {"single_blocks", c.singleBlocks},
                {"mlp_hidden", c.mlpHidden()},
                {"head_dim", c.headDim()},
                {"text_states_dim", c.textStatesDim},
                {"text_states_dim_2", c.textStatesDim2},
                {"refiner_blocks", c.refinerDepth},
                {"guidance", c.guidanceEmbed ? 1 : 0},
                {"out_features", c.finalFeatures()}};
    return r;
}

std::string jsonList(const std::array<std::int64_t, 3>& values) {
    return "[" + std::to_string(values[0]) + ", " + std::to_string(values[1]) + ", " +
           std::to_string(values[2]) + "]";
}

std::string shapeJson(const std::vector<std::int64_t>& shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        text += (i ? "," : "") + std::to_string(shape[i]);
    }
    return text + "]";
}

const char* boolean(bool value) {
    return value ? "true" : "false";
}

}  // namespace

SeededHunyuanCheckpoint::SeededHunyuanCheckpoint(const HunyuanDiTConfig& config, std::uint64_t seed,
                                                 c10::Device drawDevice)
    : CheckpointFile("seeded HunyuanVideo DiT (seed " + std::to_string(seed) + ")",
                     CheckpointFormat::Safetensors),
      config_(config),
      seed_(seed),
      drawDevice_(drawDevice) {
    config_.validate();
    if (config_.patchSize != std::array<std::int64_t, 3>{1, 2, 2}) {
        throw UserError("the HunyuanVideo step bench draws weights for patch size (1, 2, 2) only");
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

std::string SeededHunyuanCheckpoint::referenceConfigJson() const {
    const HunyuanDiTConfig& c = config_;
    std::ostringstream json;
    json.precision(17);
    json << "{\"patch_size\": " << jsonList(c.patchSize) << ", \"in_channels\": " << c.inChannels
         << ", \"out_channels\": " << c.outChannels << ", \"hidden_size\": " << c.hiddenSize
         << ", \"heads_num\": " << c.headsNum << ", \"mlp_width_ratio\": " << c.mlpWidthRatio
         << ", \"mlp_act_type\": \"gelu_tanh\", \"mm_double_blocks_depth\": " << c.doubleBlocks
         << ", \"mm_single_blocks_depth\": " << c.singleBlocks
         << ", \"rope_dim_list\": " << jsonList(c.ropeDimList)
         << ", \"qkv_bias\": " << boolean(c.qkvBias) << ", \"qk_norm\": " << boolean(c.qkNorm)
         << ", \"qk_norm_type\": \"rms\", \"guidance_embed\": " << boolean(c.guidanceEmbed)
         << ", \"text_projection\": \"single_refiner\", \"use_attention_mask\": "
         << boolean(c.useAttentionMask) << ", \"i2v_condition_type\": \""
         << (c.isTokenReplace() ? "token_replace" : "latent_concat")
         << "\", \"text_states_dim\": " << c.textStatesDim
         << ", \"text_states_dim_2\": " << c.textStatesDim2 << ", \"rope_theta\": " << c.ropeTheta
         << "}";
    return json.str();
}

void SeededHunyuanCheckpoint::checkReadable(std::string_view name) const {
    if (find(name) == nullptr) {
        throw UserError(path().string() + " has no tensor " + std::string(name));
    }
}

at::Tensor SeededHunyuanCheckpoint::read(std::string_view name) const {
    const TensorInfo* info = find(name);
    if (info == nullptr) {
        throw UserError(path().string() + " has no tensor " + std::string(name));
    }
    const auto index = static_cast<std::uint64_t>(info - tensors().data());
    at::manual_seed(seed_ + index);
    at::Tensor values =
        at::randn(info->shape, at::TensorOptions().device(drawDevice_).dtype(at::kFloat));
    if (info->shape.size() == 1) {
        values = name.ends_with(".weight") ? 1 + 0.1 * values : 0.1 * values;
    } else {
        const double fanIn = static_cast<double>(info->numel() / info->shape.front());
        values = values / std::sqrt(fanIn);
    }
    return values.to(at::kCPU);
}

void writeSeededHunyuanCheckpoint(const SeededHunyuanCheckpoint& checkpoint,
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
