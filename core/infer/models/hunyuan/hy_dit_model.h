// HunyuanDiT: a LibTorch port of HunyuanVideo-I2V's video transformer
// (hyvideo/modules/models.py HYVideoDiffusionTransformer), token_replace and latent_concat.
// Parameters come through ModuleWeights by the reference's names, so official, diffusers,
// ComfyUI and GGUF checkpoints load alike (the registry's InternalView maps them); linear
// layers are QuantizedLinear (GGUF blocks kept quantised, LoRAs at run time); modulation,
// norms, conditioning and the residual streams stay float32, linear layers and attention
// run in the compute dtype. The double and single blocks are torch modules that
// BlockSwapRunner can keep off the device.
//
//   const HunyuanDiTConfig config = HunyuanDiTConfig::fromCheckpoint(view);
//   const ModuleWeights weights(view, weightLoadOptions(profile), "HunyuanVideo DiT",
//                               config.describe());
//   HunyuanDiT model(config, weights, at::kBFloat16);    // throws UserError on a bad file
//   model.enableBlockSwap(device, 20);                    // optional: 20 of 60 blocks resident
//   at::Tensor v = model.forward(inputs);                 // [B, 16, T, H, W] float32
//
// Thread-safety: one thread at a time per model (forward() mutates block-swap state).
#pragma once

#include "core/base/cancel_token.h"
#include "core/infer/layers/module_weights.h"
#include "core/infer/memory/block_swap.h"
#include "core/infer/models/hunyuan/hy_dit_config.h"
#include "core/infer/models/hunyuan/hy_double_block.h"
#include "core/infer/models/hunyuan/hy_embeddings.h"
#include "core/infer/models/hunyuan/hy_final_layer.h"
#include "core/infer/models/hunyuan/hy_single_block.h"
#include "core/infer/models/hunyuan/hy_token_refiner.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>

#include <memory>
#include <vector>

namespace storyreel::infer::hunyuan {

// The arguments of HYVideoDiffusionTransformer.forward.
struct HunyuanDiTInputs {
    at::Tensor x;            // [B, in_channels, T, H, W] latents (latent_concat: the 33 channels)
    at::Tensor t;            // [B] (or [1]) timesteps in 0..1000
    at::Tensor textStates;   // [B, L, text_states_dim] (LLaVA hidden states, cropped)
    at::Tensor textMask;     // [B, L], non-zero = valid token (any integer or float dtype)
    at::Tensor textStates2;  // [B, text_states_dim_2] (CLIP-L pooled)
    at::Tensor guidance;     // [B] (or [1]): embedded guidance * 1000; needed with guidance_embed
    // [T'*H'*W', head_dim] each, as hunyuanRotaryTables(config, frames, height, width) gives;
    // undefined: computed from x's latent grid (frames = 4*(T-1)+1, RIFLEx over 192).
    at::Tensor freqsCos, freqsSin;
};

class HunyuanDiT : public torch::nn::Module {
public:
    // Loads every parameter (CPU); throws UserError naming the file and the tensor when one
    // is missing or has the wrong shape. `computeDtype`: what the linear layers and attention
    // run in (float32, or bfloat16/float16 as the reference's autocast).
    HunyuanDiT(const HunyuanDiTConfig& config, const ModuleWeights& weights,
               at::ScalarType computeDtype = at::kFloat);
    ~HunyuanDiT() override;

    const HunyuanDiTConfig& config() const { return config_; }
    at::ScalarType computeDtype() const { return computeDtype_; }
    c10::Device device() const;

    // HYVideoDiffusionTransformer.forward(...)["x"]: [B, out_channels, T, H, W] float32 (on the
    // model's device). Throws std::invalid_argument for inputs the reference would reject.
    at::Tensor forward(const HunyuanDiTInputs& inputs, const CancelToken* cancel = nullptr);

    // The blocks, double then single, as BlockSwapRunner takes them.
    BlockSwapRunner::Blocks blocks() const;
    // Moves everything but the blocks to `device` and lets a BlockSwapRunner keep the first
    // `residentBlocks` blocks (of doubleBlocks + singleBlocks) there and swap the others in
    // per forward call.
    void enableBlockSwap(const c10::Device& device, std::int64_t residentBlocks);
    // Null when block swap is off.
    const BlockSwapRunner* blockSwap() const { return blockSwap_.get(); }

private:
    void checkInputs(const HunyuanDiTInputs& in) const;
    // [B, N, pt*ph*pw*C] -> [B, C, t*pt, h*ph, w*pw], the vector read as (c, pt, ph, pw).
    at::Tensor unpatchify(const at::Tensor& x, std::int64_t t, std::int64_t h,
                          std::int64_t w) const;

    HunyuanDiTConfig config_;
    at::ScalarType computeDtype_;
    std::shared_ptr<HunyuanPatchEmbed> imgIn_;
    std::shared_ptr<HunyuanTokenRefiner> txtIn_;
    std::shared_ptr<HunyuanTimestepEmbedder> timeIn_, guidanceIn_;
    std::shared_ptr<HunyuanTwoLayerEmbedder> vectorIn_;
    std::vector<std::shared_ptr<HunyuanDoubleBlock>> doubleBlocks_;
    std::vector<std::shared_ptr<HunyuanSingleBlock>> singleBlocks_;
    std::shared_ptr<HunyuanFinalLayer> finalLayer_;
    std::unique_ptr<BlockSwapRunner> blockSwap_;
};

}  // namespace storyreel::infer::hunyuan
