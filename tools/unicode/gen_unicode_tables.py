#!/usr/bin/env python3
"""Writes core/infer/tokenizers/unicode_tables.inc: the Unicode character classes the
tokenizers' pre-tokenizer regexes and text cleaning need, as sorted code-point ranges, so
that core/infer needs no ICU.

    python3 tools/unicode/gen_unicode_tables.py > core/infer/tokenizers/unicode_tables.inc

Sources: Python's unicodedata (its Unicode version is written into the table; the committed
table was made with Python 3.11.7, Unicode 14.0.0) and str methods:
  kLetterRanges     \\p{L}: general category Lu, Ll, Lt, Lm or Lo
  kNumberRanges     \\p{N}: general category Nd, Nl or No
  kWhiteSpaceRanges \\s of Oniguruma (Hugging Face tokenizers) and of the `regex` module: the
                    Unicode White_Space property (PropList.txt; unicodedata does not expose it,
                    so its 25 code points are listed here, unchanged since Unicode 6.3)
  kPythonSpaceRanges str.isspace(): what Python's `re` \\s matches in a str pattern (CLIP's
                    whitespace_clean)
  kLowerCaseRanges  str.lower() for code points that map to one code point, as runs
                    {first, last, stride, delta}: c in [first, last] with (c - first) % stride == 0
                    maps to c + delta. (U+0130 maps to two code points; the C++ handles it.)
  kDecompositions   canonical decompositions (one level), {cp, first, second}, second 0 when
                    the decomposition is one code point (Hangul syllables are computed in C++)
  kCombiningRuns    non-zero canonical combining classes as runs {first, last, class}
  kCompositions     primary composites {first, second, composite}, sorted by (first, second):
                    two-code-point canonical decompositions of characters NFC keeps
  kWidthMap         ftfy's fix_character_width: U+FF01..U+FFEF that NFKC maps to one code
                    point, as {from, to} (U+3000 IDEOGRAPHIC SPACE -> U+0020 is in the C++)
"""
import sys
import unicodedata

MAX = 0x110000

WHITE_SPACE = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680] + list(
    range(0x2000, 0x200B)) + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000]


def ranges(predicate):
    out = []
    start = None
    for cp in range(MAX + 1):
        inside = cp < MAX and predicate(cp)
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            out.append((start, cp - 1))
            start = None
    return out


def category_in(cats):
    return lambda cp: unicodedata.category(chr(cp)) in cats


def lower_runs():
    singles = []
    for cp in range(MAX):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        low = chr(cp).lower()
        if len(low) == 1 and ord(low) != cp:
            singles.append((cp, ord(low) - cp))
    runs = []  # [first, last, stride, delta]
    for cp, delta in singles:
        if runs:
            first, last, stride, d = runs[-1]
            if d == delta:
                step = cp - last
                if (first == last and step in (1, 2)) or step == stride:
                    runs[-1] = [first, cp, step, d]
                    continue
        runs.append([cp, cp, 1, delta])
    return runs


def emit_ranges(name, items, out):
    out.write(f"constexpr CodePointRange {name}[] = {{\n")
    line = "   "
    for first, last in items:
        entry = f" {{0x{first:X}, 0x{last:X}}},"
        if len(line) + len(entry) > 99:
            out.write(line + "\n")
            line = "   "
        line += entry
    out.write(line + "\n};\n\n")


def emit_rows(name, type_name, rows, out):
    out.write(f"constexpr {type_name} {name}[] = {{\n")
    line = "   "
    for row in rows:
        entry = " {" + ", ".join(f"0x{v:X}" for v in row) + "},"
        if len(line) + len(entry) > 99:
            out.write(line + "\n")
            line = "   "
        line += entry
    out.write(line + "\n};\n\n")


def emit_normalization(out):
    decompositions = []
    compositions = []
    for cp in range(MAX):
        if 0xAC00 <= cp <= 0xD7A3:
            continue  # Hangul syllables: algorithmic
        d = unicodedata.decomposition(chr(cp))
        if not d or d.startswith("<"):
            continue
        parts = [int(x, 16) for x in d.split()]
        assert len(parts) in (1, 2)
        decompositions.append((cp, parts[0], parts[1] if len(parts) == 2 else 0))
        if len(parts) == 2 and unicodedata.normalize("NFC", chr(cp)) == chr(cp):
            compositions.append((parts[0], parts[1], cp))
    runs = []
    for cp in range(MAX):
        ccc = unicodedata.combining(chr(cp))
        if ccc == 0:
            continue
        if runs and runs[-1][1] == cp - 1 and runs[-1][2] == ccc:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp, ccc])
    emit_rows("kDecompositions", "Decomposition", decompositions, out)
    emit_rows("kCombiningRuns", "CombiningRun", runs, out)
    emit_rows("kCompositions", "Composition", sorted(compositions), out)


def main():
    out = sys.stdout
    out.write("// Generated by tools/unicode/gen_unicode_tables.py from Python "
              f"{sys.version.split()[0]}'s unicodedata,\n// Unicode {unicodedata.unidata_version}. "
              "Do not edit; run the script again.\n// clang-format off\n\n")
    out.write(f'constexpr const char* kUnicodeVersion = "{unicodedata.unidata_version}";\n\n')
    emit_ranges("kLetterRanges", ranges(category_in({"Lu", "Ll", "Lt", "Lm", "Lo"})), out)
    emit_ranges("kNumberRanges", ranges(category_in({"Nd", "Nl", "No"})), out)
    ws = set(WHITE_SPACE)
    emit_ranges("kWhiteSpaceRanges", ranges(lambda cp: cp in ws), out)
    emit_ranges("kPythonSpaceRanges", ranges(lambda cp: chr(cp).isspace()), out)
    out.write("constexpr CaseRun kLowerCaseRuns[] = {\n")
    line = "   "
    for first, last, stride, delta in lower_runs():
        entry = f" {{0x{first:X}, 0x{last:X}, {stride}, {delta}}},"
        if len(line) + len(entry) > 99:
            out.write(line + "\n")
            line = "   "
        line += entry
    out.write(line + "\n};\n\n")
    emit_normalization(out)
    out.write("constexpr CodePointRange kWidthMap[] = {\n")
    line = "   "
    for cp in range(0xFF01, 0xFFF0):
        alternate = unicodedata.normalize("NFKC", chr(cp))
        if alternate != chr(cp) and len(alternate) == 1:
            entry = f" {{0x{cp:X}, 0x{ord(alternate):X}}},"
            if len(line) + len(entry) > 99:
                out.write(line + "\n")
                line = "   "
            line += entry
    out.write(line + "\n};\n\n// clang-format on\n")


if __name__ == "__main__":
    main()
