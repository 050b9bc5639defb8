#include "core/infer/models/wan/prompt_clean.h"

#include <array>
#include <cstdint>
#include <optional>
#include <utility>

namespace storyreel::infer::wan {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

std::u32string decodeUtf8(std::string_view text) {
    std::u32string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byte = static_cast<unsigned char>(text[i]);
        int length = 0;
        char32_t value = 0;
        if (byte < 0x80) {
            length = 1;
            value = byte;
        } else if ((byte & 0xE0) == 0xC0) {
            length = 2;
            value = byte & 0x1F;
        } else if ((byte & 0xF0) == 0xE0) {
            length = 3;
            value = byte & 0x0F;
        } else if ((byte & 0xF8) == 0xF0) {
            length = 4;
            value = byte & 0x07;
        }
        bool valid = length > 0 && i + static_cast<std::size_t>(length) <= text.size();
        for (int k = 1; valid && k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
            valid = (next & 0xC0) == 0x80;
            value = (value << 6) | (next & 0x3F);
        }
        // Overlong forms, surrogates and values beyond Unicode are invalid too.
        static constexpr std::array<char32_t, 5> kMinimum = {0, 0, 0x80, 0x800, 0x10000};
        if (valid && (value < kMinimum[static_cast<std::size_t>(length)] || value > 0x10FFFF ||
                      (value >= 0xD800 && value <= 0xDFFF))) {
            valid = false;
        }
        if (valid) {
            out.push_back(value);
            i += static_cast<std::size_t>(length);
        } else {
            out.push_back(kReplacement);
            ++i;
        }
    }
    return out;
}

