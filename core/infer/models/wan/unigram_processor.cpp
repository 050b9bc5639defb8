#include "core/infer/models/wan/unigram_processor.h"

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace storyreel::infer::wan {
namespace {

constexpr std::string_view kSpaceSymbol = "\xE2\x96\x81";  // U+2581
constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";
constexpr float kUnknownPenalty = 10.0f;  // unigram_model.cc kUnkPenalty

// string_util::OneCharLen: the length of a UTF-8 sequence from its first byte.
std::size_t oneCharLength(char first) {
    static constexpr std::size_t kLengths[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
    return kLengths[(static_cast<unsigned char>(first) >> 4) & 0xF];
}

// The length of the valid UTF-8 character at the start of `text`, 0 when it is malformed
// (string_util::DecodeUTF8's rules: no overlong forms, surrogates or values past U+10FFFF).
std::size_t validCharLength(std::string_view text) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const std::size_t length = oneCharLength(text[0]);
    if (byte(0) < 0x80) {
        return 1;
    }
    if ((byte(0) & 0xC0) == 0x80 || byte(0) >= 0xF8 || length > text.size()) {
        return 0;
    }
    std::uint32_t value = byte(0) & (0x7F >> length);
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xC0) != 0x80) {
            return 0;
        }
        value = (value << 6) | (byte(i) & 0x3F);
    }
    static constexpr std::uint32_t kMinimum[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (value < kMinimum[length] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
        return 0;
    }
    return length;
}

// darts-clone DoubleArrayUnit accessors.
bool hasLeaf(std::uint32_t unit) {
    return ((unit >> 8) & 1) == 1;
}
std::uint32_t unitValue(std::uint32_t unit) {
    return unit & ((1U << 31) - 1);
}
std::uint32_t unitLabel(std::uint32_t unit) {
    return unit & ((1U << 31) | 0xFF);
}
std::uint32_t unitOffset(std::uint32_t unit) {
    return (unit >> 10) << ((unit & (1U << 9)) >> 6);
}

}  // namespace

UnigramProcessor::UnigramProcessor(SentencePieceModel model) : model_(std::move(model)) {
    minScore_ = FLT_MAX;
    maxScore_ = FLT_MIN;
    for (std::size_t i = 0; i < model_.pieces.size(); ++i) {
        const auto id = static_cast<std::int64_t>(i);
        const SentencePieceModel::Piece& p = model_.pieces[i];
        ids_.emplace(p.text, id);
        switch (p.type) {
            case SentencePieceModel::PieceType::Normal:
                minScore_ = std::min(minScore_, p.score);
                maxScore_ = std::max(maxScore_, p.score);
                [[fallthrough]];
            case SentencePieceModel::PieceType::UserDefined:
            case SentencePieceModel::PieceType::Unused:
                segmentable_.emplace(p.text, id);
                longestPieceBytes_ = std::max(longestPieceBytes_, p.text.size());
                if (p.type == SentencePieceModel::PieceType::UserDefined) {
                    userDefined_.push_back(p.text);
                }
                break;
            case SentencePieceModel::PieceType::Unknown:
                unkId_ = id;
                break;
            default:
                break;
        }
    }
    if (unkId_ < 0) {
        throw std::runtime_error("the model has no unknown piece");
    }
    // normalizer.cc DecodePrecompiledCharsMap: [trie size: u32 LE][trie units][strings].
    const std::string& blob = model_.precompiledCharsmap;
    if (!blob.empty()) {
        if (blob.size() < 4) {
            throw std::runtime_error("the precompiled character map is truncated");
        }
        std::uint32_t trieBytes = 0;
        for (int i = 0; i < 4; ++i) {
            trieBytes |= static_cast<std::uint32_t>(static_cast<unsigned char>(blob[i])) << (8 * i);
        }
        if (trieBytes % 4 != 0 || trieBytes >= blob.size() - 4) {
            throw std::runtime_error("the precompiled character map is malformed");
        }
        charsmapUnits_.resize(trieBytes / 4);
        for (std::size_t u = 0; u < charsmapUnits_.size(); ++u) {
            std::uint32_t unit = 0;
            for (std::size_t i = 0; i < 4; ++i) {
                unit |= static_cast<std::uint32_t>(static_cast<unsigned char>(blob[4 + 4 * u + i]))
                        << (8 * i);
            }
            charsmapUnits_[u] = unit;
        }
        charsmapStrings_ = std::string_view(blob).substr(4 + trieBytes);
    }
}

std::int64_t UnigramProcessor::idOf(std::string_view piece) const {
    const auto found = ids_.find(piece);
    return found != ids_.end() ? found->second : -1;
}

