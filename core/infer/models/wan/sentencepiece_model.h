// SentencePieceModel: the contents of a SentencePiece model file (spiece.model, a serialized
// sentencepiece.ModelProto) that a Unigram tokenizer needs: the pieces with their scores and
// types, the special ids and the normaliser settings with its precompiled character map.
// Read with a small protocol-buffer reader of our own: Debian's libsentencepiece carries
// its own copy of protobuf whose exported symbols clash with the libprotobuf that LibTorch
// loads (the process crashes at start), so core/infer does not link it.
//
//   const SentencePieceModel model = parseSentencePieceModel(bytes);   // throws
//   for (const SentencePieceModel::Piece& p : model.pieces) use(p.text, p.score);
//
// Thread-safety: pure function and value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer::wan {

struct SentencePieceModel {
    // sentencepiece_model.proto ModelProto.SentencePiece.Type values.
    enum class PieceType {
        Normal = 1,
        Unknown = 2,
        Control = 3,
        UserDefined = 4,
        Unused = 5,
        Byte = 6
    };
    struct Piece {
        std::string text;
        float score = 0.0f;
        PieceType type = PieceType::Normal;
    };
    std::vector<Piece> pieces;
    int modelType = 1;  // TrainerSpec.ModelType: 1 Unigram (the only one supported)
    bool byteFallback = false;
    // NormalizerSpec
    std::string precompiledCharsmap;
    bool addDummyPrefix = true;
    bool removeExtraWhitespaces = true;
    bool escapeWhitespaces = true;
    std::string unknownSurface = " \xE2\x81\x87 ";  // TrainerSpec.unk_surface
};

// Throws std::runtime_error saying what is malformed.
SentencePieceModel parseSentencePieceModel(std::string_view bytes);

}  // namespace storyreel::infer::wan
