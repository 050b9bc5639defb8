// Reading the parts of a Hugging Face tokenizer.json that byte-level BPE tokenizers share:
// the "model" entry of type BPE (vocab, merges as "a b" strings or [a, b] pairs,
// end_of_word_suffix, ignore_merges, unk_token) into a BpeModel, and "added_tokens".
//
//   const JsonValue root = readTokenizerJson(path);
//   std::unique_ptr<BpeModel> bpe = bpeModelFromJson(requireField(root, "model", name), name);
//   std::vector<AddedToken> added = addedTokensFromJson(root, name);
//
// Thread-safety: pure functions.
#pragma once

#include "core/infer/tokenizers/bpe_model.h"
#include "core/infer/weights/json_value.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace storyreel::infer {

struct AddedToken {
    std::string content;
    std::int64_t id = -1;
    bool special = false;
    bool lstrip = false;  // takes the whitespace before it
    bool rstrip = false;  // takes the whitespace after it
};

// Throws UserError naming `source` when the model is not BPE, or a field is malformed, or a
// merge does not fit the vocabulary. byte_fallback and continuing_subword_prefix are refused
// (no byte-level BPE tokenizer this project reads has them).
std::unique_ptr<BpeModel> bpeModelFromJson(const JsonValue& model, const std::string& source);
// Merges from the lines of a merges.txt ("a b" per line); `source` names it in messages.
std::vector<std::pair<std::string, std::string>> mergesFromText(std::string_view text,
                                                                const std::string& source,
                                                                std::size_t firstLine,
                                                                std::size_t endLine);
// A vocab.json object (token -> id).
std::unordered_map<std::string, std::int64_t> vocabFromJson(const JsonValue& vocab,
                                                            const std::string& source);
// The "added_tokens" array (absent: none).
std::vector<AddedToken> addedTokensFromJson(const JsonValue& root, const std::string& source);

}  // namespace storyreel::infer
