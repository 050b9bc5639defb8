#include "core/infer/tokenizers/pretokenizer_patterns.h"

#include "core/infer/tokenizers/unicode_classes.h"

#include <array>
#include <string_view>

namespace storyreel::infer {
namespace {

bool isLineBreak(char32_t c) {
    return c == U'\r' || c == U'\n';
}

// Case-insensitive code-point equality for the ASCII letters of the contractions; under
// Unicode case folding 's' also matches U+017F LATIN SMALL LETTER LONG S.
bool equalsIgnoringCase(char32_t c, char32_t lower) {
    if (c == lower || c == lower - 32) {
        return true;
    }
    return lower == U's' && c == U'\u017F';
}

// The length of the contraction ('s, 't, 're, 've, 'm, 'll, 'd, tried in that order)
// starting at `pos`, or 0.
std::size_t contraction(const std::u32string& text, std::size_t pos, bool ignoreCase) {
    if (text[pos] != U'\'') {
        return 0;
    }
    static constexpr std::array<std::u32string_view, 7> kSuffixes = {U"s", U"t",  U"re", U"ve",
                                                                     U"m", U"ll", U"d"};
    for (const std::u32string_view suffix : kSuffixes) {
        if (pos + 1 + suffix.size() > text.size()) {
            continue;
        }
        bool match = true;
        for (std::size_t k = 0; k < suffix.size() && match; ++k) {
            const char32_t c = text[pos + 1 + k];
            match = ignoreCase ? equalsIgnoringCase(c, suffix[k]) : c == suffix[k];
        }
        if (match) {
            return 1 + suffix.size();
        }
    }
    return 0;
}

std::size_t llama3MatchAt(const std::u32string& text, std::size_t pos) {
    const std::size_t n = text.size();
    const char32_t c = text[pos];
    // (?i:'s|'t|'re|'ve|'m|'ll|'d)
    if (const std::size_t length = contraction(text, pos, true); length > 0) {
        return length;
    }
    // [^\r\n\p{L}\p{N}]?\p{L}+
    {
        std::size_t k = pos;
        if (!isLineBreak(c) && !isLetter(c) && !isNumber(c) && k + 1 < n && isLetter(text[k + 1])) {
            ++k;
        }
        if (isLetter(text[k])) {
            while (k < n && isLetter(text[k])) {
                ++k;
            }
            return k - pos;
        }
    }
    // \p{N}{1,3}
    if (isNumber(c)) {
        std::size_t k = pos;
        while (k < n && k - pos < 3 && isNumber(text[k])) {
            ++k;
        }
        return k - pos;
    }
    // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
    {
        const auto isSymbol = [](char32_t x) {
            return !isWhiteSpace(x) && !isLetter(x) && !isNumber(x);
        };
        std::size_t k = pos;
        if (c == U' ' && k + 1 < n && isSymbol(text[k + 1])) {
            ++k;
        }
        if (isSymbol(text[k])) {
            while (k < n && isSymbol(text[k])) {
                ++k;
            }
            while (k < n && isLineBreak(text[k])) {
                ++k;
            }
            return k - pos;
        }
    }
    // Whitespace from here on: c is \s (everything else matched above).
    std::size_t runEnd = pos;
    while (runEnd < n && isWhiteSpace(text[runEnd])) {
        ++runEnd;
    }
    if (runEnd == pos) {
        return 1;  // cannot happen: every character is a letter, number, symbol or space
    }
    // \s*[\r\n]+ : up to and including the run's last line break.
    for (std::size_t k = runEnd; k > pos; --k) {
        if (isLineBreak(text[k - 1])) {
            return k - pos;
        }
    }
    // \s+(?!\S) : the whole run at the end of the text, else all of it but its last
    // character (which then starts the next piece), when that leaves one.
    if (runEnd == n) {
        return runEnd - pos;
    }
    if (runEnd - pos >= 2) {
        return runEnd - pos - 1;
    }
    // \s+
    return runEnd - pos;
}

// The length of the CLIP match at `pos`, 0 when none starts there.
std::size_t clipMatchAt(const std::u32string& text, std::size_t pos) {
    const std::size_t n = text.size();
    for (const std::u32string_view special :
         {std::u32string_view(U"<|startoftext|>"), std::u32string_view(U"<|endoftext|>")}) {
        if (text.compare(pos, special.size(), special.data(), special.size()) == 0) {
            return special.size();
        }
    }
    if (const std::size_t length = contraction(text, pos, true); length > 0) {
        return length;
    }
    const char32_t c = text[pos];
    if (isLetter(c)) {
        std::size_t k = pos;
        while (k < n && isLetter(text[k])) {
            ++k;
        }
        return k - pos;
    }
    if (isNumber(c)) {
        return 1;
    }
    if (!isWhiteSpace(c)) {
        std::size_t k = pos;
        while (k < n && !isWhiteSpace(text[k]) && !isLetter(text[k]) && !isNumber(text[k])) {
            ++k;
        }
        return k - pos;
    }
    return 0;
}

}  // namespace

std::vector<TextSpan> splitLlama3(const std::u32string& text) {
    std::vector<TextSpan> spans;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t length = llama3MatchAt(text, pos);
        spans.emplace_back(pos, pos + length);
        pos += length;
    }
    return spans;
}

std::vector<TextSpan> splitClip(const std::u32string& text) {
    std::vector<TextSpan> spans;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t length = clipMatchAt(text, pos);
        if (length == 0) {
            ++pos;
            continue;
        }
        spans.emplace_back(pos, pos + length);
        pos += length;
    }
    return spans;
}

}  // namespace storyreel::infer
