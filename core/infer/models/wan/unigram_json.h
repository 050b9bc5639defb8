// unigramModelFromTokenizerJson: a Hugging Face tokenizer.json of a Unigram model (what
// google/umt5-xxl ships beside spiece.model, and what some users download alone) turned into
// the SentencePiece model it was converted from (transformers' SpmConverter read backwards):
// the vocabulary with its scores, the unknown, control and byte pieces, the precompiled
// normalisation map, the dummy-prefix and whitespace settings, serialized as the ModelProto
// a spiece.model holds, so that one reader and one UnigramProcessor serve both files.
//
//   const UnigramJsonModel m = unigramModelFromTokenizerJson(readFile("tokenizer.json"));
//   UnigramProcessor sp(parseSentencePieceModel(m.serializedModelProto));
//
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace storyreel::infer::wan {

struct UnigramJsonModel {
    // A serialized sentencepiece.ModelProto.
    std::string serializedModelProto;
    // Special added tokens by their text ("</s>", "<extra_id_0>", ...) with their ids, also
    // the ones beyond the SentencePiece vocabulary.
    std::map<std::string, std::int64_t> specialTokens;
};

// Throws std::runtime_error saying what is wrong (not JSON, not a Unigram model, a vocabulary
// entry that is not [piece, score], no unknown piece); callers add the file's name.
UnigramJsonModel unigramModelFromTokenizerJson(std::string_view json);

}  // namespace storyreel::infer::wan
