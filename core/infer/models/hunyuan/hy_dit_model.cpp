#include "core/infer/models/hunyuan/hy_dit_model.h"

#include "core/infer/models/hunyuan/hy_attention.h"
#include "core/infer/models/hunyuan/hy_rope.h"

#include <ATen/ATen.h>

#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

namespace storyreel::infer::hunyuan {
namespace {

std::invalid_argument badInput(const std::string& problem) {
    return std::invalid_argument("HunyuanDiT::forward: " + problem);
}

// [B] from [B] or [1].
at::Tensor perRow(const at::Tensor& values, std::int64_t batch, const char* name) {
    if (values.numel() == batch) {
        return values.reshape({batch});
    }
    if (values.numel() == 1) {
        return values.reshape({1}).expand({batch}).contiguous();
    }
    throw badInput(std::string(name) + " must hold 1 or B values");
}

}  // namespace

HunyuanDiT::HunyuanDiT(const HunyuanDiTConfig& config, const ModuleWeights& weights,
                       at::ScalarType computeDtype)
    : config_(config), computeDtype_(computeDtype) {
    config_.validate();
    const std::int64_t h = config_.hiddenSize;
    imgIn_ = register_module("img_in", std::make_shared<HunyuanPatchEmbed>(weights, config_));
    txtIn_ = register_module(
        "txt_in", std::make_shared<HunyuanTokenRefiner>(weights, "txt_in", config_.textStatesDim, h,
                                                        config_.headsNum, config_.refinerDepth));
    timeIn_ = register_module("time_in",
                              std::make_shared<HunyuanTimestepEmbedder>(weights, "time_in", h));
    vectorIn_ = register_module(
        "vector_in", std::make_shared<HunyuanTwoLayerEmbedder>(
                         weights, "vector_in", "in_layer", "out_layer", config_.textStatesDim2, h));
    if (config_.guidanceEmbed) {
        guidanceIn_ = register_module(
            "guidance_in", std::make_shared<HunyuanTimestepEmbedder>(weights, "guidance_in", h));
    }
    auto doubles =
        register_module("double_blocks", std::make_shared<torch::nn::Module>("double_blocks"));
    for (std::int64_t i = 0; i < config_.doubleBlocks; ++i) {
        doubleBlocks_.push_back(doubles->register_module(
            std::to_string(i), std::make_shared<HunyuanDoubleBlock>(weights, i, config_)));
    }
    auto singles =
        register_module("single_blocks", std::make_shared<torch::nn::Module>("single_blocks"));
    for (std::int64_t i = 0; i < config_.singleBlocks; ++i) {
        singleBlocks_.push_back(singles->register_module(
            std::to_string(i), std::make_shared<HunyuanSingleBlock>(weights, i, config_)));
    }
    finalLayer_ =
        register_module("final_layer", std::make_shared<HunyuanFinalLayer>(weights, config_));
}

HunyuanDiT::~HunyuanDiT() = default;

c10::Device HunyuanDiT::device() const {
    return imgIn_->parameters().front().device();
}

BlockSwapRunner::Blocks HunyuanDiT::blocks() const {
    BlockSwapRunner::Blocks blocks(doubleBlocks_.begin(), doubleBlocks_.end());
    blocks.insert(blocks.end(), singleBlocks_.begin(), singleBlocks_.end());
    return blocks;
}

void HunyuanDiT::enableBlockSwap(const c10::Device& device, std::int64_t residentBlocks) {
    blockSwap_.reset();  // puts swapped blocks back on their host copies first
    for (auto& child : named_children()) {
        if (child.key() != "double_blocks" && child.key() != "single_blocks") {
            child.value()->to(device);
        }
    }
    blockSwap_ = std::make_unique<BlockSwapRunner>(blocks(), device, residentBlocks);
}

void HunyuanDiT::checkInputs(const HunyuanDiTInputs& in) const {
    if (!in.x.defined() || in.x.dim() != 5 || in.x.size(1) != config_.inChannels) {
        throw badInput("x must be [B, " + std::to_string(config_.inChannels) + ", T, H, W]");
    }
    for (int axis = 0; axis < 3; ++axis) {
        if (in.x.size(axis + 2) < config_.patchSize[axis]) {
            throw badInput("x is smaller than a patch");
        }
    }
    const std::int64_t b = in.x.size(0);
    if (!in.t.defined()) {
        throw badInput("t is missing");
    }
    if (!in.textStates.defined() || in.textStates.dim() != 3 || in.textStates.size(0) != b ||
        in.textStates.size(2) != config_.textStatesDim || in.textStates.size(1) == 0) {
        throw badInput("text_states must be [B, L > 0, " + std::to_string(config_.textStatesDim) +
                       "]");
    }
    if (!in.textMask.defined() || in.textMask.dim() != 2 || in.textMask.size(0) != b ||
        in.textMask.size(1) != in.textStates.size(1)) {
        throw badInput("text_mask must be [B, L] like text_states");
    }
    if (!in.textStates2.defined() || in.textStates2.dim() != 2 || in.textStates2.size(0) != b ||
        in.textStates2.size(1) != config_.textStatesDim2) {
        throw badInput("text_states_2 must be [B, " + std::to_string(config_.textStatesDim2) + "]");
    }
    if (config_.guidanceEmbed && !in.guidance.defined()) {
        throw badInput("a guidance-distilled model needs guidance (embedded scale * 1000)");
    }
    if (in.freqsCos.defined() != in.freqsSin.defined()) {
        throw badInput("freqs_cos and freqs_sin go together");
    }
}

at::Tensor HunyuanDiT::unpatchify(const at::Tensor& x, std::int64_t t, std::int64_t h,
                                  std::int64_t w) const {
    const auto [pt, ph, pw] = config_.patchSize;
    const std::int64_t c = config_.outChannels;
    // einsum("nthwcopq->nctohpwq").
    return x.reshape({x.size(0), t, h, w, c, pt, ph, pw})
        .permute({0, 4, 1, 5, 2, 6, 3, 7})
        .reshape({x.size(0), c, t * pt, h * ph, w * pw});
}

at::Tensor HunyuanDiT::forward(const HunyuanDiTInputs& inputs, const CancelToken* cancel) {
    const at::NoGradGuard noGrad;
    checkInputs(inputs);
    const c10::Device device = this->device();
    const std::int64_t batch = inputs.x.size(0);
    const std::int64_t tt = inputs.x.size(2) / config_.patchSize[0];
    const std::int64_t th = inputs.x.size(3) / config_.patchSize[1];
    const std::int64_t tw = inputs.x.size(4) / config_.patchSize[2];
    const at::Tensor t = perRow(inputs.t, batch, "t").to(device);

    // Conditioning vectors, float32.
    HunyuanBlockInputs in;
    in.computeDtype = computeDtype_;
    const at::Tensor vec2 = vectorIn_->forward(inputs.textStates2.to(device, at::kFloat));
    in.vec = timeIn_->forward(t) + vec2;
    if (config_.isTokenReplace()) {
        in.tokenReplaceVec = timeIn_->forward(at::zeros_like(t)) + vec2;
        in.firstFrameTokens = th * tw;
    }
    if (guidanceIn_) {
        in.vec = in.vec + guidanceIn_->forward(perRow(inputs.guidance, batch, "guidance"));
    }

    at::Tensor img = imgIn_->forward(inputs.x.to(device), computeDtype_).to(at::kFloat);
    const at::Tensor textMask = inputs.textMask.to(device);
    at::Tensor txt =
        txtIn_->forward(inputs.textStates.to(device), t,
                        config_.useAttentionMask ? textMask : at::Tensor(), computeDtype_);
    const std::int64_t imgLen = img.size(1);
    const std::int64_t txtLen = txt.size(1);
    in.segmentLengths = hunyuanSegmentLengths(textMask, imgLen);

    if (inputs.freqsCos.defined()) {
        if (inputs.freqsCos.dim() != 2 || inputs.freqsCos.size(0) != imgLen ||
            inputs.freqsCos.size(1) != config_.headDim() ||
            inputs.freqsSin.sizes() != inputs.freqsCos.sizes()) {
            throw badInput("freqs_cos/freqs_sin must be [" + std::to_string(imgLen) + ", " +
                           std::to_string(config_.headDim()) + "] for this x");
        }
        in.freqsCos = inputs.freqsCos.to(device, at::kFloat);
        in.freqsSin = inputs.freqsSin.to(device, at::kFloat);
    } else {
        const std::int64_t frames = 4 * (tt * config_.patchSize[0] - 1) + 1;
        const HunyuanRotaryTables tables = hunyuanRotaryTables(
            config_.ropeDimList, {tt, th, tw}, config_.ropeTheta, hunyuanRiflex(frames, tt));
        in.freqsCos = tables.cos.to(device);
        in.freqsSin = tables.sin.to(device);
    }

    const std::size_t doubles = doubleBlocks_.size();
    at::Tensor joint;  // [img; txt] from the first single block on
    const auto step = [&](std::size_t i) {
        if (i < doubles) {
            std::tie(img, txt) = doubleBlocks_[i]->forward(img, txt, in);
            return;
        }
        if (!joint.defined()) {
            joint = at::cat({img, txt}, 1);
        }
        joint = singleBlocks_[i - doubles]->forward(joint, txtLen, in);
    };
    if (blockSwap_) {
        blockSwap_->forEachBlock(step, cancel);
    } else {
        const std::size_t total = doubles + singleBlocks_.size();
        for (std::size_t i = 0; i < total; ++i) {
            if (cancel) {
                cancel->throwIfCancelled();
            }
            step(i);
        }
    }
    if (joint.defined()) {
        img = joint.narrow(1, 0, imgLen);
    }
    const at::Tensor out = finalLayer_->forward(img, in.vec, computeDtype_);
    return unpatchify(out, tt, th, tw);
}

}  // namespace storyreel::infer::hunyuan