const SentencePieceModel::Piece& UnigramProcessor::piece(std::int64_t id) const {
    return model_.pieces.at(static_cast<std::size_t>(id));
}

std::pair<std::string_view, std::size_t> UnigramProcessor::normalizePrefix(
    std::string_view input) const {
    // User-defined symbols pass through unnormalised.
    std::size_t userLength = 0;
    for (const std::string_view symbol : userDefined_) {
        if (symbol.size() > userLength && input.substr(0, symbol.size()) == symbol) {
            userLength = symbol.size();
        }
    }
    if (userLength > 0) {
        return {input.substr(0, userLength), userLength};
    }
    // darts-clone commonPrefixSearch, keeping the longest match.
    std::size_t longestLength = 0;
    std::uint32_t longestValue = 0;
    if (!charsmapUnits_.empty()) {
        std::size_t node = unitOffset(charsmapUnits_[0]);
        for (std::size_t i = 0; i < input.size(); ++i) {
            const auto label = static_cast<unsigned char>(input[i]);
            node ^= label;
            if (node >= charsmapUnits_.size()) {
                break;
            }
            const std::uint32_t unit = charsmapUnits_[node];
            if (unitLabel(unit) != label) {
                break;
            }
            node ^= unitOffset(unit);
            if (node >= charsmapUnits_.size()) {
                break;
            }
            if (hasLeaf(unit)) {
                longestLength = i + 1;
                longestValue = unitValue(charsmapUnits_[node]);
            }
        }
    }
    if (longestLength == 0) {
        const std::size_t length = validCharLength(input);
        if (length == 0) {
            return {kReplacementCharacter, 1};
        }
        return {input.substr(0, length), length};
    }
    if (longestValue >= charsmapStrings_.size()) {
        throw std::runtime_error("the precompiled character map points outside its strings");
    }
    const std::string_view rest = charsmapStrings_.substr(longestValue);
    return {rest.substr(0, rest.find('\0')), longestLength};
}

std::string UnigramProcessor::normalize(std::string_view input) const {
    std::string normalized;
    const bool removeExtra = model_.removeExtraWhitespaces;
    if (removeExtra) {  // leading spaces
        while (!input.empty()) {
            const auto [replacement, used] = normalizePrefix(input);
            if (replacement != " ") {
                break;
            }
            input.remove_prefix(used);
        }
    }
    if (input.empty()) {
        return normalized;
    }
    const std::string_view space = model_.escapeWhitespaces ? kSpaceSymbol : " ";
    if (model_.addDummyPrefix) {
        normalized.append(space);
    }
    bool previousIsSpace = removeExtra;
    while (!input.empty()) {
        auto [replacement, used] = normalizePrefix(input);
        while (previousIsSpace && !replacement.empty() && replacement.front() == ' ') {
            replacement.remove_prefix(1);
        }
        if (!replacement.empty()) {
            for (const char c : replacement) {
                if (model_.escapeWhitespaces && c == ' ') {
                    normalized.append(kSpaceSymbol);
                } else {
                    normalized.push_back(c);
                }
            }
            previousIsSpace = replacement.back() == ' ';
        }
        input.remove_prefix(used);
        previousIsSpace = previousIsSpace && removeExtra;
    }
    if (removeExtra) {  // trailing spaces
        while (normalized.size() >= space.size() &&
               std::string_view(normalized).substr(normalized.size() - space.size()) == space) {
            normalized.resize(normalized.size() - space.size());
        }
    }
    return normalized;
}

