#include "core/infer/tokenizers/hunyuan_prompt_tokens.h"

#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/hy_constants.h"

#include <stdexcept>

namespace storyreel::infer {
namespace {

constexpr std::string_view kImageI2VText =
    "<|start_header_id|>system<|end_header_id|>\n\n<image>\nDescribe the image by detailing the "
    "color, shape, size, texture, quantity, text, spatial relationships of the objects and "
    "background:<|eot_id|>"
    "<|start_header_id|>user<|end_header_id|>\n\n{}<|eot_id|>"
    "<|start_header_id|>assistant<|end_header_id|>\n\n";

constexpr const char* kImageToken = "<image>";
constexpr const char* kPadToken = "<pad>";
constexpr const char* kBeginOfText = "<|begin_of_text|>";

}  // namespace

const HunyuanPromptTemplate& hunyuanVideoI2VTemplate() {
    static const HunyuanPromptTemplate templ{
        "dit-llm-encode-video-i2v",          hunyuan::kHunyuanI2VPromptTemplate,
        hunyuan::kHunyuanI2VCropStart,       hunyuan::kHunyuanI2VImageEmbedStart,
        hunyuan::kHunyuanI2VImageEmbedEnd,   hunyuan::kHunyuanI2VImageEmbedLength,
        hunyuan::kHunyuanDoubleReturnTokenId};
    return templ;
}

const HunyuanPromptTemplate& hunyuanImageI2VTemplate() {
    static const HunyuanPromptTemplate templ{"dit-llm-encode-i2v",
                                             kImageI2VText,
                                             36,
                                             hunyuan::kHunyuanI2VImageEmbedStart,
                                             hunyuan::kHunyuanI2VImageEmbedEnd,
                                             hunyuan::kHunyuanI2VImageEmbedLength,
                                             hunyuan::kHunyuanDoubleReturnTokenId};
    return templ;
}

std::string applyHunyuanTemplate(const HunyuanPromptTemplate& prompt, std::string_view text) {
    const std::size_t slot = prompt.text.find("{}");
    std::string out(prompt.text.substr(0, slot));
    out += text;
    out += prompt.text.substr(slot + 2);
    return out;
}

HunyuanPromptTokenizer::HunyuanPromptTokenizer(ByteLevelBpeTokenizer llm, ClipBpeTokenizer clip)
    : HunyuanPromptTokenizer(std::move(llm), std::move(clip), Options{}) {}

HunyuanPromptTokenizer::HunyuanPromptTokenizer(ByteLevelBpeTokenizer llm, ClipBpeTokenizer clip,
                                               Options options)
    : llm_(std::move(llm)), clip_(std::move(clip)), options_(options) {
    if (options_.textLength < 1 || options_.clipLength < 2) {
        throw std::invalid_argument("HunyuanPromptTokenizer: text lengths must be positive");
    }
    bosId_ = llm_.tokenToId(kBeginOfText);
    if (bosId_ < 0) {
        throw UserError(llm_.source() +
                        ": the tokenizer has no <|begin_of_text|>, so it is not the Llama 3 "
                        "tokenizer of HunyuanVideo-I2V's text encoder");
    }
    // LLaVA's checkpoint adds <image> to the tokenizer; an original Llama 3 tokenizer.json
    // does not have it, and the template's "<image>" would become the three tokens "<",
    // "image", ">\n" instead of the one the encoder replaces by the image features.
    if (llm_.tokenToId(kImageToken) < 0) {
        llm_.addSpecialToken(kImageToken, options_.imageTokenId);
    }
    imageTokenId_ = llm_.tokenToId(kImageToken);
    padTokenId_ = llm_.tokenToId(kPadToken);
    if (padTokenId_ < 0) {
        padTokenId_ = options_.padTokenId;
    }
    // crop_start as this tokenizer spells the video template up to the prompt (bos counted):
    // 103 for Llama 3's tokenizer, the constant inference.py uses; a small test tokenizer
    // spells it in more ids, and the prompt still gets textLength ids after them.
    const std::string_view text = hunyuanVideoI2VTemplate().text;
    const std::vector<std::int64_t> before = llm_.encode(text.substr(0, text.find("{}")), false);
    cropStart_ = static_cast<std::int64_t>(before.size()) + 1;
}

std::size_t HunyuanPromptTokenizer::llmLength() const {
    return static_cast<std::size_t>(options_.textLength + cropStart_);
}

PaddedIds HunyuanPromptTokenizer::llmTokens(std::string_view prompt,
                                            const HunyuanPromptTemplate& templ) const {
    const std::string text = applyHunyuanTemplate(templ, prompt);
    // <|begin_of_text|> first: LlamaTokenizerFast's add_bos_token replaces the file's
    // post-processor with "<|begin_of_text|> $A", so a tokenizer.json whose post-processor adds
    // nothing (early Llama 3 files) gets it too; crop_start and image_emb_start count it.
    std::vector<std::int64_t> prefix = llm_.prefixIds();
    if (prefix.empty() || prefix.front() != bosId_) {
        prefix.insert(prefix.begin(), bosId_);
    }
    const std::vector<std::int64_t>& suffix = llm_.suffixIds();
    const std::size_t length = llmLength();
    std::vector<std::int64_t> content = llm_.encode(text, false);
    const std::size_t room =
        length > prefix.size() + suffix.size() ? length - prefix.size() - suffix.size() : 0;
    if (content.size() > room) {
        content.resize(room);
    }
    PaddedIds out;
    out.ids = prefix;
    out.ids.insert(out.ids.end(), content.begin(), content.end());
    out.ids.insert(out.ids.end(), suffix.begin(), suffix.end());
    out.ids.resize(std::min(out.ids.size(), length));
    out.mask.assign(out.ids.size(), 1);
    out.ids.resize(length, padTokenId_);
    out.mask.resize(length, 0);
    return out;
}

PaddedIds HunyuanPromptTokenizer::clipTokens(std::string_view prompt) const {
    return clip_.encodePadded(prompt, static_cast<std::size_t>(options_.clipLength));
}

HunyuanPromptTokens HunyuanPromptTokenizer::tokenize(std::string_view prompt) const {
    return HunyuanPromptTokens{llmTokens(prompt), clipTokens(prompt)};
}

}  // namespace storyreel::infer
