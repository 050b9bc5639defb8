// The byte-level alphabet of GPT-2 style BPE tokenizers (Llama 3's tokenizer.json, CLIP):
// every byte of the UTF-8 text stands as one printable character (bytes_to_unicode in
// openai/CLIP and transformers, ByteLevel in Hugging Face tokenizers), so that BPE works on
// characters while any byte sequence, an emoji cut by the pre-tokenizer included, can be
// spelled with the vocabulary's 256 base tokens.
//
//   std::string mapped = toByteLevel(" caf\xC3\xA9");   // "Ġcafé" spelled "Ġ" "c" "a" "f" "Ã" "©"
//   std::string bytes = fromByteLevel(mapped);           // " caf\xC3\xA9"
//
// Thread-safety: pure functions (the table is built once, thread-safely).
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace storyreel::infer {

// The UTF-8 text of the character that stands for each byte: bytes 0x21..0x7E, 0xA1..0xAC
// and 0xAE..0xFF for themselves, the others for U+0100 onwards in byte order.
const std::array<std::string, 256>& byteLevelAlphabet();
std::string toByteLevel(std::string_view bytes);
// The bytes the alphabet's characters stand for; a character outside the alphabet keeps
// its own UTF-8 bytes.
std::string fromByteLevel(std::string_view text);

}  // namespace storyreel::infer
