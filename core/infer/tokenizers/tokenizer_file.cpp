#include "core/infer/tokenizers/tokenizer_file.h"

#include "core/base/user_error.h"

#include <fstream>
#include <iterator>

namespace storyreel::infer {

std::string readTokenizerFile(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path)) {
        throw UserError::inFile(path, "the tokenizer file does not exist");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw UserError::inFile(path, "the tokenizer file cannot be read");
    }
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

JsonValue parseTokenizerJson(std::string_view json, const std::string& source) {
    try {
        return parseJson(json);
    } catch (const JsonError& error) {
        throw UserError(source + ": not valid JSON (" + error.what() + ")");
    }
}

JsonValue readTokenizerJson(const std::filesystem::path& path) {
    return parseTokenizerJson(readTokenizerFile(path), path.string());
}

const JsonValue& requireField(const JsonValue& object, std::string_view key,
                              const std::string& where) {
    const JsonValue* value = object.isObject() ? object.find(key) : nullptr;
    if (value == nullptr) {
        throw UserError(where + ": the tokenizer has no \"" + std::string(key) + "\" entry");
    }
    return *value;
}

}  // namespace storyreel::infer
