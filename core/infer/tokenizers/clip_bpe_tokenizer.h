// ClipBpeTokenizer: the CLIP text tokenizer (openai/clip-vit-large-patch14, HunyuanVideo-I2V's
// text_encoder_2) as transformers' CLIPTokenizer v4.39.3 runs it: <|startoftext|> and
// <|endoftext|> written in the prompt become their ids; the rest is cleaned (cleanClipText:
// ftfy's common fixes, whitespace collapsed, lowercased), split by CLIP's regex, each piece
// spelled in the byte-level alphabet with "</w>" on its last character and merged by BPE;
// then bos 49406 + ids + eos 49407, truncated to keep the eos and padded with <|endoftext|>
// to 77, with the attention mask. Reads the files as users download them: vocab.json +
// merges.txt (the slow tokenizer's files; merges past line 48894 are ignored as it does),
// or a tokenizer.json with the same BPE model.
//
//   const auto clip = ClipBpeTokenizer::fromFiles(dir / "vocab.json", dir / "merges.txt");
//   PaddedIds t = clip.encodePadded("a cat surfing");  // 49406 ... 49407 49407 ..., mask
//
// Thread-safety: const methods from any thread.
#pragma once

#include "core/infer/tokenizers/added_tokens.h"
#include "core/infer/tokenizers/bpe_model.h"
#include "core/infer/tokenizers/byte_level_bpe.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer {

class ClipBpeTokenizer {
public:
    static constexpr std::size_t kLength = 77;  // text_len_2, CLIP's context length

    // Throws UserError naming the file when one is missing, not JSON, malformed (a merge
    // line that is not two tokens, a merge outside the vocabulary) or lacks
    // <|startoftext|> / <|endoftext|>.
    static ClipBpeTokenizer fromFiles(const std::filesystem::path& vocabJson,
                                      const std::filesystem::path& mergesTxt);
    static ClipBpeTokenizer fromTokenizerJson(const std::filesystem::path& path);
    // A folder: its vocab.json + merges.txt, else its tokenizer.json.
    static ClipBpeTokenizer open(const std::filesystem::path& folder);
    // From the files' text; the sources name them in messages.
    static ClipBpeTokenizer fromText(std::string_view vocabJson, const std::string& vocabSource,
                                     std::string_view mergesTxt, const std::string& mergesSource);

    ClipBpeTokenizer(ClipBpeTokenizer&&) noexcept;
    ClipBpeTokenizer& operator=(ClipBpeTokenizer&&) noexcept;
    ~ClipBpeTokenizer();

    // bos + the prompt's ids + eos when `addSpecial`; neither truncated nor padded.
    std::vector<std::int64_t> encode(std::string_view text, bool addSpecial = true) const;
    // tokenizer(text, truncation=True, max_length=length, padding="max_length"): bos, at most
    // length-2 of the prompt's ids, eos, then <|endoftext|> padding; mask 1 up to the eos.
    PaddedIds encodePadded(std::string_view text, std::size_t length = kLength) const;
    // The text of `ids`: "</w>" becomes a space, bos/eos/pad left out when `skipSpecial`.
    std::string decode(const std::vector<std::int64_t>& ids, bool skipSpecial = true) const;

    std::int64_t tokenToId(std::string_view token) const;
    std::int64_t bosId() const { return bosId_; }
    std::int64_t eosId() const { return eosId_; }
    std::int64_t padId() const { return eosId_; }
    const BpeModel& model() const { return *bpe_; }

private:
    ClipBpeTokenizer() = default;
    void finish(const std::string& source);

    std::unique_ptr<BpeModel> bpe_;
    AddedTokens added_;
    std::int64_t bosId_ = -1;
    std::int64_t eosId_ = -1;
};

}  // namespace storyreel::infer