std::string encodeUtf8(std::u32string_view text) {
    std::string out;
    for (const char32_t c : text) {
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else if (c < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else if (c < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (c >> 12)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (c >> 18)));
            out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    return out;
}

// Unicode White_Space: what `regex`'s \s matches in whitespace_clean.
bool isUnicodeWhiteSpace(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

// Python's str.isspace, what str.strip() removes: White_Space plus the separators 1C..1F.
bool isPythonSpace(char32_t c) {
    return isUnicodeWhiteSpace(c) || (c >= 0x1C && c <= 0x1F);
}

std::u32string_view stripPython(std::u32string_view text) {
    while (!text.empty() && isPythonSpace(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && isPythonSpace(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

// ftfy's uncurl_quotes: U+02BC and U+2018..U+201B to ', U+201C..U+201F to ".
std::u32string uncurlQuotes(std::u32string text) {
    for (char32_t& c : text) {
        if (c == 0x02BC || (c >= 0x2018 && c <= 0x201B)) {
            c = U'\'';
        } else if (c >= 0x201C && c <= 0x201F) {
            c = U'"';
        }
    }
    return text;
}

// Python's html._invalid_charrefs for 0x80..0x9F: what browsers read as Windows-1252.
constexpr std::array<char32_t, 32> kCp1252 = {
    0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};

// html.unescape's handling of &#N; (nullopt: the reference drops it).
std::optional<char32_t> numericReference(std::uint64_t value) {
    if (value == 0) {
        return kReplacement;
    }
    if (value == 0x0D) {
        return U'\r';
    }
    if (value >= 0x80 && value <= 0x9F) {
        return kCp1252[value - 0x80];
    }
    if ((value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF) {
        return kReplacement;
    }
    if ((value >= 0x01 && value <= 0x08) || value == 0x0B || (value >= 0x0E && value <= 0x1F) ||
        value == 0x7F || (value >= 0xFDD0 && value <= 0xFDEF) || (value & 0xFFFE) == 0xFFFE) {
        return std::nullopt;
    }
    return static_cast<char32_t>(value);
}

struct NamedEntity {
    std::u32string_view name;
    char32_t value;
    bool legacy;  // also recognised without the semicolon (HTML5's legacy names)
};

constexpr std::array<NamedEntity, 30> kNamedEntities = {{
    {U"amp", U'&', true},       {U"AMP", U'&', true},      {U"lt", U'<', true},
    {U"LT", U'<', true},        {U"gt", U'>', true},       {U"GT", U'>', true},
    {U"quot", U'"', true},      {U"QUOT", U'"', true},     {U"apos", U'\'', false},
    {U"nbsp", 0xA0, true},      {U"copy", 0xA9, true},     {U"COPY", 0xA9, true},
    {U"reg", 0xAE, true},       {U"REG", 0xAE, true},      {U"deg", 0xB0, true},
    {U"middot", 0xB7, true},    {U"times", 0xD7, true},    {U"divide", 0xF7, true},
    {U"laquo", 0xAB, true},     {U"raquo", 0xBB, true},    {U"trade", 0x2122, false},
    {U"hellip", 0x2026, false}, {U"mdash", 0x2014, false}, {U"ndash", 0x2013, false},
    {U"lsquo", 0x2018, false},  {U"rsquo", 0x2019, false}, {U"ldquo", 0x201C, false},
    {U"rdquo", 0x201D, false},  {U"euro", 0x20AC, false},  {U"bull", 0x2022, false},
}};

std::optional<char32_t> namedEntity(std::u32string_view name, bool withSemicolon) {
    for (const NamedEntity& entity : kNamedEntities) {
        if (entity.name == name && (withSemicolon || entity.legacy)) {
            return entity.value;
        }
    }
    return std::nullopt;
}

bool isHexDigit(char32_t c) {
    return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'f') || (c >= U'A' && c <= U'F');
}

int hexValue(char32_t c) {
    if (c <= U'9') {
        return static_cast<int>(c - U'0');
    }
    return static_cast<int>((c | 0x20) - U'a') + 10;
}

// One reference starting at text[0] == '&': how many characters it used and what replaces
// them, following html.unescape's pattern &(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?).
std::pair<std::size_t, std::u32string> unescapeAt(std::u32string_view text) {
    std::size_t i = 1;
    if (i < text.size() && text[i] == U'#') {
        ++i;
        const bool hex = i < text.size() && (text[i] == U'x' || text[i] == U'X');
        if (hex) {
            ++i;
        }
        const std::size_t digitsStart = i;
        std::uint64_t value = 0;
        while (i < text.size() &&
               (hex ? isHexDigit(text[i]) : (text[i] >= U'0' && text[i] <= U'9'))) {
            const std::uint64_t digit =
                hex ? static_cast<std::uint64_t>(hexValue(text[i])) : text[i] - U'0';
            value = value > 0x10FFFF ? value : value * (hex ? 16 : 10) + digit;
            ++i;
        }
        if (i == digitsStart) {
            return {1, U"&"};
        }
        if (i < text.size() && text[i] == U';') {
            ++i;
        }
        const std::optional<char32_t> c = numericReference(value);
        return {i, c ? std::u32string(1, *c) : std::u32string()};
    }
    const auto stops = [](char32_t c) {
        return c == U'\t' || c == U'\n' || c == U'\f' || c == U' ' || c == U'<' || c == U'&' ||
               c == U'#' || c == U';';
    };
    while (i < text.size() && i <= 32 && !stops(text[i])) {
        ++i;
    }
    if (i == 1) {
        return {1, U"&"};
    }
    const std::u32string_view name = text.substr(1, i - 1);
    if (i < text.size() && text[i] == U';') {
        if (const std::optional<char32_t> c = namedEntity(name, true)) {
            return {i + 1, std::u32string(1, *c)};
        }
    }
    // The longest legacy name (at least two characters) that the text starts with.
    for (std::size_t length = name.size(); length >= 2; --length) {
        if (const std::optional<char32_t> c = namedEntity(name.substr(0, length), false)) {
            return {1 + length, std::u32string(1, *c)};
        }
    }
    return {1, U"&"};
}

std::u32string unescape(std::u32string_view text) {
    std::u32string out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] != U'&') {
            out.push_back(text[i]);
            ++i;
            continue;
        }
        auto [used, replacement] = unescapeAt(text.substr(i));
        out += replacement;
        i += used;
    }
    return out;
}

}  // namespace

std::string htmlUnescape(std::string_view text) {
    return encodeUtf8(unescape(decodeUtf8(text)));
}

std::string cleanPrompt(std::string_view text) {
    // basic_clean: ftfy (its quote uncurling), html.unescape twice, strip.
    const std::u32string basic = unescape(unescape(uncurlQuotes(decodeUtf8(text))));
    const std::u32string_view stripped = stripPython(basic);
    // whitespace_clean: \s+ -> ' ', strip.
    std::u32string collapsed;
    bool inSpace = false;
    for (const char32_t c : stripped) {
        if (isUnicodeWhiteSpace(c)) {
            if (!inSpace) {
                collapsed.push_back(U' ');
            }
            inSpace = true;
        } else {
            collapsed.push_back(c);
            inSpace = false;
        }
    }
    return encodeUtf8(stripPython(collapsed));
}

}  // namespace storyreel::infer::wan
