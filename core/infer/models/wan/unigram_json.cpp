#include "core/infer/models/wan/unigram_json.h"

#include "core/infer/weights/json_value.h"

#include <cstring>
#include <optional>
#include <stdexcept>
#include <vector>

namespace storyreel::infer::wan {
namespace {

// sentencepiece_model.proto field numbers and enum values.
enum PieceType : std::uint64_t { kNormal = 1, kUnknown = 2, kControl = 3, kByte = 6 };
constexpr std::uint64_t kModelTypeUnigram = 1;

// Protocol buffer wire format, the few pieces a ModelProto needs.
class ProtoWriter {
public:
    void varint(int field, std::uint64_t value) {
        key(field, 0);
        raw(value);
    }
    // int32 fields encode negative values as ten-byte varints.
    void int32(int field, std::int32_t value) {
        varint(field, static_cast<std::uint64_t>(static_cast<std::int64_t>(value)));
    }
    void bytes(int field, std::string_view value) {
        key(field, 2);
        raw(value.size());
        out_.append(value);
    }
    void float32(int field, float value) {
        key(field, 5);
        char little[4];
        std::uint32_t bits = 0;
        std::memcpy(&bits, &value, sizeof bits);
        for (int i = 0; i < 4; ++i) {
            little[i] = static_cast<char>((bits >> (8 * i)) & 0xFF);
        }
        out_.append(little, 4);
    }
    const std::string& text() const { return out_; }

private:
    void key(int field, int wireType) {
        raw((static_cast<std::uint64_t>(field) << 3) | static_cast<std::uint64_t>(wireType));
    }
    void raw(std::uint64_t value) {
        while (value >= 0x80) {
            out_.push_back(static_cast<char>((value & 0x7F) | 0x80));
            value >>= 7;
        }
        out_.push_back(static_cast<char>(value));
    }
    std::string out_;
};

std::string base64Decode(std::string_view text) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : text) {
        int value = -1;
        if (c >= 'A' && c <= 'Z') {
            value = c - 'A';
        } else if (c >= 'a' && c <= 'z') {
            value = c - 'a' + 26;
        } else if (c >= '0' && c <= '9') {
            value = c - '0' + 52;
        } else if (c == '+') {
            value = 62;
        } else if (c == '/') {
            value = 63;
        } else if (c == '=') {
            break;
        } else {
            throw std::runtime_error("the precompiled_charsmap is not base64");
        }
        buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
        }
    }
    return out;
}

const std::string* stringMember(const JsonValue& object, std::string_view key) {
    const JsonValue* value = object.isObject() ? object.find(key) : nullptr;
    return value != nullptr && value->isString() ? &value->text() : nullptr;
}

// Every object in `value` (itself included) whose "type" is `type`, depth first: normalizers
// and pre-tokenizers nest inside "Sequence"s.
void collectOfType(const JsonValue& value, std::string_view type,
                   std::vector<const JsonValue*>& found) {
    if (value.isObject()) {
        if (const std::string* t = stringMember(value, "type"); t != nullptr && *t == type) {
            found.push_back(&value);
        }
    }
    if (value.isObject() || value.isArray()) {
        for (const JsonValue& item : value.items()) {
            collectOfType(item, type, found);
        }
    }
}

std::vector<const JsonValue*> ofType(const JsonValue* root, std::string_view type) {
    std::vector<const JsonValue*> found;
    if (root != nullptr) {
        collectOfType(*root, type, found);
    }
    return found;
}

bool isBytePiece(const std::string& piece) {
    return piece.size() == 6 && piece.compare(0, 3, "<0x") == 0 && piece[5] == '>';
}

// NormalizerSpec: SpmConverter's normalizer is [Precompiled(charsmap)] + whitespace rules;
// its pre-tokenizer Metaspace carries the dummy prefix.
std::string normalizerSpec(const JsonValue& root) {
    const JsonValue* normalizer = root.find("normalizer");
    const JsonValue* preTokenizer = root.find("pre_tokenizer");
    std::string charsmap;
    for (const JsonValue* precompiled : ofType(normalizer, "Precompiled")) {
        if (const std::string* map = stringMember(*precompiled, "precompiled_charsmap")) {
            charsmap = base64Decode(*map);
        }
    }
    bool removeExtraWhitespaces = false;
    for (const JsonValue* replace : ofType(normalizer, "Replace")) {
        const JsonValue* pattern = replace->find("pattern");
        const std::string* regex = pattern != nullptr ? stringMember(*pattern, "Regex") : nullptr;
        removeExtraWhitespaces = removeExtraWhitespaces || (regex != nullptr && *regex == " {2,}");
    }
    bool addDummyPrefix = true;
    for (const JsonValue* metaspace : ofType(preTokenizer, "Metaspace")) {
        if (const std::string* scheme = stringMember(*metaspace, "prepend_scheme")) {
            addDummyPrefix = *scheme != "never";
        } else if (const JsonValue* add = metaspace->find("add_prefix_space")) {
            addDummyPrefix = add->boolean();
        }
    }
    ProtoWriter spec;
    spec.bytes(1, charsmap.empty() ? "identity" : "user_defined");
    if (!charsmap.empty()) {
        spec.bytes(2, charsmap);
    }
    spec.varint(3, addDummyPrefix ? 1 : 0);
    spec.varint(4, removeExtraWhitespaces ? 1 : 0);
    spec.varint(5, 1);  // escape_whitespaces: spaces become U+2581
    return spec.text();
}

}  // namespace

