#include "core/infer/tokenizers/bpe_json.h"

#include "core/base/user_error.h"
#include "core/infer/tokenizers/tokenizer_file.h"

#include <stdexcept>

namespace storyreel::infer {
namespace {

bool boolField(const JsonValue& object, std::string_view key, const std::string& source) {
    const JsonValue* value = object.find(key);
    if (value == nullptr || value->kind() == JsonValue::Kind::Null) {
        return false;
    }
    if (value->kind() != JsonValue::Kind::Bool) {
        throw UserError(source + ": \"" + std::string(key) + "\" must be true or false, not " +
                        std::string(value->kindName()));
    }
    return value->boolean();
}

// A string field, "" when absent or null.
std::string stringField(const JsonValue& object, std::string_view key, const std::string& source) {
    const JsonValue* value = object.find(key);
    if (value == nullptr || value->kind() == JsonValue::Kind::Null) {
        return {};
    }
    if (!value->isString()) {
        throw UserError(source + ": \"" + std::string(key) + "\" must be a string, not " +
                        std::string(value->kindName()));
    }
    return value->text();
}

std::pair<std::string, std::string> splitMergeLine(std::string_view line,
                                                   const std::string& where) {
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos || space == 0 || space + 1 >= line.size() ||
        line.find(' ', space + 1) != std::string_view::npos) {
        throw UserError(where + ": a merge must be two tokens separated by one space, not \"" +
                        std::string(line) + "\"");
    }
    return {std::string(line.substr(0, space)), std::string(line.substr(space + 1))};
}

}  // namespace

std::unordered_map<std::string, std::int64_t> vocabFromJson(const JsonValue& vocab,
                                                            const std::string& source) {
    if (!vocab.isObject()) {
        throw UserError(source + ": the vocabulary must be an object of token: id, not " +
                        std::string(vocab.kindName()));
    }
    std::unordered_map<std::string, std::int64_t> out;
    out.reserve(vocab.size());
    for (std::size_t i = 0; i < vocab.size(); ++i) {
        const std::optional<std::int64_t> id = vocab.at(i).asInt64();
        if (!id || *id < 0) {
            throw UserError(source + ": the vocabulary entry \"" + vocab.key(i) +
                            "\" must have a non-negative integer id");
        }
        if (!out.emplace(vocab.key(i), *id).second) {
            throw UserError(source + ": the vocabulary lists \"" + vocab.key(i) + "\" twice");
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> mergesFromText(std::string_view text,
                                                                const std::string& source,
                                                                std::size_t firstLine,
                                                                std::size_t endLine) {
    std::vector<std::pair<std::string, std::string>> merges;
    std::size_t lineNumber = 0;
    std::size_t start = 0;
    while (start <= text.size() && lineNumber < endLine) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (lineNumber >= firstLine && !line.empty()) {
            merges.push_back(
                splitMergeLine(line, source + " line " + std::to_string(lineNumber + 1)));
        }
        ++lineNumber;
        start = end + 1;
    }
    return merges;
}

std::unique_ptr<BpeModel> bpeModelFromJson(const JsonValue& model, const std::string& source) {
    if (!model.isObject()) {
        throw UserError(source + ": \"model\" must be an object");
    }
    const std::string type = stringField(model, "type", source);
    if (type != "BPE") {
        throw UserError(source + ": the model is of type \"" + type +
                        "\", not the BPE this tokenizer needs");
    }
    if (boolField(model, "byte_fallback", source)) {
        throw UserError(source + ": BPE with byte_fallback is not supported");
    }
    if (!stringField(model, "continuing_subword_prefix", source).empty()) {
        throw UserError(source + ": BPE with a continuing_subword_prefix is not supported");
    }
    std::unordered_map<std::string, std::int64_t> vocab =
        vocabFromJson(requireField(model, "vocab", source), source);
    const JsonValue& mergeList = requireField(model, "merges", source);
    if (!mergeList.isArray()) {
        throw UserError(source + ": \"merges\" must be an array");
    }
    std::vector<std::pair<std::string, std::string>> merges;
    merges.reserve(mergeList.size());
    for (std::size_t i = 0; i < mergeList.size(); ++i) {
        const JsonValue& merge = mergeList.at(i);
        const std::string where = source + " merge " + std::to_string(i);
        if (merge.isString()) {
            merges.push_back(splitMergeLine(merge.text(), where));
        } else if (merge.isArray() && merge.size() == 2 && merge.at(0).isString() &&
                   merge.at(1).isString()) {
            merges.emplace_back(merge.at(0).text(), merge.at(1).text());
        } else {
            throw UserError(where + ": a merge must be \"a b\" or [\"a\", \"b\"]");
        }
    }
    BpeModel::Options options;
    options.endOfWordSuffix = stringField(model, "end_of_word_suffix", source);
    options.ignoreMerges = boolField(model, "ignore_merges", source);
    const std::string unknown = stringField(model, "unk_token", source);
    if (!unknown.empty()) {
        const auto found = vocab.find(unknown);
        if (found == vocab.end()) {
            throw UserError(source + ": the unknown token \"" + unknown +
                            "\" is not in the vocabulary");
        }
        options.unknownId = found->second;
    }
    try {
        return std::make_unique<BpeModel>(std::move(vocab), merges, std::move(options));
    } catch (const std::runtime_error& error) {
        throw UserError(source + ": " + error.what());
    }
}

std::vector<AddedToken> addedTokensFromJson(const JsonValue& root, const std::string& source) {
    std::vector<AddedToken> tokens;
    const JsonValue* list = root.find("added_tokens");
    if (list == nullptr || list->kind() == JsonValue::Kind::Null) {
        return tokens;
    }
    if (!list->isArray()) {
        throw UserError(source + ": \"added_tokens\" must be an array");
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
        const JsonValue& entry = list->at(i);
        const std::string where = source + " added token " + std::to_string(i);
        if (!entry.isObject()) {
            throw UserError(where + ": must be an object");
        }
        AddedToken token;
        token.content = stringField(entry, "content", where);
        const std::optional<std::int64_t> id = requireField(entry, "id", where).asInt64();
        if (token.content.empty() || !id || *id < 0) {
            throw UserError(where + ": needs a non-empty \"content\" and a non-negative \"id\"");
        }
        token.id = *id;
        token.special = boolField(entry, "special", where);
        token.lstrip = boolField(entry, "lstrip", where);
        token.rstrip = boolField(entry, "rstrip", where);
        tokens.push_back(std::move(token));
    }
    return tokens;
}

}  // namespace storyreel::infer
