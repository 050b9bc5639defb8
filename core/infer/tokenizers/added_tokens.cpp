#include "core/infer/tokenizers/added_tokens.h"

#include <algorithm>

namespace storyreel::infer {
namespace {

bool isAsciiSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace

AddedTokens::AddedTokens(std::vector<AddedToken> tokens) {
    for (AddedToken& token : tokens) {
        add(std::move(token));
    }
}

void AddedTokens::add(AddedToken token) {
    const auto same = std::find_if(tokens_.begin(), tokens_.end(),
                                   [&](const AddedToken& t) { return t.content == token.content; });
    if (same != tokens_.end()) {
        *same = std::move(token);
    } else {
        tokens_.push_back(std::move(token));
    }
    index();
}

void AddedTokens::index() {
    byFirstByte_.clear();
    byId_.clear();
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
        byFirstByte_[static_cast<unsigned char>(tokens_[i].content.front())].push_back(i);
        byId_[tokens_[i].id] = i;
    }
    for (auto& [byte, indices] : byFirstByte_) {
        std::stable_sort(indices.begin(), indices.end(), [&](std::size_t a, std::size_t b) {
            return tokens_[a].content.size() > tokens_[b].content.size();
        });
    }
}

const AddedToken* AddedTokens::find(std::string_view content) const {
    for (const AddedToken& token : tokens_) {
        if (token.content == content) {
            return &token;
        }
    }
    return nullptr;
}

const AddedToken* AddedTokens::findId(std::int64_t id) const {
    const auto found = byId_.find(id);
    return found != byId_.end() ? &tokens_[found->second] : nullptr;
}

std::vector<TextPart> AddedTokens::split(std::string_view text) const {
    std::vector<TextPart> parts;
    std::size_t plainStart = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto candidates = byFirstByte_.find(static_cast<unsigned char>(text[i]));
        const AddedToken* matched = nullptr;
        if (candidates != byFirstByte_.end()) {
            for (const std::size_t index : candidates->second) {
                const std::string& content = tokens_[index].content;
                if (text.compare(i, content.size(), content) == 0) {
                    matched = &tokens_[index];
                    break;
                }
            }
        }
        if (matched == nullptr) {
            ++i;
            continue;
        }
        std::size_t begin = i;
        std::size_t end = i + matched->content.size();
        if (matched->lstrip) {
            while (begin > plainStart && isAsciiSpace(text[begin - 1])) {
                --begin;
            }
        }
        if (matched->rstrip) {
            while (end < text.size() && isAsciiSpace(text[end])) {
                ++end;
            }
        }
        if (begin > plainStart) {
            parts.push_back(TextPart{text.substr(plainStart, begin - plainStart), -1});
        }
        parts.push_back(TextPart{text.substr(begin, end - begin), matched->id});
        i = end;
        plainStart = end;
    }
    if (plainStart < text.size()) {
        parts.push_back(TextPart{text.substr(plainStart), -1});
    }
    return parts;
}

}  // namespace storyreel::infer
