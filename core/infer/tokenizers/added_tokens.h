// AddedTokens: the added tokens of a tokenizer (tokenizer.json "added_tokens": Llama 3's
// <|begin_of_text|>, <|start_header_id|>, ..., LLaVA's <image>) found in the text before the
// model sees it, as Hugging Face tokenizers' AddedVocabulary does: leftmost-longest matches
// on the raw text; lstrip/rstrip tokens take the (ASCII) whitespace beside them.
//
//   AddedTokens added(addedTokensFromJson(root, name));
//   for (const TextPart& part : added.split(text)) part.id >= 0 ? ids.push_back(part.id) : ...;
//
// Thread-safety: const methods from any thread.
#pragma once

#include "core/infer/tokenizers/bpe_json.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace storyreel::infer {

struct TextPart {
    std::string_view text;
    std::int64_t id = -1;  // the added token's id; -1 for text between added tokens
};

class AddedTokens {
public:
    AddedTokens() = default;
    explicit AddedTokens(std::vector<AddedToken> tokens);

    // A token with the same content replaces the earlier one.
    void add(AddedToken token);
    std::vector<TextPart> split(std::string_view text) const;

    const AddedToken* find(std::string_view content) const;
    const AddedToken* findId(std::int64_t id) const;
    std::size_t size() const { return tokens_.size(); }

private:
    void index();

    std::vector<AddedToken> tokens_;
    // Indices into tokens_ by first byte, longest content first.
    std::unordered_map<unsigned char, std::vector<std::size_t>> byFirstByte_;
    std::unordered_map<std::int64_t, std::size_t> byId_;
};

}  // namespace storyreel::infer