UnigramJsonModel unigramModelFromTokenizerJson(std::string_view json) {
    const JsonValue root = parseJson(json);
    const JsonValue* model = root.isObject() ? root.find("model") : nullptr;
    const std::string* type = model != nullptr ? stringMember(*model, "type") : nullptr;
    if (type == nullptr || *type != "Unigram") {
        throw std::runtime_error("the tokenizer is not a Unigram model (SentencePiece)");
    }
    const JsonValue* vocab = model->find("vocab");
    if (vocab == nullptr || !vocab->isArray() || vocab->size() == 0) {
        throw std::runtime_error("the Unigram model has no vocabulary");
    }
    const JsonValue* unk = model->find("unk_id");
    const std::optional<std::int64_t> unkId = unk != nullptr ? unk->asInt64() : std::nullopt;
    if (!unkId || *unkId < 0 || *unkId >= static_cast<std::int64_t>(vocab->size())) {
        throw std::runtime_error("the Unigram model has no unknown piece (unk_id)");
    }
    const JsonValue* byteFallbackValue = model->find("byte_fallback");
    const bool byteFallback = byteFallbackValue != nullptr && byteFallbackValue->boolean();

    UnigramJsonModel result;
    if (const JsonValue* added = root.find("added_tokens"); added != nullptr && added->isArray()) {
        for (const JsonValue& token : added->items()) {
            const std::string* content = stringMember(token, "content");
            const JsonValue* id = token.find("id");
            const JsonValue* special = token.find("special");
            if (content != nullptr && id != nullptr && id->asInt64() && special != nullptr &&
                special->boolean()) {
                result.specialTokens[*content] = *id->asInt64();
            }
        }
    }

    ProtoWriter proto;
    for (std::size_t i = 0; i < vocab->size(); ++i) {
        const JsonValue& entry = vocab->at(i);
        if (!entry.isArray() || entry.size() != 2 || !entry.at(0).isString() ||
            !entry.at(1).asDouble()) {
            throw std::runtime_error("vocabulary entry " + std::to_string(i) +
                                     " is not [piece, score]");
        }
        const std::string& piece = entry.at(0).text();
        std::uint64_t pieceType = kNormal;
        if (static_cast<std::int64_t>(i) == *unkId) {
            pieceType = kUnknown;
        } else if (const auto special = result.specialTokens.find(piece);
                   special != result.specialTokens.end() &&
                   special->second == static_cast<std::int64_t>(i)) {
            pieceType = kControl;
        } else if (byteFallback && isBytePiece(piece)) {
            pieceType = kByte;
        }
        ProtoWriter sentencePiece;
        sentencePiece.bytes(1, piece);
        sentencePiece.float32(2, static_cast<float>(*entry.at(1).asDouble()));
        sentencePiece.varint(3, pieceType);
        proto.bytes(1, sentencePiece.text());
    }

    const auto idOf = [&](const std::string& piece) -> std::int32_t {
        const auto found = result.specialTokens.find(piece);
        return found != result.specialTokens.end() ? static_cast<std::int32_t>(found->second) : -1;
    };
    ProtoWriter trainer;
    trainer.varint(3, kModelTypeUnigram);
    if (byteFallback) {
        trainer.varint(35, 1);
    }
    trainer.int32(40, static_cast<std::int32_t>(*unkId));
    trainer.int32(41, idOf("<s>"));
    trainer.int32(42, idOf("</s>"));
    trainer.int32(43, idOf("<pad>"));
    proto.bytes(2, trainer.text());
    proto.bytes(3, normalizerSpec(root));
    result.serializedModelProto = proto.text();
    return result;
}

}  // namespace storyreel::infer::wan
