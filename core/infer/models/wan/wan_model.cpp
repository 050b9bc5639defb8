#include "core/infer/models/wan/wan_model.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace storyreel::infer::wan {
namespace {

std::invalid_argument badInput(const std::string& problem) {
    return std::invalid_argument("WanModel::forward: " + problem);
}

}  // namespace

WanModel::WanModel(const WanModelConfig& config, const WanWeights& weights,
                   at::ScalarType computeDtype)
    : config_(config), computeDtype_(computeDtype), rope_(config.headDim()) {
    config_.validate();
    patchEmbedding_ =
        register_module("patch_embedding", std::make_shared<WanPatchEmbedding>(weights, config_));
    textEmbedding_ =
        register_module("text_embedding", std::make_shared<WanTextEmbedding>(weights, config_));
    timeEmbedding_ =
        register_module("time_embedding", std::make_shared<WanTimeEmbedding>(weights, config_));
    timeProjection_ =
        register_module("time_projection", std::make_shared<WanTimeProjection>(weights, config_));
    auto blocks = register_module("blocks", std::make_shared<torch::nn::Module>("blocks"));
    for (std::int64_t i = 0; i < config_.numLayers; ++i) {
        blocks_.push_back(blocks->register_module(std::to_string(i),
                                                  std::make_shared<WanBlock>(weights, i, config_)));
    }
    head_ = register_module("head", std::make_shared<WanHead>(weights, config_));
    if (config_.isI2V()) {
        imgEmb_ = register_module("img_emb", std::make_shared<WanImageEmbedding>(weights, config_));
    }
}

WanModel::~WanModel() = default;

c10::Device WanModel::device() const {
    return patchEmbedding_->parameters().front().device();
}

BlockSwapRunner::Blocks WanModel::blocks() const {
    return BlockSwapRunner::Blocks(blocks_.begin(), blocks_.end());
}

void WanModel::enableBlockSwap(const c10::Device& device, std::int64_t residentBlocks) {
    blockSwap_.reset();  // puts swapped blocks back on their host copies first
    for (auto& child : named_children()) {
        if (child.key() != "blocks") {
            child.value()->to(device);
        }
    }
    blockSwap_ = std::make_unique<BlockSwapRunner>(blocks(), device, residentBlocks);
}

void WanModel::trace(const std::string& name, const at::Tensor& value) const {
    if (trace_) {
        trace_(name, value);
    }
}

at::Tensor WanModel::embedVideos(const std::vector<at::Tensor>& videos, std::int64_t seqLen,
                                 at::Tensor& gridSizes, at::Tensor& seqLens) {
    const auto batch = static_cast<std::int64_t>(videos.size());
    const c10::Device device = this->device();
    gridSizes = at::empty({batch, 3}, at::kLong);
    seqLens = at::empty({batch}, at::kLong);
    at::Tensor tokens = at::zeros({batch, seqLen, config_.dim}, at::TensorOptions(device));
    for (std::int64_t b = 0; b < batch; ++b) {
        std::array<std::int64_t, 3> grid{};
        const at::Tensor item = patchEmbedding_->forward(videos[b].to(device), computeDtype_, grid);
        const std::int64_t length = item.size(0);
        if (length > seqLen) {
            throw badInput("item " + std::to_string(b) + " has " + std::to_string(length) +
                           " tokens, more than seq_len " + std::to_string(seqLen));
        }
        std::copy(grid.begin(), grid.end(), gridSizes.data_ptr<std::int64_t>() + 3 * b);
        seqLens.data_ptr<std::int64_t>()[b] = length;
        trace("patch_embedding", item.t().reshape({1, config_.dim, grid[0], grid[1], grid[2]}));
        tokens[b].narrow(0, 0, length).copy_(item);
    }
    return tokens;
}

at::Tensor WanModel::embedContext(const std::vector<at::Tensor>& context,
                                  const at::Tensor& clipFea) {
    const c10::Device device = this->device();
    std::vector<at::Tensor> padded;
    for (const at::Tensor& u : context) {
        if (u.dim() != 2 || u.size(1) != config_.textDim || u.size(0) > config_.textLen) {
            throw badInput("each context must be [L <= " + std::to_string(config_.textLen) + ", " +
                           std::to_string(config_.textDim) + "]");
        }
        // Zero rows up to text_len BEFORE text_embedding: every one of the text_len rows
        // is then attended to (WanModel passes no context_lens).
        at::Tensor rows = at::zeros({config_.textLen, config_.textDim},
                                    at::TensorOptions(device).dtype(computeDtype_));
        rows.narrow(0, 0, u.size(0)).copy_(u);
        padded.push_back(rows);
    }
    at::Tensor embedded = textEmbedding_->forward(at::stack(padded));
    trace("text_embedding", embedded);
    if (clipFea.defined()) {
        const at::Tensor image = imgEmb_->forward(clipFea.to(device), computeDtype_);
        trace("img_emb", image);
        embedded = at::cat({image, embedded}, 1);
    }
    return embedded;
}

