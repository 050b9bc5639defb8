#include "core/infer/tokenizers/clip_text_clean.h"

#include "core/infer/tokenizers/unicode_classes.h"
#include "core/infer/tokenizers/utf8.h"

#include <string_view>

namespace storyreel::infer {
namespace {

// ftfy.chardata.CONTROL_CHARS: what remove_control_chars deletes.
bool isRemovedControl(char32_t c) {
    return c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F ||
           (c >= 0x206A && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC) ||
           (c >= 0x1D173 && c <= 0x1D17A) || (c >= 0xE0000 && c <= 0xE007F);
}

// ftfy.chardata.LIGATURES, or an empty view.
std::u32string_view ligature(char32_t c) {
    switch (c) {
        case U'\u0132':
            return U"IJ";
        case U'\u0133':
            return U"ij";
        case U'\u0149':
            return U"'n";  // then uncurled, as ftfy does
        case U'\u01C4':
            return U"D\u017D";
        case U'\u01C5':
            return U"D\u017E";
        case U'\u01C6':
            return U"d\u017E";
        case U'\u01C7':
            return U"LJ";
        case U'\u01C8':
            return U"Lj";
        case U'\u01C9':
            return U"lj";
        case U'\u01CA':
            return U"NJ";
        case U'\u01CB':
            return U"Nj";
        case U'\u01CC':
            return U"nj";
        case U'\u01F1':
            return U"DZ";
        case U'\u01F2':
            return U"Dz";
        case U'\u01F3':
            return U"dz";
        case U'\uFB00':
            return U"ff";
        case U'\uFB01':
            return U"fi";
        case U'\uFB02':
            return U"fl";
        case U'\uFB03':
            return U"ffi";
        case U'\uFB04':
            return U"ffl";
        case U'\uFB05':
            return U"\u017Ft";
        case U'\uFB06':
            return U"st";
        default:
            return {};
    }
}

}  // namespace

std::u32string cleanClipText(std::string_view text) {
    std::u32string fixed;
    for (const char32_t c : decodeUtf8(text)) {
        if (isRemovedControl(c)) {
            continue;
        }
        if (c == U'\u02BC' || (c >= U'\u2018' && c <= U'\u201B')) {
            fixed += U'\'';  // uncurl_quotes
        } else if (c >= U'\u201C' && c <= U'\u201F') {
            fixed += U'"';
        } else if (const std::u32string_view replacement = ligature(c); !replacement.empty()) {
            fixed += replacement;
        } else {
            fixed += c;
        }
    }
    fixed = toNfc(fixCharacterWidth(fixed));  // ftfy normalises to NFC last
    // whitespace_clean: re.sub(r"\s+", " ", text).strip()
    std::u32string collapsed;
    collapsed.reserve(fixed.size());
    bool pendingSpace = false;
    for (const char32_t c : fixed) {
        if (isPythonSpace(c)) {
            pendingSpace = !collapsed.empty();
            continue;
        }
        if (pendingSpace) {
            collapsed += U' ';
            pendingSpace = false;
        }
        collapsed += c;
    }
    return toLowerPython(collapsed);
}

}  // namespace storyreel::infer
