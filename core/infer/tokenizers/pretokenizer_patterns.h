// The pre-tokenizer regexes of the tokenizers HunyuanVideo-I2V uses, as hand-written
// matchers (std::regex has no \p{L}, \p{N} or Unicode \s; core/infer has no ICU). Each
// returns the pieces a regex find-all would give, as [begin, end) code-point offsets, with
// the regex engine's leftmost-first alternation and greedy backtracking:
//   kLlama3Pattern: Llama 3's tokenizer.json Split (behavior Isolated). Every character is
//     covered by some alternative, so the pieces tile the text.
//   kClipPattern: CLIP's (transformers' CLIPTokenizer, case-insensitive; tokenizer.json's
//     Split with invert). Characters no alternative matches (whitespace) are left out.
//
//   for (auto [begin, end] : splitLlama3(codePoints)) words.push_back(...);
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace storyreel::infer {

using TextSpan = std::pair<std::size_t, std::size_t>;

inline constexpr const char* kLlama3Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
inline constexpr const char* kClipPattern =
    R"(<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+)";

std::vector<TextSpan> splitLlama3(const std::u32string& text);
std::vector<TextSpan> splitClip(const std::u32string& text);

}  // namespace storyreel::infer
