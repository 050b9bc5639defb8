#include "core/infer/models/wan/clip_visual.h"

#include "core/infer/models/wan/clip_visual_block.h"
#include "core/infer/models/wan/encoder_weights.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <stdexcept>

namespace storyreel::infer::wan {

at::Tensor clipLayerNorm(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
                         double eps) {
    return at::layer_norm(x.to(at::kFloat), {x.size(-1)}, weight.to(at::kFloat),
                          bias.to(at::kFloat), eps)
        .to(x.scalar_type());
}

ClipVisual::ClipVisual(const ClipVisualConfig& config, const WeightLoader& loader)
    : config_(config) {
    if (config.imageSize % config.patchSize != 0 || config.dim % config.numHeads != 0) {
        throw std::invalid_argument(
            "ClipVisual: the image size must be a multiple of the patch size and dim of heads");
    }
    const std::int64_t dim = config.dim;
    const std::int64_t grid = config.imageSize / config.patchSize;
    patchWeight_ = register_buffer("patch_embedding",
                                   loadChecked(loader, "visual.patch_embedding.weight",
                                               {dim, 3, config.patchSize, config.patchSize}));
    if (!config.preNorm) {
        patchBias_ = register_buffer("patch_embedding_bias",
                                     loadChecked(loader, "visual.patch_embedding.bias", {dim}));
    }
    cls_ =
        register_buffer("cls_embedding", loadChecked(loader, "visual.cls_embedding", {1, 1, dim}));
    positions_ = register_buffer(
        "pos_embedding", loadChecked(loader, "visual.pos_embedding", {1, 1 + grid * grid, dim}));
    if (config.preNorm) {
        preNormWeight_ = register_buffer("pre_norm_weight",
                                         loadChecked(loader, "visual.pre_norm.weight", {dim}));
        preNormBias_ =
            register_buffer("pre_norm_bias", loadChecked(loader, "visual.pre_norm.bias", {dim}));
    }
    const std::int64_t used = config.output == ClipVisualOutput::AllButLastBlock
                                  ? config.numLayers - 1
                                  : config.numLayers;
    for (std::int64_t i = 0; i < used; ++i) {
        const std::string prefix = "visual.transformer." + std::to_string(i) + ".";
        blocks_.push_back(
            register_module("transformer_" + std::to_string(i),
                            std::make_shared<ClipVisualBlock>(config, loader, prefix)));
    }
}

at::Tensor ClipVisual::forward(const at::Tensor& pixels) const {
    const std::int64_t size = config_.imageSize;
    if (pixels.dim() != 4 || pixels.size(1) != 3 || pixels.size(2) != size ||
        pixels.size(3) != size) {
        throw std::invalid_argument("ClipVisual::forward: pixels must be [B, 3, " +
                                    std::to_string(size) + ", " + std::to_string(size) + "]");
    }
    const at::NoGradGuard noGrad;
    const std::int64_t batch = pixels.size(0);
    const at::Tensor input = pixels.to(patchWeight_.device(), patchWeight_.scalar_type());
    // [B, dim, grid, grid] -> [B, grid*grid, dim], patches in row-major order
    at::Tensor x =
        at::conv2d(input, patchWeight_, patchBias_, {config_.patchSize, config_.patchSize})
            .flatten(2)
            .permute({0, 2, 1});
    x = at::cat({cls_.expand({batch, -1, -1}), x}, 1) + positions_;
    if (preNormWeight_.defined()) {
        x = clipLayerNorm(x, preNormWeight_, preNormBias_, config_.normEps);
    }
    for (const auto& block : blocks_) {
        x = block->forward(x);
    }
    return x;
}

}  // namespace storyreel::infer::wan
