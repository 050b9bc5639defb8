// Reading the files tokenizers come in, with UserErrors that name the file: the whole file
// as bytes, a JSON document (tokenizer.json, vocab.json), and the typed fields of one.
//
//   const JsonValue root = readTokenizerJson(path);             // UserError when not JSON
//   const JsonValue& model = requireField(root, "model", path);  // UserError when missing
//
// Thread-safety: pure functions.
#pragma once

#include "core/infer/weights/json_value.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace storyreel::infer {

std::string readTokenizerFile(const std::filesystem::path& path);
JsonValue readTokenizerJson(const std::filesystem::path& path);
// The JSON text `json` parsed; `source` names it in messages.
JsonValue parseTokenizerJson(std::string_view json, const std::string& source);
// root[key], which must exist; `where` names the file in the message.
const JsonValue& requireField(const JsonValue& object, std::string_view key,
                              const std::string& where);

}  // namespace storyreel::infer
