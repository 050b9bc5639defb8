#include "core/infer/models/wan/sentencepiece_model.h"

#include <cstring>
#include <stdexcept>

namespace storyreel::infer::wan {
namespace {

// Protocol buffer wire format: fields as (number, wire type, value).
class ProtoReader {
public:
    explicit ProtoReader(std::string_view bytes) : bytes_(bytes) {}

    bool next() {
        if (bytes_.empty()) {
            return false;
        }
        const std::uint64_t key = varint();
        field_ = static_cast<int>(key >> 3);
        wireType_ = static_cast<int>(key & 7);
        switch (wireType_) {
            case 0:
                value_ = varint();
                break;
            case 1:
                payload_ = take(8);
                break;
            case 2:
                payload_ = take(static_cast<std::size_t>(varint()));
                break;
            case 5:
                payload_ = take(4);
                break;
            default:
                throw std::runtime_error("unsupported protocol buffer wire type " +
                                         std::to_string(wireType_));
        }
        return true;
    }
    int field() const { return field_; }
    int wireType() const { return wireType_; }
    std::uint64_t value() const { return value_; }
    std::string_view payload() const { return payload_; }
    float float32() const {
        std::uint32_t bits = 0;
        for (int i = 0; i < 4; ++i) {
            bits |= static_cast<std::uint32_t>(static_cast<unsigned char>(payload_[i])) << (8 * i);
        }
        float value = 0.0f;
        std::memcpy(&value, &bits, sizeof value);
        return value;
    }

private:
    std::uint64_t varint() {
        std::uint64_t result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (bytes_.empty()) {
                throw std::runtime_error("truncated protocol buffer");
            }
            const auto byte = static_cast<unsigned char>(bytes_.front());
            bytes_.remove_prefix(1);
            result |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
            if ((byte & 0x80) == 0) {
                return result;
            }
        }
        throw std::runtime_error("malformed protocol buffer varint");
    }
    std::string_view take(std::size_t size) {
        if (size > bytes_.size()) {
            throw std::runtime_error("truncated protocol buffer");
        }
        const std::string_view part = bytes_.substr(0, size);
        bytes_.remove_prefix(size);
        return part;
    }

    std::string_view bytes_;
    int field_ = 0;
    int wireType_ = 0;
    std::uint64_t value_ = 0;
    std::string_view payload_;
};

SentencePieceModel::Piece parsePiece(std::string_view bytes) {
    SentencePieceModel::Piece piece;
    ProtoReader reader(bytes);
    while (reader.next()) {
        if (reader.field() == 1 && reader.wireType() == 2) {
            piece.text = std::string(reader.payload());
        } else if (reader.field() == 2 && reader.wireType() == 5) {
            piece.score = reader.float32();
        } else if (reader.field() == 3 && reader.wireType() == 0) {
            const std::uint64_t type = reader.value();
            if (type < 1 || type > 6) {
                throw std::runtime_error("unknown piece type " + std::to_string(type));
            }
            piece.type = static_cast<SentencePieceModel::PieceType>(type);
        }
    }
    if (piece.text.empty()) {
        throw std::runtime_error("a piece is empty");
    }
    return piece;
}

}  // namespace

SentencePieceModel parseSentencePieceModel(std::string_view bytes) {
    SentencePieceModel model;
    ProtoReader reader(bytes);
    while (reader.next()) {
        if (reader.field() == 1 && reader.wireType() == 2) {
            model.pieces.push_back(parsePiece(reader.payload()));
        } else if (reader.field() == 2 && reader.wireType() == 2) {  // TrainerSpec
            ProtoReader trainer(reader.payload());
            while (trainer.next()) {
                if (trainer.field() == 3 && trainer.wireType() == 0) {
                    model.modelType = static_cast<int>(trainer.value());
                } else if (trainer.field() == 35 && trainer.wireType() == 0) {
                    model.byteFallback = trainer.value() != 0;
                } else if (trainer.field() == 44 && trainer.wireType() == 2) {
                    model.unknownSurface = std::string(trainer.payload());
                }
            }
        } else if (reader.field() == 3 && reader.wireType() == 2) {  // NormalizerSpec
            ProtoReader normalizer(reader.payload());
            while (normalizer.next()) {
                const bool flag = normalizer.wireType() == 0 && normalizer.value() != 0;
                switch (normalizer.field()) {
                    case 2:
                        model.precompiledCharsmap = std::string(normalizer.payload());
                        break;
                    case 3:
                        model.addDummyPrefix = flag;
                        break;
                    case 4:
                        model.removeExtraWhitespaces = flag;
                        break;
                    case 5:
                        model.escapeWhitespaces = flag;
                        break;
                    default:
                        break;
                }
            }
        }
    }
    if (model.pieces.empty()) {
        throw std::runtime_error("the model has no pieces");
    }
    if (model.modelType != 1) {
        throw std::runtime_error("the model is not a Unigram model (type " +
                                 std::to_string(model.modelType) + ")");
    }
    return model;
}

}  // namespace storyreel::infer::wan