std::vector<at::Tensor> WanModel::unpatchify(const at::Tensor& x,
                                             const at::Tensor& gridSizes) const {
    const auto [pt, ph, pw] = config_.patchSize;
    const std::int64_t c = config_.outDim;
    std::vector<at::Tensor> out;
    for (std::int64_t b = 0; b < x.size(0); ++b) {
        const std::int64_t f = gridSizes[b][0].item<std::int64_t>();
        const std::int64_t h = gridSizes[b][1].item<std::int64_t>();
        const std::int64_t w = gridSizes[b][2].item<std::int64_t>();
        // einsum('fhwpqrc->cfphqwr'): output[c, f*pt+p, h*ph+q, w*pw+r].
        out.push_back(x[b].narrow(0, 0, f * h * w)
                          .view({f, h, w, pt, ph, pw, c})
                          .permute({6, 0, 3, 1, 4, 2, 5})
                          .reshape({c, f * pt, h * ph, w * pw})
                          .to(at::kFloat));
    }
    return out;
}

std::vector<at::Tensor> WanModel::forward(const std::vector<at::Tensor>& x, const at::Tensor& t,
                                          const std::vector<at::Tensor>& context,
                                          std::int64_t seqLen, const at::Tensor& clipFea,
                                          const std::vector<at::Tensor>& y,
                                          const CancelToken* cancel) {
    const at::NoGradGuard noGrad;
    const auto batch = static_cast<std::int64_t>(x.size());
    if (batch == 0 || context.size() != x.size()) {
        throw badInput("x and context must hold the same number (> 0) of items");
    }
    if (t.numel() != 1 && t.numel() != batch) {
        throw badInput("t must hold 1 or B timesteps");
    }
    if (config_.isI2V() && (!clipFea.defined() || y.size() != x.size())) {
        throw badInput("an i2v model needs clip_fea and one y per item");
    }
    if (!config_.isI2V() && clipFea.defined()) {
        throw badInput("a t2v model has no image embedding for clip_fea");
    }
    std::vector<at::Tensor> videos = x;
    for (std::size_t i = 0; i < y.size(); ++i) {
        videos[i] = at::cat({x[i], y[i].to(x[i].device(), x[i].scalar_type())}, 0);
    }
    const c10::Device device = this->device();

    at::Tensor gridSizes;
    at::Tensor seqLens;
    at::Tensor tokens = embedVideos(videos, seqLen, gridSizes, seqLens);

    const at::Tensor e = timeEmbedding_->forward(t.reshape({-1}), device);
    trace("time_embedding", e);
    const at::Tensor e0 = timeProjection_->forward(e);
    trace("time_projection", e0.flatten(1));

    WanBlockInputs inputs;
    inputs.e0 = e0;
    inputs.seqLens = seqLens.to(device);
    const WanRopeTables ropeTables = rope_.prepare(gridSizes, device);
    inputs.rope = &rope_;
    inputs.ropeTables = &ropeTables;
    inputs.context = embedContext(context, clipFea);
    inputs.computeDtype = computeDtype_;

    const auto step = [&](std::size_t i, const at::Tensor& stream) {
        at::Tensor next = blocks_[i]->forward(stream, inputs);
        trace("blocks." + std::to_string(i), next);
        return next;
    };
    if (blockSwap_) {
        tokens = blockSwap_->run(tokens, step, cancel);
    } else {
        for (std::size_t i = 0; i < blocks_.size(); ++i) {
            if (cancel) {
                cancel->throwIfCancelled();
            }
            tokens = step(i, tokens);
        }
    }
    const at::Tensor headOut = head_->forward(tokens, e);
    trace("head", headOut);
    return unpatchify(headOut, gridSizes);
}

at::Tensor WanModel::forward(const at::Tensor& x, const at::Tensor& t, const at::Tensor& context,
                             std::int64_t seqLen, const at::Tensor& clipFea, const at::Tensor& y,
                             const CancelToken* cancel) {
    const std::vector<at::Tensor> ys = y.defined() ? y.unbind(0) : std::vector<at::Tensor>{};
    return at::stack(forward(x.unbind(0), t, context.unbind(0), seqLen, clipFea, ys, cancel));
}

}  // namespace storyreel::infer::wan
