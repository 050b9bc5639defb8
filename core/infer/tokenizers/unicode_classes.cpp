#include "core/infer/tokenizers/unicode_classes.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace storyreel::infer {
namespace {

struct CodePointRange {
    std::uint32_t first;
    std::uint32_t last;
};

struct CaseRun {
    std::uint32_t first;
    std::uint32_t last;
    std::uint32_t stride;
    std::int32_t delta;
};

#include "core/infer/tokenizers/unicode_tables.inc"

template <std::size_t N>
bool inRanges(const CodePointRange (&ranges)[N], char32_t cp) {
    const auto value = static_cast<std::uint32_t>(cp);
    // The first range whose last code point is >= value.
    const CodePointRange* found = std::lower_bound(
        std::begin(ranges), std::end(ranges), value,
        [](const CodePointRange& range, std::uint32_t v) { return range.last < v; });
    return found != std::end(ranges) && found->first <= value;
}

char32_t lowerOne(char32_t cp) {
    const auto value = static_cast<std::uint32_t>(cp);
    const CaseRun* found =
        std::lower_bound(std::begin(kLowerCaseRuns), std::end(kLowerCaseRuns), value,
                         [](const CaseRun& run, std::uint32_t v) { return run.last < v; });
    if (found == std::end(kLowerCaseRuns) || found->first > value ||
        (value - found->first) % found->stride != 0) {
        return cp;
    }
    return static_cast<char32_t>(static_cast<std::int64_t>(value) + found->delta);
}

}  // namespace

bool isLetter(char32_t cp) {
    return inRanges(kLetterRanges, cp);
}

bool isNumber(char32_t cp) {
    return inRanges(kNumberRanges, cp);
}

bool isWhiteSpace(char32_t cp) {
    return inRanges(kWhiteSpaceRanges, cp);
}

bool isPythonSpace(char32_t cp) {
    return inRanges(kPythonSpaceRanges, cp);
}

std::u32string toLowerPython(const std::u32string& text) {
    std::u32string out;
    out.reserve(text.size());
    for (const char32_t cp : text) {
        if (cp == U'\u0130') {
            // LATIN CAPITAL LETTER I WITH DOT ABOVE lowers to "i" + COMBINING DOT ABOVE.
            out += U'i';
            out += U'\u0307';
        } else {
            out += lowerOne(cp);
        }
    }
    return out;
}

std::u32string fixCharacterWidth(const std::u32string& text) {
    std::u32string out;
    out.reserve(text.size());
    for (const char32_t cp : text) {
        if (cp == U'\u3000') {
            out += U' ';
        } else if (cp == U'\uFFE3') {
            out += U" \u0304";  // FULLWIDTH MACRON: space + combining macron
        } else if (cp >= 0xFF01 && cp <= 0xFFEF) {
            const auto value = static_cast<std::uint32_t>(cp);
            const CodePointRange* found = std::lower_bound(
                std::begin(kWidthMap), std::end(kWidthMap), value,
                [](const CodePointRange& entry, std::uint32_t v) { return entry.first < v; });
            const bool mapped = found != std::end(kWidthMap) && found->first == value;
            out += mapped ? static_cast<char32_t>(found->last) : cp;
        } else {
            out += cp;
        }
    }
    return out;
}

const char* unicodeTableVersion() {
    return kUnicodeVersion;
}

}  // namespace storyreel::infer
