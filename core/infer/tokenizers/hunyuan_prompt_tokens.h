// The prompt-to-ids step of HunyuanVideo-I2V (hyvideo/text_encoder/__init__.py
// TextEncoder.text2tokens, hyvideo/constants.py PROMPT_TEMPLATE, hyvideo/inference.py):
//   LLM (LLaVA-Llama-3): the prompt put into the template 'dit-llm-encode-video-i2v' (the
//     one the I2V encoder uses for videos; 'dit-llm-encode-i2v' for one frame), tokenized
//     with truncation and padding "max_length" to text_len 256 + crop_start 103 = 359 ids,
//     with the attention mask. <image> is one token (LLaVA's image_token_index, 128257), which
//     the text encoder replaces by the 576 image features; the ids start with
//     <|begin_of_text|>, so that <image> sits at image_emb_start 5 and the prompt at crop_start
//     (the checkpoint's tokenizer_class LlamaTokenizer loads as LlamaTokenizerFast, whose
//     add_bos_token puts it there whatever the tokenizer.json's post-processor says).
//   CLIP-L: the bare prompt, 77 ids (bos, prompt, eos, <|endoftext|> padding) and mask.
//
//   HunyuanPromptTokenizer tok(ByteLevelBpeTokenizer::fromTokenizerJson(llmDir),
//                              ClipBpeTokenizer::open(clipDir));
//   HunyuanPromptTokens t = tok.tokenize("a cat surfing");   // t.llm: 359 ids, t.clip: 77 ids
//
// Thread-safety: const methods from any thread.
#pragma once

#include "core/infer/tokenizers/byte_level_bpe.h"
#include "core/infer/tokenizers/clip_bpe_tokenizer.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace storyreel::infer {

// One entry of PROMPT_TEMPLATE.
struct HunyuanPromptTemplate {
    std::string_view name;
    std::string_view text;  // holds one "{}" where the prompt goes
    std::int64_t cropStart;
    std::int64_t imageEmbStart;
    std::int64_t imageEmbEnd;
    std::int64_t imageEmbLen;
    std::int64_t doubleReturnTokenId;  // "\n\n"
};

// 'dit-llm-encode-video-i2v' (data_type "video": what I2V renders use).
const HunyuanPromptTemplate& hunyuanVideoI2VTemplate();
// 'dit-llm-encode-i2v' (data_type "image").
const HunyuanPromptTemplate& hunyuanImageI2VTemplate();
// template.format(prompt): the prompt in place of "{}", taken as it is.
std::string applyHunyuanTemplate(const HunyuanPromptTemplate& prompt, std::string_view text);

struct HunyuanPromptTokens {
    PaddedIds llm;   // llmLength() ids and mask
    PaddedIds clip;  // 77 ids and mask
};

class HunyuanPromptTokenizer {
public:
    struct Options {
        std::int64_t textLength = 256;  // --text-len
        std::int64_t clipLength = 77;   // --text-len-2
        // xtuner/llava-llama-3-8b-v1_1-transformers' ids (config.json image_token_index and
        // pad_token_id; its tokenizer adds <unk> 128256, <image> 128257, <pad> 128258), used
        // when the tokenizer file does not list <image> or <pad> itself.
        std::int64_t imageTokenId = 128257;
        std::int64_t padTokenId = 128258;
    };

    // Throws UserError naming the LLM tokenizer's file when it has no <|begin_of_text|>.
    HunyuanPromptTokenizer(ByteLevelBpeTokenizer llm, ClipBpeTokenizer clip);
    HunyuanPromptTokenizer(ByteLevelBpeTokenizer llm, ClipBpeTokenizer clip, Options options);

    HunyuanPromptTokens tokenize(std::string_view prompt) const;
    // The template applied to `prompt`, tokenized to llmLength() ids: bos, the text's ids cut
    // to fit, <pad> after them. The length is textLength + the video template's crop_start
    // for either template, as inference.py sets max_length.
    PaddedIds llmTokens(std::string_view prompt,
                        const HunyuanPromptTemplate& templ = hunyuanVideoI2VTemplate()) const;
    PaddedIds clipTokens(std::string_view prompt) const;

    // textLength + crop_start of the video template as this tokenizer spells it (103 ids for
    // Llama 3's tokenizer, so 359).
    std::size_t llmLength() const;
    std::int64_t cropStart() const { return cropStart_; }
    std::int64_t imageTokenId() const { return imageTokenId_; }
    std::int64_t padTokenId() const { return padTokenId_; }
    const ByteLevelBpeTokenizer& llm() const { return llm_; }
    const ClipBpeTokenizer& clip() const { return clip_; }

private:
    ByteLevelBpeTokenizer llm_;
    ClipBpeTokenizer clip_;
    Options options_;
    std::int64_t imageTokenId_ = -1;
    std::int64_t padTokenId_ = -1;
    std::int64_t bosId_ = -1;
    std::int64_t cropStart_ = 0;
};

}  // namespace storyreel::infer
