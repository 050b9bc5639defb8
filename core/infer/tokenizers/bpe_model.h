// BpeModel: the BPE model of Hugging Face tokenizers (models/bpe) and of CLIP's
// SimpleTokenizer: a vocabulary, merges ranked by their order, and the merging of one
// pre-tokenized word: its characters start as symbols and the adjacent pair with the lowest
// merge rank is merged (the leftmost when a pair occurs more than once) until no pair has a
// merge. Optional, as the file says: an end-of-word suffix on the last character (CLIP's
// "</w>"), ignore_merges (a word that is a vocabulary entry is that entry, as tiktoken does
// for Llama 3), an unknown token for characters outside the vocabulary (CLIP; without one
// they are dropped, as tokenizers does). Words are cached, so long prompts of repeated words
// cost one merge each; merging a word is O(n log n) with a heap, so a word thousands of
// characters long (one run of letters) is still fast.
//
//   BpeModel bpe(vocab, merges, {.endOfWordSuffix = "</w>"});
//   std::vector<std::int64_t> ids;
//   bpe.encodeWord("hello", ids);
//
// Thread-safety: const methods from any thread (the cache has its own lock).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace storyreel::infer {

class BpeModel {
public:
    struct Options {
        std::string endOfWordSuffix;
        bool ignoreMerges = false;
        // -1: characters outside the vocabulary are dropped.
        std::int64_t unknownId = -1;
        std::size_t cacheCapacity = 10000;
    };

    // `merges` in rank order (rank 0 first). Throws std::runtime_error saying which merge
    // names a token outside the vocabulary, or makes one; callers add the file's name.
    BpeModel(std::unordered_map<std::string, std::int64_t> vocab,
             const std::vector<std::pair<std::string, std::string>>& merges, Options options);

    BpeModel(const BpeModel&) = delete;
    BpeModel& operator=(const BpeModel&) = delete;

    // Appends the ids of one word, spelled in the vocabulary's alphabet (the suffix is added
    // here, not by the caller).
    void encodeWord(std::string_view word, std::vector<std::int64_t>& ids) const;

    // -1 when the token is not in the vocabulary.
    std::int64_t idOf(const std::string& token) const;
    // nullptr when no vocabulary entry has this id.
    const std::string* tokenOf(std::int64_t id) const;
    std::size_t vocabSize() const { return vocab_.size(); }
    std::size_t mergeCount() const { return merges_.size(); }
    const Options& options() const { return options_; }

private:
    struct Merge {
        std::int32_t rank;
        std::int64_t newId;
    };
    static std::uint64_t pairKey(std::int64_t left, std::int64_t right) {
        return (static_cast<std::uint64_t>(left) << 32) ^ static_cast<std::uint64_t>(right);
    }
    std::vector<std::int64_t> mergeWord(std::string_view word) const;

    std::unordered_map<std::string, std::int64_t> vocab_;
    std::unordered_map<std::int64_t, std::string> tokens_;
    std::unordered_map<std::uint64_t, Merge> merges_;
    Options options_;

    mutable std::mutex cacheMutex_;
    mutable std::unordered_map<std::string, std::vector<std::int64_t>> cache_;
};

}  // namespace storyreel::infer
