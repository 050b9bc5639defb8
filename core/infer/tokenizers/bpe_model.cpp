#include "core/infer/tokenizers/bpe_model.h"

#include <queue>

#include <algorithm>
#include <stdexcept>

namespace storyreel::infer {
namespace {

std::size_t utf8Length(unsigned char lead) {
    if (lead < 0x80) {
        return 1;
    }
    if ((lead & 0xE0) == 0xC0) {
        return 2;
    }
    if ((lead & 0xF0) == 0xE0) {
        return 3;
    }
    if ((lead & 0xF8) == 0xF0) {
        return 4;
    }
    return 1;  // a stray continuation byte stands alone
}

struct Symbol {
    std::int64_t id;
    std::int64_t prev;
    std::int64_t next;
    bool alive;
};

// A candidate merge of the symbol at `pos` with the next one; lowest rank first, then
// leftmost (tokenizers' Merge ordering).
struct Candidate {
    std::int32_t rank;
    std::int64_t pos;
    std::int64_t newId;
    bool operator>(const Candidate& other) const {
        return rank != other.rank ? rank > other.rank : pos > other.pos;
    }
};

}  // namespace

BpeModel::BpeModel(std::unordered_map<std::string, std::int64_t> vocab,
                   const std::vector<std::pair<std::string, std::string>>& merges, Options options)
    : vocab_(std::move(vocab)), options_(std::move(options)) {
    tokens_.reserve(vocab_.size());
    for (const auto& [token, id] : vocab_) {
        if (id < 0 || id >= (std::int64_t{1} << 31)) {
            throw std::runtime_error("the vocabulary entry \"" + token + "\" has the id " +
                                     std::to_string(id) + ", outside 0..2^31-1");
        }
        tokens_.emplace(id, token);
    }
    merges_.reserve(merges.size());
    for (std::size_t rank = 0; rank < merges.size(); ++rank) {
        const auto& [left, right] = merges[rank];
        const std::int64_t leftId = idOf(left);
        const std::int64_t rightId = idOf(right);
        const std::int64_t newId = idOf(left + right);
        if (leftId < 0 || rightId < 0 || newId < 0) {
            const std::string& missing = leftId < 0 ? left : rightId < 0 ? right : left + right;
            throw std::runtime_error("merge " + std::to_string(rank) + " (\"" + left + " " + right +
                                     "\") needs \"" + missing +
                                     "\", which is not in the vocabulary");
        }
        // A pair listed twice keeps its last rank, as tokenizers' and CLIP's maps do.
        merges_.insert_or_assign(pairKey(leftId, rightId),
                                 Merge{static_cast<std::int32_t>(rank), newId});
    }
}

std::int64_t BpeModel::idOf(const std::string& token) const {
    const auto found = vocab_.find(token);
    return found != vocab_.end() ? found->second : -1;
}

const std::string* BpeModel::tokenOf(std::int64_t id) const {
    const auto found = tokens_.find(id);
    return found != tokens_.end() ? &found->second : nullptr;
}

void BpeModel::encodeWord(std::string_view word, std::vector<std::int64_t>& ids) const {
    if (word.empty()) {
        return;
    }
    if (options_.ignoreMerges) {
        if (const std::int64_t id = idOf(std::string(word)); id >= 0) {
            ids.push_back(id);
            return;
        }
    }
    const std::string key(word);
    {
        const std::lock_guard<std::mutex> lock(cacheMutex_);
        if (const auto found = cache_.find(key); found != cache_.end()) {
            ids.insert(ids.end(), found->second.begin(), found->second.end());
            return;
        }
    }
    std::vector<std::int64_t> merged = mergeWord(word);
    ids.insert(ids.end(), merged.begin(), merged.end());
    const std::lock_guard<std::mutex> lock(cacheMutex_);
    if (cache_.size() >= options_.cacheCapacity) {
        cache_.clear();
    }
    cache_.emplace(key, std::move(merged));
}

std::vector<std::int64_t> BpeModel::mergeWord(std::string_view word) const {
    // The characters as symbols; the last carries the end-of-word suffix.
    std::vector<Symbol> symbols;
    symbols.reserve(word.size());
    std::size_t i = 0;
    while (i < word.size()) {
        std::size_t length = utf8Length(static_cast<unsigned char>(word[i]));
        length = std::min(length, word.size() - i);
        std::string piece(word.substr(i, length));
        i += length;
        if (i == word.size()) {
            piece += options_.endOfWordSuffix;
        }
        std::int64_t id = idOf(piece);
        if (id < 0) {
            id = options_.unknownId;
        }
        if (id < 0) {
            continue;  // no unknown token: the character is dropped
        }
        const auto index = static_cast<std::int64_t>(symbols.size());
        symbols.push_back(Symbol{id, index - 1, -1, true});
        if (index > 0) {
            symbols[static_cast<std::size_t>(index - 1)].next = index;
        }
    }
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
    const auto consider = [&](std::int64_t pos) {
        const Symbol& left = symbols[static_cast<std::size_t>(pos)];
        if (left.next < 0) {
            return;
        }
        const Symbol& right = symbols[static_cast<std::size_t>(left.next)];
        if (const auto found = merges_.find(pairKey(left.id, right.id)); found != merges_.end()) {
            queue.push(Candidate{found->second.rank, pos, found->second.newId});
        }
    };
    for (std::size_t pos = 0; pos + 1 < symbols.size(); ++pos) {
        consider(static_cast<std::int64_t>(pos));
    }
    while (!queue.empty()) {
        const Candidate top = queue.top();
        queue.pop();
        Symbol& left = symbols[static_cast<std::size_t>(top.pos)];
        if (!left.alive || left.next < 0) {
            continue;
        }
        Symbol& right = symbols[static_cast<std::size_t>(left.next)];
        // Stale when either symbol changed since the candidate was queued.
        const auto current = merges_.find(pairKey(left.id, right.id));
        if (current == merges_.end() || current->second.newId != top.newId) {
            continue;
        }
        left.id = top.newId;
        right.alive = false;
        left.next = right.next;
        if (right.next >= 0) {
            symbols[static_cast<std::size_t>(right.next)].prev = top.pos;
        }
        if (left.prev >= 0) {
            consider(left.prev);
        }
        consider(top.pos);
    }
    std::vector<std::int64_t> ids;
    for (const Symbol& symbol : symbols) {
        if (symbol.alive) {
            ids.push_back(symbol.id);
        }
    }
    return ids;
}

}  // namespace storyreel::infer
