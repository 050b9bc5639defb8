// Unicode classes, UTF-8 and the byte-level alphabet the tokenizers build on.
#include "core/infer/tokenizers/unicode_classes.h"

#include "core/infer/tokenizers/byte_level.h"
#include "core/infer/tokenizers/pretokenizer_patterns.h"
#include "core/infer/tokenizers/utf8.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace storyreel::infer;

TEST_CASE("Unicode letter, number and space classes follow unicodedata", "[tokenizer]") {
    for (const char32_t c : std::u32string(U"a\u00E9\u00DF\u03A9\u4F60\u0645\u01C5\u02B0")) {
        CHECK(isLetter(c));
    }
    for (const char32_t c : std::u32string(U"1\u0663\u00B2\u216B\u2460")) {  // Nd, No, Nl, No
        CHECK(isNumber(c));
        CHECK_FALSE(isLetter(c));
    }
    for (const char32_t c : std::u32string(U" \t\n\r\u00A0\u2003\u3000\u0085\u2028")) {
        CHECK(isWhiteSpace(c));
        CHECK(isPythonSpace(c));
    }
    CHECK_FALSE(isWhiteSpace(U'\u200B'));  // ZERO WIDTH SPACE is not White_Space
    CHECK_FALSE(isPythonSpace(U'\u200B'));
    CHECK(isPythonSpace(U'\x1C'));  // str.isspace() but not White_Space
    CHECK_FALSE(isWhiteSpace(U'\x1C'));
    CHECK_FALSE(isLetter(U'\U0001F600'));
    CHECK_FALSE(isNumber(U'\U0001F600'));
    CHECK(std::string(unicodeTableVersion()) == "14.0.0");
}

TEST_CASE("Lower-casing is Python's str.lower()", "[tokenizer]") {
    CHECK(toLowerPython(U"\u00C9T\u00C9 ABC \u0100\u0102 \u03A3\u039F \u1E9E \u0406") ==
          U"\u00E9t\u00E9 abc \u0101\u0103 \u03C3\u03BF \u00DF \u0456");
    CHECK(toLowerPython(U"\u0130") == U"i\u0307");
    CHECK(toLowerPython(U"\u4F60\u597D 123") == U"\u4F60\u597D 123");
    // NFC: composed, reordered (dot below, class 220, before acute, 230), Hangul composed.
    CHECK(toNfc(U"cafe\u0301") == U"caf\u00E9");
    CHECK(toNfc(U"q\u0301\u0323") == U"q\u0323\u0301");
    CHECK(toNfc(U"\u1100\u1161\u11A8") == U"\uAC01");
    CHECK(toNfc(U"\u212B") == U"\u00C5");  // ANGSTROM SIGN is a singleton decomposition
    CHECK(fixCharacterWidth(U"\uFF21\uFF22\uFF23\uFF0C\u3000\uFF11") == U"ABC, 1");
}

TEST_CASE("UTF-8 decoding replaces malformed bytes with U+FFFD", "[tokenizer]") {
    CHECK(decodeUtf8("caf\xC3\xA9 \xF0\x9F\x98\x80") == U"caf\u00E9 \U0001F600");
    CHECK(decodeUtf8("a\xC3") == U"a\uFFFD");                    // cut sequence
    CHECK(decodeUtf8("\xF0\x9F!") == U"\uFFFD!");                // one U+FFFD for the cut prefix
    CHECK(decodeUtf8("\xC0\xAF") == U"\uFFFD\uFFFD");            // overlong
    CHECK(decodeUtf8("\xED\xA0\x80") == U"\uFFFD\uFFFD\uFFFD");  // surrogate
    CHECK(encodeUtf8(U"caf\u00E9 \U0001F600") == "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

TEST_CASE("The byte-level alphabet spells every byte with one character", "[tokenizer]") {
    const auto& alphabet = byteLevelAlphabet();
    CHECK(alphabet[' '] == "\xC4\xA0");   // U+0120 'Ġ'
    CHECK(alphabet['\n'] == "\xC4\x8A");  // U+010A 'Ċ'
    CHECK(alphabet['a'] == "a");
    CHECK(alphabet[0xC3] == "\xC3\x83");  // U+00C3 'Ã'
    CHECK(alphabet[0xAD] == "\xC5\x83");  // soft hyphen: U+0143
    std::string all;
    for (int b = 0; b < 256; ++b) {
        all += static_cast<char>(b);
    }
    CHECK(fromByteLevel(toByteLevel(all)) == all);
    CHECK(toByteLevel(" caf\xC3\xA9") ==
          "\xC4\xA0"
          "caf\xC3\x83\xC2\xA9");
}

namespace {

std::vector<std::string> pieces(const std::u32string& text, bool clip) {
    std::vector<std::string> out;
    for (const auto& [begin, end] : clip ? splitClip(text) : splitLlama3(text)) {
        out.push_back(encodeUtf8(text.substr(begin, end - begin)));
    }
    return out;
}

}  // namespace

// Expected pieces: Python's `regex` module findall with the same patterns.
TEST_CASE("The Llama 3 pre-tokenizer splits as its regex does", "[tokenizer]") {
    using V = std::vector<std::string>;
    CHECK(pieces(U"Hello world", false) == V{"Hello", " world"});
    CHECK(pieces(U"it's I'M ok", false) == V{"it", "'s", " I", "'M", " ok"});
    CHECK(pieces(U"  a  b\n\n  c ", false) == V{" ", " a", " ", " b", "\n\n", " ", " c", " "});
    CHECK(pieces(U"12345 x", false) == V{"123", "45", " x"});
    CHECK(pieces(U" ?!\n\nok", false) == V{" ?!\n\n", "ok"});
    CHECK(pieces(U"a\tb \t\n c", false) == V{"a", "\tb", " \t\n", " c"});
    CHECK(pieces(U"\u4F60\u597D\uFF0C\u4E16\u754C", false) ==
          V{"\xE4\xBD\xA0\xE5\xA5\xBD", "\xEF\xBC\x8C\xE4\xB8\x96\xE7\x95\x8C"});
    CHECK(pieces(U"x  ", false) == V{"x", "  "});
    CHECK(pieces(U"'''a", false) == V{"'''", "a"});
}

TEST_CASE("The CLIP pre-tokenizer splits as its regex does and drops whitespace", "[tokenizer]") {
    using V = std::vector<std::string>;
    CHECK(pieces(U"it's a cat's 123 dogs!!", true) ==
          V{"it", "'s", "a", "cat", "'s", "1", "2", "3", "dogs", "!!"});
    CHECK(pieces(U"<|endoftext|>hi", true) == V{"<|endoftext|>", "hi"});
    CHECK(pieces(U"na\u00EFve, \u4F60\u597D", true) ==
          V{"na\xC3\xAFve", ",", "\xE4\xBD\xA0\xE5\xA5\xBD"});
}
