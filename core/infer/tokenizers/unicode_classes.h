// Unicode character classes for the tokenizers' pre-tokenizer regexes and text cleaning,
// from a compact range table generated from Python's unicodedata
// (tools/unicode/gen_unicode_tables.py, Unicode 14.0.0), so that core/infer needs no ICU:
// \p{L}, \p{N}, \s (Oniguruma's and the `regex` module's: the White_Space property),
// Python's str.isspace() and str.lower(), NFC.
//
//   if (isLetter(cp) || isNumber(cp)) ...;
//   std::u32string low = toLowerPython(U"\u00C9T\u00C9");   // U"\u00E9t\u00E9"
//
// Thread-safety: pure functions.
#pragma once

#include <string>

namespace storyreel::infer {

// \p{L}: general category Lu, Ll, Lt, Lm or Lo.
bool isLetter(char32_t cp);
// \p{N}: general category Nd, Nl or No.
bool isNumber(char32_t cp);
// \s in Oniguruma (Hugging Face tokenizers) and Python's `regex` module: White_Space.
bool isWhiteSpace(char32_t cp);
// \s in Python's `re` for str patterns, i.e. str.isspace() (adds U+001C..U+001F).
bool isPythonSpace(char32_t cp);
// Python's str.lower(), final-sigma rule left out (Σ always becomes σ).
std::u32string toLowerPython(const std::u32string& text);
// Unicode Normalization Form C (canonical decomposition, canonical ordering, canonical
// composition), as Python's unicodedata.normalize("NFC", text).
std::u32string toNfc(const std::u32string& text);
// ftfy's fix_character_width: fullwidth and halfwidth forms (U+FF01..U+FFEF) to their NFKC
// equivalents, U+3000 IDEOGRAPHIC SPACE to a space.
std::u32string fixCharacterWidth(const std::u32string& text);
// The Unicode version the table was generated from.
const char* unicodeTableVersion();

}  // namespace storyreel::infer
