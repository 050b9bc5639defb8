// SHA-256 of a file or of bytes, as lowercase hex. Projects name imported media by the hash
// of their content, so the same image imported twice is stored once.
//
//   std::string name = sha256OfFile("frame.png");  // "9f86d08188..."
//
// Thread-safety: pure functions.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace storyreel {

std::string sha256Hex(std::string_view bytes);

// Throws UserError naming the file when it cannot be read.
std::string sha256OfFile(const std::filesystem::path& file);

}  // namespace storyreel