std::vector<std::int64_t> UnigramProcessor::encode(std::string_view text) const {
    const std::string normalized = normalize(text);
    // Character boundaries of the normalised text.
    std::vector<std::size_t> offsets;
    for (std::size_t at = 0; at < normalized.size();
         at += std::min(oneCharLength(normalized[at]), normalized.size() - at)) {
        offsets.push_back(at);
    }
    const std::size_t chars = offsets.size();
    offsets.push_back(normalized.size());

    // The lattice: nodes by begin position, each knowing its end, id and score, and the
    // nodes ending at each position in insertion order (what Lattice::Viterbi iterates).
    struct Node {
        std::size_t begin = 0;
        std::size_t end = 0;
        std::int64_t id = 0;
        float score = 0.0f;
        float backtrace = 0.0f;
        std::ptrdiff_t previous = -1;  // -1: the BOS node
    };
    std::vector<Node> nodes;
    std::vector<std::vector<std::size_t>> endingAt(chars + 1);
    const float unknownScore = minScore_ - kUnknownPenalty;
    for (std::size_t begin = 0; begin < chars; ++begin) {
        bool hasSingle = false;
        for (std::size_t end = begin + 1; end <= chars; ++end) {
            const std::size_t bytes = offsets[end] - offsets[begin];
            if (bytes > longestPieceBytes_) {
                break;
            }
            const auto found =
                segmentable_.find(std::string_view(normalized).substr(offsets[begin], bytes));
            if (found == segmentable_.end()) {
                continue;
            }
            const SentencePieceModel::Piece& p = piece(found->second);
            if (p.type == SentencePieceModel::PieceType::Unused) {
                continue;
            }
            const float score = p.type == SentencePieceModel::PieceType::UserDefined
                                    ? static_cast<float>(end - begin) * maxScore_ - 0.1f
                                    : p.score;
            endingAt[end].push_back(nodes.size());
            nodes.push_back({begin, end, found->second, score});
            hasSingle = hasSingle || end == begin + 1;
        }
        if (!hasSingle) {
            endingAt[begin + 1].push_back(nodes.size());
            nodes.push_back({begin, begin + 1, unkId_, unknownScore});
        }
    }
    // Viterbi in node order (nodes were inserted by begin position): the best left
    // neighbour of each node, the first one on ties, scores summed in float32.
    const auto bestEndingAt = [&](std::size_t position, float add, float& best) {
        std::ptrdiff_t bestNode = -1;
        best = 0.0f;
        if (position == 0) {
            best = add;  // the BOS node, score 0
            return bestNode;
        }
        bool any = false;
        for (const std::size_t left : endingAt[position]) {
            const float score = nodes[left].backtrace + add;
            if (!any || score > best) {
                best = score;
                bestNode = static_cast<std::ptrdiff_t>(left);
                any = true;
            }
        }
        return bestNode;
    };
    for (Node& node : nodes) {
        node.previous = bestEndingAt(node.begin, node.score, node.backtrace);
    }
    std::vector<std::int64_t> path;
    float finalScore = 0.0f;
    for (std::ptrdiff_t at = chars == 0 ? -1 : bestEndingAt(chars, 0.0f, finalScore); at >= 0;
         at = nodes[static_cast<std::size_t>(at)].previous) {
        path.push_back(static_cast<std::int64_t>(at));
    }
    std::reverse(path.begin(), path.end());

    // sentencepiece_processor.cc: runs of unknown pieces become one; with byte fallback an
    // unknown surface becomes its bytes.
    std::vector<std::int64_t> ids;
    bool previousUnknown = false;
    for (const std::int64_t index : path) {
        const Node& node = nodes[static_cast<std::size_t>(index)];
        const bool unknown = node.id == unkId_;
        if (unknown && model_.byteFallback) {
            const std::string_view surface =
                std::string_view(normalized)
                    .substr(offsets[node.begin], offsets[node.end] - offsets[node.begin]);
            for (const char c : surface) {
                char name[8];
                std::snprintf(name, sizeof name, "<0x%02X>", static_cast<unsigned char>(c));
                const std::int64_t byteId = idOf(name);
                ids.push_back(byteId >= 0 ? byteId : unkId_);
            }
        } else if (!(unknown && previousUnknown)) {
            ids.push_back(node.id);
        }
        previousUnknown = unknown;
    }
    return ids;
}

std::string UnigramProcessor::decode(const std::vector<std::int64_t>& ids) const {
    std::string text;
    std::string bytes;  // pending <0xXX> pieces
    bool atStart = true;
    const auto append = [&](std::string_view piece) {
        std::string out;
        if (atStart && model_.addDummyPrefix &&
            piece.substr(0, kSpaceSymbol.size()) == kSpaceSymbol) {
            piece.remove_prefix(kSpaceSymbol.size());
        }
        for (std::size_t i = 0; i < piece.size();) {
            if (piece.substr(i, kSpaceSymbol.size()) == kSpaceSymbol) {
                out.push_back(' ');
                i += kSpaceSymbol.size();
            } else {
                out.push_back(piece[i]);
                ++i;
            }
        }
        text += out;
        atStart = atStart && text.empty();
    };
    const auto flushBytes = [&] {
        if (!bytes.empty()) {
            append(bytes);
            bytes.clear();
        }
    };
    for (const std::int64_t id : ids) {
        if (id < 0 || id >= pieceCount()) {
            continue;
        }
        const SentencePieceModel::Piece& p = piece(id);
        if (p.type == SentencePieceModel::PieceType::Byte) {
            bytes.push_back(static_cast<char>(std::stoi(p.text.substr(3, 2), nullptr, 16)));
            continue;
        }
        flushBytes();
        if (p.type == SentencePieceModel::PieceType::Control) {
            continue;
        }
        if (p.type == SentencePieceModel::PieceType::Unknown) {
            text += model_.unknownSurface;
            atStart = false;
            continue;
        }
        append(p.text);
    }
    flushBytes();
    return text;
}

}  // namespace storyreel::infer::wan
