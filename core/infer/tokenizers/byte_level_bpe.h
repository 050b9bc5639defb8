// ByteLevelBpeTokenizer: a Hugging Face tokenizer.json of Llama 3's kind, encoded as the
// tokenizers library (0.22, what transformers' fast tokenizer runs) does: added tokens
// (<|begin_of_text|>, <|start_header_id|>, LLaVA's <image>, ...) cut out of the raw text first;
// the rest split by the pre-tokenizer Sequence[Split(Llama 3 regex, Isolated),
// ByteLevel(use_regex false)], each piece spelled in the byte-level alphabet and merged by the
// BPE model (ignore_merges as the file says); the post-processor's TemplateProcessing
// (<|begin_of_text|> $A) when special tokens are asked for. No normalizer (Llama 3 has none).
// Reads the file as users download it (Meta-Llama-3 or xtuner/llava-llama-3-8b-v1_1-
// transformers tokenizer.json).
//
//   const auto tok = ByteLevelBpeTokenizer::fromTokenizerJson(dir / "tokenizer.json");
//   std::vector<std::int64_t> ids = tok.encode("a cat surfing");  // 128000 64 8415 58840
//   PaddedIds padded = tok.encodePadded(text, 359, tok.tokenToId("<pad>"));
//
// Thread-safety: const methods from any thread.
#pragma once

#include "core/infer/tokenizers/added_tokens.h"
#include "core/infer/tokenizers/bpe_model.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer {

// ids and attention mask of one text, truncated and padded to a fixed length.
struct PaddedIds {
    std::vector<std::int64_t> ids;
    std::vector<std::int64_t> mask;  // 1 on tokens, 0 on padding
};

class ByteLevelBpeTokenizer {
public:
    // A tokenizer.json, or a folder holding one (the checkpoint's text_encoder_i2v/).
    // Throws UserError naming the file when it is missing, not JSON, not a byte-level BPE
    // tokenizer of this kind (another model type, a normalizer, a pre-tokenizer other than
    // Llama 3's), or malformed (bad vocabulary, merges or added tokens).
    static ByteLevelBpeTokenizer fromTokenizerJson(const std::filesystem::path& path);
    // The same from the file's text; `source` names it in messages.
    static ByteLevelBpeTokenizer fromJsonText(std::string_view json, const std::string& source);

    ByteLevelBpeTokenizer(ByteLevelBpeTokenizer&&) noexcept;
    ByteLevelBpeTokenizer& operator=(ByteLevelBpeTokenizer&&) noexcept;
    ~ByteLevelBpeTokenizer();

    // The ids of `text` (UTF-8; invalid bytes become U+FFFD); with the post-processor's
    // special tokens when `addSpecial`.
    std::vector<std::int64_t> encode(std::string_view text, bool addSpecial = true) const;
    // tokenizer(text, truncation=True, max_length=length, padding="max_length"): the text's
    // ids cut to leave room for the special tokens, the special tokens added, then `padId`
    // up to `length` (right padding). Throws std::invalid_argument when length cannot hold
    // the special tokens.
    PaddedIds encodePadded(std::string_view text, std::size_t length, std::int64_t padId,
                           bool addSpecial = true) const;
    // The text of `ids` (ids that are neither vocabulary nor added tokens are skipped;
    // special tokens too when `skipSpecial`).
    std::string decode(const std::vector<std::int64_t>& ids, bool skipSpecial = false) const;

    // -1 when neither an added token nor a vocabulary entry.
    std::int64_t tokenToId(std::string_view token) const;
    std::optional<std::string> idToToken(std::int64_t id) const;
    // Makes `content` an added (special) token with `id`, as a checkpoint's tokenizer does for
    // LLaVA's <image>; it then matches before the model in encode().
    void addSpecialToken(const std::string& content, std::int64_t id);

    // Ids the post-processor puts before and after the text.
    const std::vector<std::int64_t>& prefixIds() const { return prefixIds_; }
    const std::vector<std::int64_t>& suffixIds() const { return suffixIds_; }
    const BpeModel& model() const { return *bpe_; }
    const std::string& source() const { return source_; }

private:
    ByteLevelBpeTokenizer() = default;
    void encodeText(std::string_view text, std::vector<std::int64_t>& ids) const;

    std::unique_ptr<BpeModel> bpe_;
    AddedTokens added_;
    std::vector<std::int64_t> prefixIds_;
    std::vector<std::int64_t> suffixIds_;
    std::string source_;
};

}  // namespace storyreel::infer
