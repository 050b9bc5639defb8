// UTF-8 <-> code points for the tokenizers. Invalid input never throws: each maximal
// ill-formed subpart (a stray byte, a cut sequence, an overlong form, a surrogate, a value past
// U+10FFFF) becomes one U+FFFD, as Python's bytes.decode(errors="replace") and Rust's
// String::from_utf8_lossy do, for text a user typed or a byte-level decode produced.
//
//   std::u32string cps = decodeUtf8("caf\xC3\xA9");   // U"caf\u00E9"
//   std::string text = encodeUtf8(cps);
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace storyreel::infer {

std::u32string decodeUtf8(std::string_view text);
std::string encodeUtf8(std::u32string_view codePoints);
void appendUtf8(std::string& out, char32_t codePoint);

}  // namespace storyreel::infer
