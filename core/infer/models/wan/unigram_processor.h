// UnigramProcessor: SentencePiece's Unigram tokenisation, ported from google/sentencepiece
// (normalizer.cc Normalizer::Normalize, unigram_model.cc PopulateNodes and
// Lattice::Viterbi, sentencepiece_processor.cc's unknown merging, byte fallback and
// decoding) for the models parseSentencePieceModel reads. The text is normalised with the
// model's precompiled character map (NFKC for T5's nmt_nfkc: a darts-clone double array of
// byte sequences and their replacements), spaces become U+2581 with a dummy prefix, and the
// pieces are the best-scoring segmentation; characters no piece covers become <unk> (runs
// of them one <unk>) or, with byte fallback, <0xXX> pieces.
//
//   const UnigramProcessor sp(parseSentencePieceModel(bytes));
//   std::vector<std::int64_t> ids = sp.encode("a cat surfing");
//   std::string text = sp.decode(ids);
//
// Thread-safety: const methods from any thread.
#pragma once

#include "core/infer/models/wan/sentencepiece_model.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace storyreel::infer::wan {

class UnigramProcessor {
public:
    // Throws std::runtime_error when the model has no unknown piece or a malformed map.
    explicit UnigramProcessor(SentencePieceModel model);

    // Normalizer::Normalize: the text as the segmentation sees it (U+2581 for spaces).
    std::string normalize(std::string_view text) const;
    // The piece ids of `text` (no special tokens added).
    std::vector<std::int64_t> encode(std::string_view text) const;
    // The text of `ids`; control pieces give nothing, <unk> the unknown surface.
    std::string decode(const std::vector<std::int64_t>& ids) const;

    std::int64_t pieceCount() const { return static_cast<std::int64_t>(model_.pieces.size()); }
    // The id of a piece, or -1.
    std::int64_t idOf(std::string_view piece) const;
    const SentencePieceModel::Piece& piece(std::int64_t id) const;
    std::int64_t unkId() const { return unkId_; }

private:
    // Longest match of the character map at the start of `input`: (replacement, bytes used).
    std::pair<std::string_view, std::size_t> normalizePrefix(std::string_view input) const;

    SentencePieceModel model_;
    std::unordered_map<std::string_view, std::int64_t> ids_;          // every piece
    std::unordered_map<std::string_view, std::int64_t> segmentable_;  // normal, user-defined
    std::vector<std::string_view> userDefined_;
    std::size_t longestPieceBytes_ = 0;
    std::int64_t unkId_ = -1;
    float minScore_ = 0.0f;
    float maxScore_ = 0.0f;
    std::vector<std::uint32_t> charsmapUnits_;  // the darts-clone double array
    std::string_view charsmapStrings_;          // NUL-terminated replacements
};

}  // namespace storyreel::infer::wan
