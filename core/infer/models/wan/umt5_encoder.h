// UMT5Encoder: Wan 2.1's text encoder, the encoder half of umT5-XXL, ported from
// wan/modules/t5.py (T5Encoder built by umt5_xxl(encoder_only=True)). Token ids and their
// attention mask in, one hidden state per token out; T5EncoderModel.__call__ then keeps the
// first mask.sum() rows of each prompt (contextsFromHidden).
//
//   UMT5Encoder encoder(UMT5EncoderConfig{}, loader);     // parameters by the reference's names
//   at::Tensor hidden = encoder.forward(ids, mask);        // [B, L] int64 -> [B, L, dim]
//   std::vector<at::Tensor> contexts = contextsFromHidden(hidden, mask);   // [len_i, dim]
//
// Thread-safety: forward() from one thread at a time (as any torch module).
#pragma once

#include "core/infer/weights/weight_loader.h"

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace storyreel::infer::wan {

// T5Encoder's constructor arguments; the defaults are umt5_xxl's (the released encoder).
struct UMT5EncoderConfig {
    std::int64_t vocab = 256384;
    std::int64_t dim = 4096;
    std::int64_t dimAttn = 4096;
    std::int64_t dimFfn = 10240;
    std::int64_t numHeads = 64;
    std::int64_t numLayers = 24;
    std::int64_t numBuckets = 32;
    // umT5 has one relative position embedding per block (false); T5 v1.1 shares one.
    bool sharedPos = false;
};

class UMT5Block;

class UMT5Encoder : public torch::nn::Module {
public:
    // Loads token_embedding.weight, blocks.{i}.* and norm.weight (pos_embedding.embedding
    // .weight per block, or once at the top when sharedPos). Throws UserError naming the
    // tensor (and the file, from the loader) when one is missing, and naming the tensor when
    // its shape disagrees with `config`.
    UMT5Encoder(const UMT5EncoderConfig& config, const WeightLoader& loader);

    const UMT5EncoderConfig& config() const { return config_; }

    // ids: [B, L] integer token ids; mask: [B, L], 0 for padding (keys that no query sees).
    // Returns [B, L] -> [B, L, dim] in the weights' dtype, on the weights' device. Padded
    // query rows are computed as well (the reference does).
    at::Tensor forward(const at::Tensor& ids, const at::Tensor& mask) const;

private:
    UMT5EncoderConfig config_;
    at::Tensor tokenEmbedding_;      // [vocab, dim]
    at::Tensor sharedPosEmbedding_;  // [numBuckets, numHeads] when sharedPos
    std::vector<std::shared_ptr<UMT5Block>> blocks_;
    at::Tensor norm_;  // [dim]
};

// T5EncoderModel.__call__'s trimming: row i of hidden [B, L, dim] cut to mask[i].sum() tokens.
std::vector<at::Tensor> contextsFromHidden(const at::Tensor& hidden, const at::Tensor& mask);

}  // namespace storyreel::infer::wan
