// What HunyuanVideo-I2V keeps of the LLaVA hidden states (hyvideo/text_encoder/__init__.py
// TextEncoder.encode, i2v_mode, data_type "video"): the image tokens (image_emb_start ..
// image_emb_end of the merged sequence) every `interleave`-th one, then the user prompt: the
// states from crop_start (shifted by the image's image_emb_len - 1 extra tokens) up to the
// last "\n\n" token k with the 4 tokens before it (<|eot_id|><|start_header_id|>assistant
// <|end_header_id|>) removed, and everything from k on. k is the position of the LAST
// double_return_token_id (271) of the row, or the row's length when exactly 3 occur (the
// prompt was truncated and cut the assistant header). The mask is the input mask cut alike
// (crop_start .. k-4, k ..), with ones for the image tokens.
//
//   const HunyuanPromptTemplate prompt = HunyuanPromptTemplate::released();
//   const HunyuanTextStates row = cropPromptRow(hidden[0], ids[0], mask[0], prompt, 4);
//   // row.states: [1, 144 + 252, 4096], row.mask: [1, 396] for the released 359-token prompt
//
// Thread-safety: pure functions.
#pragma once

#include "core/infer/models/hunyuan/hy_constants.h"
#include "core/infer/weights/json_value.h"

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace storyreel::infer::hunyuan {

// The text-encoder output the DiT takes: states [B, L, hidden], mask [B, L] int64 (1 = token).
struct HunyuanTextStates {
    at::Tensor states;
    at::Tensor mask;
};

// The cropping fields of hyvideo/constants.py PROMPT_TEMPLATE["dit-llm-encode-video-i2v"]
// (the defaults).
struct HunyuanPromptTemplate {
    std::int64_t cropStart = kHunyuanI2VCropStart;
    std::int64_t imageEmbStart = kHunyuanI2VImageEmbedStart;
    std::int64_t imageEmbEnd = kHunyuanI2VImageEmbedEnd;
    std::int64_t imageEmbLen = kHunyuanI2VImageEmbedLength;
    std::int64_t doubleReturnTokenId = kHunyuanDoubleReturnTokenId;

    // {"crop_start": ..., "image_emb_start": ..., ...}; absent keys take the reference's
    // .get() defaults (crop_start -1 means no template crop and is refused).
    static HunyuanPromptTemplate fromJson(const JsonValue& json);
    static HunyuanPromptTemplate released() { return {}; }
};

// The k of the description above for one row of ids [L]. Throws UserError when the row has
// no double_return_token_id at all (the reference fails there too: the ids do not follow
// the template).
std::int64_t lastDoubleReturnIndex(const at::Tensor& ids, std::int64_t doubleReturnTokenId);

// One row: hidden [Lm, C] (the LLM states after the image merge: Lm = L + imageEmbLen - 1),
// ids [L], mask [L]. interleave: image token stride (4 token_replace, 2 latent_concat; values
// outside 1..5 keep every token, as the reference). Returns states [1, N, C] in hidden's
// dtype and mask [1, N] int64.
HunyuanTextStates cropPromptRow(const at::Tensor& hidden, const at::Tensor& ids,
                                const at::Tensor& mask, const HunyuanPromptTemplate& prompt,
                                std::int64_t interleave);

}  // namespace storyreel::infer::hunyuan
