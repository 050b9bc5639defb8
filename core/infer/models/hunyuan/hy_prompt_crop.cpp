#include "core/infer/models/hunyuan/hy_prompt_crop.h"

#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/llava_json_fields.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace storyreel::infer::hunyuan {
namespace {

constexpr const char* kContext = "HunyuanVideo prompt template";

// Python's t[start:end] along dim 0: negative indices count from the end, both are clamped
// to [0, n], and an end before the start gives an empty slice.
at::Tensor pySlice(const at::Tensor& t, std::int64_t start, std::int64_t end) {
    const std::int64_t n = t.size(0);
    const auto clampIndex = [n](std::int64_t i) {
        return std::clamp<std::int64_t>(i < 0 ? i + n : i, 0, n);
    };
    const std::int64_t from = clampIndex(start);
    const std::int64_t to = std::max(from, clampIndex(end));
    return t.narrow(0, from, to - from);
}

at::Tensor pySliceFrom(const at::Tensor& t, std::int64_t start) {
    return pySlice(t, start, t.size(0));
}

}  // namespace

HunyuanPromptTemplate HunyuanPromptTemplate::fromJson(const JsonValue& json) {
    HunyuanPromptTemplate t;
    t.cropStart = jsonInt(json, "crop_start", -1, kContext);
    t.imageEmbStart = jsonInt(json, "image_emb_start", 5, kContext);
    t.imageEmbEnd = jsonInt(json, "image_emb_end", 581, kContext);
    t.imageEmbLen = jsonInt(json, "image_emb_len", 576, kContext);
    t.doubleReturnTokenId = jsonInt(json, "double_return_token_id", 271, kContext);
    if (t.cropStart <= 0) {
        throw UserError(std::string(kContext) +
                        ": crop_start must be positive (the I2V video template crops the "
                        "system prompt)");
    }
    if (t.imageEmbStart < 0 || t.imageEmbEnd < t.imageEmbStart || t.imageEmbLen <= 0) {
        throw UserError(std::string(kContext) +
                        ": image_emb_start .. image_emb_end must be an ordered range and "
                        "image_emb_len positive");
    }
    return t;
}

std::int64_t lastDoubleReturnIndex(const at::Tensor& ids, std::int64_t doubleReturnTokenId) {
    const at::Tensor positions = ids.eq(doubleReturnTokenId).nonzero().view({-1}).cpu();
    const std::int64_t count = positions.numel();
    if (count == 0) {
        throw UserError("HunyuanVideo text encoder: the token ids hold no \"\\n\\n\" token (id " +
                        std::to_string(doubleReturnTokenId) +
                        "); they were not made from the I2V prompt template");
    }
    if (count == 3) {
        return ids.size(0);  // truncated: the assistant header's "\n\n" was cut off
    }
    return positions[count - 1].item<std::int64_t>();
}

HunyuanTextStates cropPromptRow(const at::Tensor& hidden, const at::Tensor& ids,
                                const at::Tensor& mask, const HunyuanPromptTemplate& prompt,
                                std::int64_t interleave) {
    const std::int64_t k = lastDoubleReturnIndex(ids, prompt.doubleReturnTokenId);
    const std::int64_t shift = prompt.imageEmbLen - 1;  // extra tokens the image brought
    const std::int64_t textStart = prompt.cropStart + shift;
    const at::Tensor textStates =
        at::cat({pySlice(hidden, textStart, k + shift - 4), pySliceFrom(hidden, k + shift)}, 0);
    const at::Tensor inputMask = mask.to(hidden.device(), at::kLong);
    const at::Tensor textMask =
        at::cat({pySlice(inputMask, prompt.cropStart, k - 4), pySliceFrom(inputMask, k)}, 0);
    at::Tensor imageStates = pySlice(hidden, prompt.imageEmbStart, prompt.imageEmbEnd);
    if (interleave > 0 && interleave < 6) {
        imageStates = imageStates.slice(0, 0, imageStates.size(0), interleave);
    }
    const at::Tensor imageMask = at::ones({imageStates.size(0)}, inputMask.options());
    return {at::cat({imageStates, textStates}, 0).unsqueeze(0),
            at::cat({imageMask, textMask}, 0).unsqueeze(0)};
}

}  // namespace storyreel::infer::hunyuan
