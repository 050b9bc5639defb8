#include "core/infer/tokenizers/byte_level_bpe.h"

#include "core/base/user_error.h"
#include "core/infer/tokenizers/bpe_json.h"
#include "core/infer/tokenizers/byte_level.h"
#include "core/infer/tokenizers/pretokenizer_patterns.h"
#include "core/infer/tokenizers/tokenizer_file.h"
#include "core/infer/tokenizers/utf8.h"

#include <stdexcept>

namespace storyreel::infer {
namespace {

std::string typeOf(const JsonValue& value) {
    const JsonValue* type = value.isObject() ? value.find("type") : nullptr;
    return type != nullptr && type->isString() ? type->text() : std::string();
}

bool isNull(const JsonValue* value) {
    return value == nullptr || value->kind() == JsonValue::Kind::Null;
}

bool flag(const JsonValue& object, std::string_view key) {
    const JsonValue* value = object.find(key);
    return value != nullptr && value->kind() == JsonValue::Kind::Bool && value->boolean();
}

// Only Llama 3's pre-tokenizer is ported: Sequence[Split(its regex, Isolated),
// ByteLevel(add_prefix_space false, use_regex false)].
void checkPreTokenizer(const JsonValue& root, const std::string& source) {
    const JsonValue* pre = root.find("pre_tokenizer");
    const auto unsupported = [&](const std::string& why) {
        return UserError(source + ": the pre-tokenizer is not Llama 3's (" + why +
                         "); only Llama 3 style tokenizer.json files are supported");
    };
    if (isNull(pre) || typeOf(*pre) != "Sequence") {
        throw unsupported("not a Sequence");
    }
    const JsonValue* steps = pre->find("pretokenizers");
    if (steps == nullptr || !steps->isArray() || steps->size() != 2) {
        throw unsupported("not a Split followed by ByteLevel");
    }
    const JsonValue& split = steps->at(0);
    const JsonValue& byteLevel = steps->at(1);
    if (typeOf(split) != "Split" || typeOf(byteLevel) != "ByteLevel") {
        throw unsupported("not a Split followed by ByteLevel");
    }
    const JsonValue* pattern = split.find("pattern");
    const JsonValue* regex =
        pattern != nullptr && pattern->isObject() ? pattern->find("Regex") : nullptr;
    if (regex == nullptr || !regex->isString() || regex->text() != kLlama3Pattern) {
        throw unsupported("another split regex");
    }
    const JsonValue* behavior = split.find("behavior");
    if (behavior == nullptr || !behavior->isString() || behavior->text() != "Isolated" ||
        flag(split, "invert")) {
        throw unsupported("the split is not Isolated");
    }
    if (flag(byteLevel, "add_prefix_space") || flag(byteLevel, "use_regex")) {
        throw unsupported("ByteLevel adds a prefix space or splits again");
    }
}

// The ids TemplateProcessing's "single" template puts around $A.
void readTemplate(const JsonValue& processor, const std::string& source,
                  std::vector<std::int64_t>& prefix, std::vector<std::int64_t>& suffix) {
    const JsonValue* single = processor.find("single");
    const JsonValue* specials = processor.find("special_tokens");
    if (single == nullptr || !single->isArray()) {
        throw UserError(source + ": the TemplateProcessing post-processor has no \"single\" list");
    }
    bool seenSequence = false;
    for (const JsonValue& item : single->items()) {
        if (item.isObject() && item.find("Sequence") != nullptr) {
            seenSequence = true;
            continue;
        }
        const JsonValue* special = item.isObject() ? item.find("SpecialToken") : nullptr;
        const JsonValue* name =
            special != nullptr && special->isObject() ? special->find("id") : nullptr;
        if (name == nullptr || !name->isString()) {
            throw UserError(source +
                            ": a TemplateProcessing item is neither a Sequence nor a "
                            "SpecialToken");
        }
        const JsonValue* entry =
            specials != nullptr && specials->isObject() ? specials->find(name->text()) : nullptr;
        const JsonValue* ids = entry != nullptr && entry->isObject() ? entry->find("ids") : nullptr;
        if (ids == nullptr || !ids->isArray()) {
            throw UserError(source + ": the template's special token \"" + name->text() +
                            "\" has no ids in \"special_tokens\"");
        }
        for (const JsonValue& id : ids->items()) {
            const std::optional<std::int64_t> value = id.asInt64();
            if (!value || *value < 0) {
                throw UserError(source + ": the template's special token \"" + name->text() +
                                "\" has an id that is not a non-negative integer");
            }
            (seenSequence ? suffix : prefix).push_back(*value);
        }
    }
}

void readPostProcessor(const JsonValue* processor, const std::string& source,
                       std::vector<std::int64_t>& prefix, std::vector<std::int64_t>& suffix) {
    if (isNull(processor)) {
        return;
    }
    const std::string type = typeOf(*processor);
    if (type == "ByteLevel") {
        return;  // offsets only
    }
    if (type == "TemplateProcessing") {
        readTemplate(*processor, source, prefix, suffix);
        return;
    }
    if (type == "Sequence") {
        const JsonValue* steps = processor->find("processors");
        if (steps == nullptr || !steps->isArray()) {
            throw UserError(source + ": the Sequence post-processor has no \"processors\" list");
        }
        for (const JsonValue& step : steps->items()) {
            readPostProcessor(&step, source, prefix, suffix);
        }
        return;
    }
    throw UserError(source + ": the post-processor \"" + type + "\" is not supported");
}

}  // namespace

ByteLevelBpeTokenizer::ByteLevelBpeTokenizer(ByteLevelBpeTokenizer&&) noexcept = default;
ByteLevelBpeTokenizer& ByteLevelBpeTokenizer::operator=(ByteLevelBpeTokenizer&&) noexcept = default;
ByteLevelBpeTokenizer::~ByteLevelBpeTokenizer() = default;

ByteLevelBpeTokenizer ByteLevelBpeTokenizer::fromTokenizerJson(const std::filesystem::path& path) {
    std::filesystem::path file = path;
    if (std::filesystem::is_directory(path)) {
        file = path / "tokenizer.json";
        if (!std::filesystem::exists(file)) {
            throw UserError::inFile(path,
                                    "the folder holds no tokenizer.json (download the "
                                    "xtuner/llava-llama-3-8b-v1_1-transformers tokenizer into it)");
        }
    }
    return fromJsonText(readTokenizerFile(file), file.string());
}

ByteLevelBpeTokenizer ByteLevelBpeTokenizer::fromJsonText(std::string_view json,
                                                          const std::string& source) {
    const JsonValue root = parseTokenizerJson(json, source);
    if (!root.isObject()) {
        throw UserError(source + ": a tokenizer.json must be a JSON object");
    }
    if (!isNull(root.find("normalizer"))) {
        throw UserError(source +
                        ": the tokenizer has a normalizer, which Llama 3 style "
                        "tokenizers do not have and this reader does not apply");
    }
    checkPreTokenizer(root, source);
    ByteLevelBpeTokenizer tokenizer;
    tokenizer.source_ = source;
    tokenizer.bpe_ = bpeModelFromJson(requireField(root, "model", source), source);
    tokenizer.added_ = AddedTokens(addedTokensFromJson(root, source));
    readPostProcessor(root.find("post_processor"), source, tokenizer.prefixIds_,
                      tokenizer.suffixIds_);
    return tokenizer;
}

void ByteLevelBpeTokenizer::encodeText(std::string_view text,
                                       std::vector<std::int64_t>& ids) const {
    const std::u32string codePoints = decodeUtf8(text);
    for (const auto& [begin, end] : splitLlama3(codePoints)) {
        const std::string piece =
            encodeUtf8(std::u32string_view(codePoints).substr(begin, end - begin));
        bpe_->encodeWord(toByteLevel(piece), ids);
    }
}

std::vector<std::int64_t> ByteLevelBpeTokenizer::encode(std::string_view text,
                                                        bool addSpecial) const {
    std::vector<std::int64_t> ids;
    if (addSpecial) {
        ids = prefixIds_;
    }
    for (const TextPart& part : added_.split(text)) {
        if (part.id >= 0) {
            ids.push_back(part.id);
        } else {
            encodeText(part.text, ids);
        }
    }
    if (addSpecial) {
        ids.insert(ids.end(), suffixIds_.begin(), suffixIds_.end());
    }
    return ids;
}

PaddedIds ByteLevelBpeTokenizer::encodePadded(std::string_view text, std::size_t length,
                                              std::int64_t padId, bool addSpecial) const {
    const std::size_t specials = addSpecial ? prefixIds_.size() + suffixIds_.size() : 0;
    if (length < specials) {
        throw std::invalid_argument("ByteLevelBpeTokenizer::encodePadded: length " +
                                    std::to_string(length) + " cannot hold the " +
                                    std::to_string(specials) + " special tokens");
    }
    std::vector<std::int64_t> content = encode(text, false);
    if (content.size() > length - specials) {
        content.resize(length - specials);  // truncation "longest_first", right side
    }
    PaddedIds out;
    out.ids.reserve(length);
    if (addSpecial) {
        out.ids = prefixIds_;
    }
    out.ids.insert(out.ids.end(), content.begin(), content.end());
    if (addSpecial) {
        out.ids.insert(out.ids.end(), suffixIds_.begin(), suffixIds_.end());
    }
    out.mask.assign(out.ids.size(), 1);
    out.ids.resize(length, padId);
    out.mask.resize(length, 0);
    return out;
}

std::string ByteLevelBpeTokenizer::decode(const std::vector<std::int64_t>& ids,
                                          bool skipSpecial) const {
    std::string text;
    std::string pending;  // byte-level characters not yet turned back into bytes
    for (const std::int64_t id : ids) {
        if (const AddedToken* added = added_.findId(id)) {
            if (skipSpecial && added->special) {
                continue;
            }
            text += fromByteLevel(pending);
            pending.clear();
            text += added->content;
        } else if (const std::string* token = bpe_->tokenOf(id)) {
            pending += *token;
        }
    }
    text += fromByteLevel(pending);
    // Bytes cut inside a character become U+FFFD, as from_utf8_lossy does.
    return encodeUtf8(decodeUtf8(text));
}

std::int64_t ByteLevelBpeTokenizer::tokenToId(std::string_view token) const {
    if (const AddedToken* added = added_.find(token)) {
        return added->id;
    }
    return bpe_->idOf(std::string(token));
}

std::optional<std::string> ByteLevelBpeTokenizer::idToToken(std::int64_t id) const {
    if (const AddedToken* added = added_.findId(id)) {
        return added->content;
    }
    if (const std::string* token = bpe_->tokenOf(id)) {
        return *token;
    }
    return std::nullopt;
}

void ByteLevelBpeTokenizer::addSpecialToken(const std::string& content, std::int64_t id) {
    if (content.empty() || id < 0) {
        throw std::invalid_argument(
            "ByteLevelBpeTokenizer::addSpecialToken: empty token or "
            "negative id");
    }
    AddedToken token;
    token.content = content;
    token.id = id;
    token.special = true;
    added_.add(std::move(token));
}

}  // namespace storyreel::infer
