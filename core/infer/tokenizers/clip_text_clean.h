// cleanClipText: the text cleaning of transformers' CLIPTokenizer (v4.39.3
// tokenization_clip.py, the slow tokenizer HunyuanVideo-I2V loads) with ftfy installed, as
// openai/CLIP's requirements install it: whitespace_clean(ftfy.fix_text(text)).lower().
// Of fix_text, the steps that change ordinary prompts are ported: uncurl_quotes (curly
// quotes to straight ones), fix_latin_ligatures, fix_character_width (fullwidth forms such
// as Chinese punctuation "，" to ASCII, U+3000 to a space), remove_control_chars and the NFC
// normalisation; the mojibake repair and HTML unescaping are not (prompts typed in a UI
// have neither). whitespace_clean turns every run of str.isspace()
// characters into one space and strips; lower() is Python's (without the final-sigma rule).
//
//   cleanClipText("  It’s a ＣＡＴ\n\tsurfing ")   // U"it's a cat surfing"
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace storyreel::infer {

// UTF-8 in (invalid bytes become U+FFFD), code points out.
std::u32string cleanClipText(std::string_view text);

}  // namespace storyreel::infer
