// ClipVisual: Wan 2.1's image encoder, the ViT-H/14 visual tower of open-clip's XLM-RoBERTa
// CLIP, ported from wan/modules/clip.py (VisionTransformer, AttentionBlock, SelfAttention).
// Patch embedding, class token in front, position embedding, pre-norm, then the transformer
// blocks; Wan reads the residual stream after all blocks but the last
// (CLIPModel.visual -> model.visual(x, use_31_block=True): the 31st of 32), with no post-norm
// and no head. Parameters are read under the checkpoint's names (`visual.` prefix).
//
//   ClipVisual clip(ClipVisualConfig{}, loader);
//   at::Tensor features = clip.forward(clipPreprocess({image}));   // [1, 257, 1280]
//
// Thread-safety: forward() from one thread at a time (as any torch module).
#pragma once

#include "core/infer/weights/weight_loader.h"

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace storyreel::infer::wan {

enum class ClipActivation {
    Gelu,       // nn.GELU(): the exact erf form (ViT-H/14)
    QuickGelu,  // x * sigmoid(1.702 x)
};

enum class ClipVisualOutput {
    AllButLastBlock,  // use_31_block=True: what Wan uses
    AllBlocks,        // the tower's plain forward (still without post_norm or head)
};

// VisionTransformer's constructor arguments (pool 'token'); the defaults are
// clip_xlm_roberta_vit_h_14's.
struct ClipVisualConfig {
    std::int64_t imageSize = 224;
    std::int64_t patchSize = 14;
    std::int64_t dim = 1280;
    double mlpRatio = 4.0;
    std::int64_t numHeads = 16;
    std::int64_t numLayers = 32;
    double normEps = 1e-5;
    bool preNorm = true;    // a LayerNorm after the embeddings; the patch conv has no bias
    bool postNorm = false;  // AttentionBlock's post_norm flag (norm after attn / mlp)
    ClipActivation activation = ClipActivation::Gelu;
    ClipVisualOutput output = ClipVisualOutput::AllButLastBlock;
};

class ClipVisualBlock;

class ClipVisual : public torch::nn::Module {
public:
    // Loads visual.patch_embedding.weight (and .bias without pre-norm), visual.cls_embedding,
    // visual.pos_embedding, visual.pre_norm.* and the visual.transformer.{i}.* the output
    // needs (the last block is not loaded for AllButLastBlock). Throws UserError naming the
    // tensor (and the file when it is missing) when one is absent or of another shape.
    ClipVisual(const ClipVisualConfig& config, const WeightLoader& loader);

    const ClipVisualConfig& config() const { return config_; }

    // pixels: [B, 3, imageSize, imageSize], normalised (clipPreprocess). Returns
    // [B, 1 + (imageSize/patchSize)^2, dim], class token first, in the weights' dtype.
    at::Tensor forward(const at::Tensor& pixels) const;

private:
    ClipVisualConfig config_;
    at::Tensor patchWeight_;  // [dim, 3, patch, patch]
    at::Tensor patchBias_;    // [dim] without pre-norm
    at::Tensor cls_;          // [1, 1, dim]
    at::Tensor positions_;    // [1, 1 + patches, dim]
    at::Tensor preNormWeight_, preNormBias_;
    std::vector<std::shared_ptr<ClipVisualBlock>> blocks_;
};

// clip.py LayerNorm: nn.LayerNorm computed in float32, back to x's dtype.
at::Tensor clipLayerNorm(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
                         double eps);

}  // namespace storyreel::infer::wan
