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

struct Decomposition {
    std::uint32_t code;
    std::uint32_t first;
    std::uint32_t second;  // 0: a one-code-point decomposition
};

struct CombiningRun {
    std::uint32_t first;
    std::uint32_t last;
    std::uint32_t combiningClass;
};

struct Composition {
    std::uint32_t first;
    std::uint32_t second;
    std::uint32_t composite;
};

#include "core/infer/tokenizers/unicode_tables.inc"

// Hangul syllables decompose and compose arithmetically (Unicode 3.12).
constexpr char32_t kHangulBase = 0xAC00;
constexpr char32_t kLeadBase = 0x1100;
constexpr char32_t kVowelBase = 0x1161;
constexpr char32_t kTrailBase = 0x11A7;
constexpr char32_t kVowelCount = 21;
constexpr char32_t kTrailCount = 28;
constexpr char32_t kSyllableCount = 19 * kVowelCount * kTrailCount;

std::uint32_t combiningClass(char32_t cp) {
    const auto value = static_cast<std::uint32_t>(cp);
    const CombiningRun* found =
        std::lower_bound(std::begin(kCombiningRuns), std::end(kCombiningRuns), value,
                         [](const CombiningRun& run, std::uint32_t v) { return run.last < v; });
    return found != std::end(kCombiningRuns) && found->first <= value ? found->combiningClass : 0;
}

void decompose(char32_t cp, std::u32string& out) {
    if (cp >= kHangulBase && cp < kHangulBase + kSyllableCount) {
        const char32_t index = cp - kHangulBase;
        out += kLeadBase + index / (kVowelCount * kTrailCount);
        out += kVowelBase + (index % (kVowelCount * kTrailCount)) / kTrailCount;
        if (index % kTrailCount != 0) {
            out += kTrailBase + index % kTrailCount;
        }
        return;
    }
    const auto value = static_cast<std::uint32_t>(cp);
    const Decomposition* found = std::lower_bound(
        std::begin(kDecompositions), std::end(kDecompositions), value,
        [](const Decomposition& entry, std::uint32_t v) { return entry.code < v; });
    if (found == std::end(kDecompositions) || found->code != value) {
        out += cp;
        return;
    }
    decompose(static_cast<char32_t>(found->first), out);
    if (found->second != 0) {
        decompose(static_cast<char32_t>(found->second), out);
    }
}

// The primary composite of a pair, or 0.
char32_t compose(char32_t first, char32_t second) {
    if (first >= kLeadBase && first < kLeadBase + 19 && second >= kVowelBase &&
        second < kVowelBase + kVowelCount) {
        return kHangulBase +
               ((first - kLeadBase) * kVowelCount + (second - kVowelBase)) * kTrailCount;
    }
    if (first >= kHangulBase && first < kHangulBase + kSyllableCount &&
        (first - kHangulBase) % kTrailCount == 0 && second > kTrailBase &&
        second < kTrailBase + kTrailCount) {
        return first + (second - kTrailBase);
    }
    const Composition key{static_cast<std::uint32_t>(first), static_cast<std::uint32_t>(second), 0};
    const Composition* found =
        std::lower_bound(std::begin(kCompositions), std::end(kCompositions), key,
                         [](const Composition& a, const Composition& b) {
                             return a.first != b.first ? a.first < b.first : a.second < b.second;
                         });
    if (found != std::end(kCompositions) && found->first == key.first &&
        found->second == key.second) {
        return static_cast<char32_t>(found->composite);
    }
    return 0;
}

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

std::u32string toNfc(const std::u32string& text) {
    std::u32string decomposed;
    decomposed.reserve(text.size());
    for (const char32_t cp : text) {
        decompose(cp, decomposed);
    }
    // Canonical ordering: each run of non-starters sorted by class, stably.
    std::size_t i = 0;
    while (i < decomposed.size()) {
        if (combiningClass(decomposed[i]) == 0) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < decomposed.size() && combiningClass(decomposed[end]) != 0) {
            ++end;
        }
        std::stable_sort(
            decomposed.begin() + static_cast<std::ptrdiff_t>(i),
            decomposed.begin() + static_cast<std::ptrdiff_t>(end),
            [](char32_t a, char32_t b) { return combiningClass(a) < combiningClass(b); });
        i = end;
    }
    if (decomposed.empty()) {
        return decomposed;
    }
    // Canonical composition (UAX #15's algorithm): a character joins the last starter when
    // no character between them blocks it.
    std::u32string out(1, decomposed[0]);
    std::size_t starterPos = 0;
    std::uint32_t lastClass = combiningClass(decomposed[0]) != 0 ? 256 : 0;
    for (std::size_t k = 1; k < decomposed.size(); ++k) {
        const char32_t cp = decomposed[k];
        const std::uint32_t cpClass = combiningClass(cp);
        const char32_t composite = compose(out[starterPos], cp);
        if (composite != 0 && (lastClass < cpClass || lastClass == 0)) {
            out[starterPos] = composite;
            continue;
        }
        if (cpClass == 0) {
            starterPos = out.size();
        }
        lastClass = cpClass;
        out += cp;
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
