// UMT5Tokenizer: the google/umt5-xxl tokenizer as Wan 2.1 calls it (wan/modules/t5.py
// T5EncoderModel: HuggingfaceTokenizer(seq_len=512, clean='whitespace') -> AutoTokenizer):
// the prompt cleaned (cleanPrompt), split into SentencePiece Unigram pieces, </s> appended,
// truncated to the length (the last slot keeps </s>) and padded with <pad> on the right,
// with the attention mask. Reads the tokenizer as users download it: `spiece.model`, or
// `tokenizer.json` (a Hugging Face Unigram model), or a folder holding either. Special
// tokens written in the prompt become their ids, as with transformers' added tokens: the
// model's control and unknown pieces ("</s>", "<pad>", "<unk>") and tokenizer.json's special
// added tokens ("<extra_id_N>"); a bare spiece.model does not list transformers' extra ids,
// so there "<extra_id_N>" stays text.
//
//   const UMT5Tokenizer tokenizer = UMT5Tokenizer::open(modelDir / "google/umt5-xxl");
//   const TokenizedPrompts t = tokenizer.tokenize({"a cat surfing"});   // ids, mask [1, 512]
//   at::Tensor hidden = encoder.forward(t.ids, t.mask);
//
// The segmentation is UnigramProcessor's (a port of SentencePiece's): libsentencepiece itself
// cannot share a process with Debian's LibTorch (see sentencepiece_model.h).
//
// Thread-safety: const methods from any thread.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer::wan {

class UnigramProcessor;

struct TokenizedPrompts {
    at::Tensor ids;   // [B, length] int64, <pad> after the tokens
    at::Tensor mask;  // [B, length] int64, 1 on tokens (</s> included), 0 on padding
};

class UMT5Tokenizer {
public:
    static constexpr std::int64_t kTextLength = 512;  // Wan's text_len

    // A spiece.model or tokenizer.json, told apart by content; a folder: its tokenizer.json,
    // else its spiece.model. Throws UserError naming the file when it is missing, unreadable
    // or not a Unigram SentencePiece tokenizer.
    static UMT5Tokenizer open(const std::filesystem::path& path);
    // A serialized sentencepiece ModelProto (the bytes of a spiece.model); `source` names it
    // in messages. Throws UserError when it cannot be read.
    static UMT5Tokenizer fromModelProto(std::string_view serialized, const std::string& source,
                                        std::map<std::string, std::int64_t> specialTokens = {});

    UMT5Tokenizer(UMT5Tokenizer&&) noexcept;
    UMT5Tokenizer& operator=(UMT5Tokenizer&&) noexcept;
    ~UMT5Tokenizer();

    // The ids of one prompt after cleaning, </s> included; neither truncated nor padded.
    std::vector<std::int64_t> encode(std::string_view prompt) const;
    // Every prompt encoded; one longer than `length` keeps its first length-1 ids and </s>;
    // then padded to `length`: what the reference's tokenizer call returns.
    TokenizedPrompts tokenize(const std::vector<std::string>& prompts,
                              std::int64_t length = kTextLength) const;
    // The text of `ids`, <pad>, </s> and other control ids left out.
    std::string decode(const std::vector<std::int64_t>& ids) const;

    std::int64_t padId() const { return padId_; }
    std::int64_t eosId() const { return eosId_; }
    std::int64_t unkId() const { return unkId_; }
    // Pieces in the SentencePiece model (special tokens beyond it not counted).
    std::int64_t pieceCount() const;
    // The id of a piece, or of a special token; -1 when there is none.
    std::int64_t idOf(std::string_view piece) const;

private:
    UMT5Tokenizer() = default;
    void encodeText(std::string_view text, std::vector<std::int64_t>& ids) const;

    std::unique_ptr<UnigramProcessor> processor_;
    std::map<std::string, std::int64_t, std::less<>> specialTokens_;
    std::string source_;
    std::int64_t padId_ = 0;
    std::int64_t eosId_ = 1;
    std::int64_t unkId_ = 2;
};

}  // namespace storyreel::infer::wan
