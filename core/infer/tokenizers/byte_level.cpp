#include "core/infer/tokenizers/byte_level.h"

#include "core/infer/tokenizers/utf8.h"

#include <unordered_map>

namespace storyreel::infer {
namespace {

std::array<char32_t, 256> byteToCodePoint() {
    std::array<char32_t, 256> table{};
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
        const bool printable =
            (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        table[static_cast<std::size_t>(b)] = printable ? static_cast<char32_t>(b) : next++;
    }
    return table;
}

const std::unordered_map<char32_t, char>& codePointToByte() {
    static const std::unordered_map<char32_t, char> table = [] {
        std::unordered_map<char32_t, char> inverse;
        const std::array<char32_t, 256> forward = byteToCodePoint();
        for (int b = 0; b < 256; ++b) {
            inverse.emplace(forward[static_cast<std::size_t>(b)], static_cast<char>(b));
        }
        return inverse;
    }();
    return table;
}

}  // namespace

const std::array<std::string, 256>& byteLevelAlphabet() {
    static const std::array<std::string, 256> alphabet = [] {
        std::array<std::string, 256> text;
        const std::array<char32_t, 256> forward = byteToCodePoint();
        for (std::size_t b = 0; b < 256; ++b) {
            appendUtf8(text[b], forward[b]);
        }
        return text;
    }();
    return alphabet;
}

std::string toByteLevel(std::string_view bytes) {
    const std::array<std::string, 256>& alphabet = byteLevelAlphabet();
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        out += alphabet[static_cast<unsigned char>(c)];
    }
    return out;
}

std::string fromByteLevel(std::string_view text) {
    const std::unordered_map<char32_t, char>& inverse = codePointToByte();
    std::string out;
    out.reserve(text.size());
    for (const char32_t cp : decodeUtf8(text)) {
        if (const auto found = inverse.find(cp); found != inverse.end()) {
            out += found->second;
        } else {
            appendUtf8(out, cp);
        }
    }
    return out;
}

}  // namespace storyreel::infer
