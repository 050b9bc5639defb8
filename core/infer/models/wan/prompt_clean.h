// cleanPrompt: the text cleaning Wan applies before tokenising a prompt
// (wan/modules/tokenizers.py HuggingfaceTokenizer with clean='whitespace':
// whitespace_clean(basic_clean(text))). basic_clean is ftfy.fix_text, html.unescape twice and
// strip; whitespace_clean turns every run of whitespace into one space and strips.
// ftfy is not ported: of fix_text's defaults only uncurl_quotes is applied (curly quotes to
// straight ones), since the tokenizer's NFKC normalisation already does the width, ligature
// and NFC fixes and mojibake repair has no small equivalent. html.unescape is complete for
// numeric references (with Python's cp1252 and invalid-code-point rules) and knows the
// common named entities; other names stay as written.
//
//   cleanPrompt("  a &amp; b\n\tc ")   // "a & b c"
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace storyreel::infer::wan {

// UTF-8 in (invalid bytes become U+FFFD), UTF-8 out.
std::string cleanPrompt(std::string_view text);

// Python's html.unescape for the references described above.
std::string htmlUnescape(std::string_view text);

}  // namespace storyreel::infer::wan
