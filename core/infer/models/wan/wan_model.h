// WanModel: a LibTorch port of Wan 2.1's video transformer (wan/modules/model.py WanModel),
// t2v and i2v. Parameters come through WanWeights by the reference's names, so official,
// ComfyUI, diffusers and GGUF checkpoints load alike; linear layers keep GGUF blocks
// quantised when the load options say so. The blocks are torch modules that
// BlockSwapRunner can keep off the device.
//
//   const WanWeights weights(view, weightLoadOptions(profile), config.describe());
//   WanModel model(config, weights);                   // throws UserError on a bad file
//   model.enableBlockSwap(device, 10);                 // optional: 10 blocks resident
//   std::vector<at::Tensor> out = model.forward({x}, t, {context}, seqLen, clipFea, {y});
//
// Thread-safety: one thread at a time per model (forward() mutates block-swap state).
#pragma once

#include "core/base/cancel_token.h"
#include "core/infer/memory/block_swap.h"
#include "core/infer/models/wan/wan_block.h"
#include "core/infer/models/wan/wan_config.h"
#include "core/infer/models/wan/wan_embeddings.h"
#include "core/infer/models/wan/wan_head.h"
#include "core/infer/models/wan/wan_rope.h"
#include "core/infer/models/wan/wan_weights.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace storyreel::infer::wan {

class WanModel : public torch::nn::Module {
public:
    // Receives intermediate results by name, for debugging a port against the reference's
    // forward hooks: "time_embedding" [B, dim], "time_projection" [B, 6*dim],
    // "text_embedding" [B, text_len, dim], "patch_embedding" [1, dim, F', H', W'] per item,
    // "img_emb" [B, N, dim], "blocks.<i>" [B, seq_len, dim], "head" [B, seq_len, features].
    using Trace = std::function<void(const std::string& name, const at::Tensor& value)>;

    // Loads every parameter (CPU); throws UserError naming the file and the tensor when one
    // is missing or has the wrong shape. `computeDtype` is what linear layers and attention
    // run in (float32, or bfloat16/float16 like the reference's autocast); the residual
    // stream, modulation, time embedding and head stay float32 as in the reference.
    WanModel(const WanModelConfig& config, const WanWeights& weights,
             at::ScalarType computeDtype = at::kFloat);
    ~WanModel() override;

    const WanModelConfig& config() const { return config_; }
    at::ScalarType computeDtype() const { return computeDtype_; }
    c10::Device device() const;

    // WanModel.forward. x: per item [C, F, H, W] (t2v C = in_dim; i2v C + y's channels =
    // in_dim); t: [B] (or [1]) timesteps; context: per item [L, text_dim], L <= text_len;
    // seqLen: the padded token count (>= every item's F'*H'*W'); i2v: clipFea [B, N, 1280]
    // and y per item [C', F, H, W]. Returns per item [out_dim, F, H, W] float32.
    // Throws std::invalid_argument for inputs the reference would reject.
    std::vector<at::Tensor> forward(const std::vector<at::Tensor>& x, const at::Tensor& t,
                                    const std::vector<at::Tensor>& context, std::int64_t seqLen,
                                    const at::Tensor& clipFea = {},
                                    const std::vector<at::Tensor>& y = {},
                                    const CancelToken* cancel = nullptr);
    // The same on batches: x [B, C, F, H, W], context [B, L, text_dim], y [B, C', F, H, W]
    // -> [B, out_dim, F, H, W].
    at::Tensor forward(const at::Tensor& x, const at::Tensor& t, const at::Tensor& context,
                       std::int64_t seqLen, const at::Tensor& clipFea = {},
                       const at::Tensor& y = {}, const CancelToken* cancel = nullptr);

    // The blocks, in order, as BlockSwapRunner takes them.
    BlockSwapRunner::Blocks blocks() const;
    // Moves everything but the blocks to `device` and lets a BlockSwapRunner keep the first
    // `residentBlocks` blocks there and swap the others in per forward call.
    void enableBlockSwap(const c10::Device& device, std::int64_t residentBlocks);
    // Null when block swap is off.
    const BlockSwapRunner* blockSwap() const { return blockSwap_.get(); }

    void setTrace(Trace trace) { trace_ = std::move(trace); }

private:
    // Tokens [B, seqLen, dim] float32 from the videos; fills grid sizes and lengths.
    at::Tensor embedVideos(const std::vector<at::Tensor>& videos, std::int64_t seqLen,
                           at::Tensor& gridSizes, at::Tensor& seqLens);
    // Text (zero-padded to text_len) and, for i2v, the image tokens in front.
    at::Tensor embedContext(const std::vector<at::Tensor>& context, const at::Tensor& clipFea);
    // [B, seqLen, prod(patch)*out_dim] -> per item [out_dim, F, H, W].
    std::vector<at::Tensor> unpatchify(const at::Tensor& x, const at::Tensor& gridSizes) const;
    void trace(const std::string& name, const at::Tensor& value) const;

    WanModelConfig config_;
    at::ScalarType computeDtype_;
    WanRope rope_;
    std::shared_ptr<WanPatchEmbedding> patchEmbedding_;
    std::shared_ptr<WanTextEmbedding> textEmbedding_;
    std::shared_ptr<WanTimeEmbedding> timeEmbedding_;
    std::shared_ptr<WanTimeProjection> timeProjection_;
    std::vector<std::shared_ptr<WanBlock>> blocks_;
    std::shared_ptr<WanHead> head_;
    std::shared_ptr<WanImageEmbedding> imgEmb_;  // i2v only
    std::unique_ptr<BlockSwapRunner> blockSwap_;
    Trace trace_;
};

}  // namespace storyreel::infer::wan
