#include "core/infer/models/wan/umt5_tokenizer.h"

#include "core/base/user_error.h"
#include "core/infer/models/wan/prompt_clean.h"
#include "core/infer/models/wan/sentencepiece_model.h"
#include "core/infer/models/wan/unigram_json.h"
#include "core/infer/models/wan/unigram_processor.h"

#include <ATen/ATen.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace storyreel::infer::wan {
namespace {

std::string readWholeFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw UserError::inFile(path, "the tokenizer file cannot be read");
    }
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool looksLikeJson(std::string_view bytes) {
    const std::size_t first = bytes.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && bytes[first] == '{';
}

}  // namespace

UMT5Tokenizer::UMT5Tokenizer(UMT5Tokenizer&&) noexcept = default;
UMT5Tokenizer& UMT5Tokenizer::operator=(UMT5Tokenizer&&) noexcept = default;
UMT5Tokenizer::~UMT5Tokenizer() = default;

UMT5Tokenizer UMT5Tokenizer::open(const std::filesystem::path& path) {
    std::filesystem::path file = path;
    if (std::filesystem::is_directory(path)) {
        file = path / "tokenizer.json";
        if (!std::filesystem::exists(file)) {
            file = path / "spiece.model";
        }
        if (!std::filesystem::exists(file)) {
            throw UserError::inFile(path,
                                    "the folder holds neither tokenizer.json nor spiece.model "
                                    "(download the google/umt5-xxl tokenizer into it)");
        }
    } else if (!std::filesystem::exists(path)) {
        throw UserError::inFile(path, "the tokenizer file does not exist");
    }
    const std::string bytes = readWholeFile(file);
    if (!looksLikeJson(bytes)) {
        return fromModelProto(bytes, file.string());
    }
    UnigramJsonModel model;
    try {
        model = unigramModelFromTokenizerJson(bytes);
    } catch (const std::exception& error) {
        throw UserError::inFile(file, std::string("not a usable tokenizer.json: ") + error.what());
    }
    return fromModelProto(model.serializedModelProto, file.string(),
                          std::move(model.specialTokens));
}

UMT5Tokenizer UMT5Tokenizer::fromModelProto(std::string_view serialized, const std::string& source,
                                            std::map<std::string, std::int64_t> specialTokens) {
    UMT5Tokenizer tokenizer;
    tokenizer.source_ = source;
    try {
        tokenizer.processor_ =
            std::make_unique<UnigramProcessor>(parseSentencePieceModel(serialized));
    } catch (const std::exception& error) {
        throw UserError(source + ": not a SentencePiece Unigram tokenizer model (" + error.what() +
                        ")");
    }
    const UnigramProcessor& sp = *tokenizer.processor_;
    tokenizer.specialTokens_.insert(specialTokens.begin(), specialTokens.end());
    // The model's own control and unknown pieces are special tokens too (transformers adds
    // </s>, <pad> and <unk> as such).
    for (std::int64_t id = 0; id < sp.pieceCount(); ++id) {
        const SentencePieceModel::PieceType type = sp.piece(id).type;
        if (type == SentencePieceModel::PieceType::Control ||
            type == SentencePieceModel::PieceType::Unknown) {
            tokenizer.specialTokens_.emplace(sp.piece(id).text, id);
        }
    }
    const auto special = [&](std::string_view piece) -> std::int64_t {
        const auto found = tokenizer.specialTokens_.find(piece);
        return found != tokenizer.specialTokens_.end() ? found->second : -1;
    };
    tokenizer.unkId_ = sp.unkId();
    tokenizer.eosId_ = special("</s>");
    tokenizer.padId_ = special("<pad>");
    if (tokenizer.eosId_ < 0 || tokenizer.padId_ < 0) {
        throw UserError(source + ": the tokenizer has no </s> or no <pad> token, which umT5 needs");
    }
    return tokenizer;
}

std::int64_t UMT5Tokenizer::pieceCount() const {
    return processor_->pieceCount();
}

std::int64_t UMT5Tokenizer::idOf(std::string_view piece) const {
    if (const auto found = specialTokens_.find(piece); found != specialTokens_.end()) {
        return found->second;
    }
    return processor_->idOf(piece);
}

void UMT5Tokenizer::encodeText(std::string_view text, std::vector<std::int64_t>& ids) const {
    const std::vector<std::int64_t> pieces = processor_->encode(text);
    ids.insert(ids.end(), pieces.begin(), pieces.end());
}

std::vector<std::int64_t> UMT5Tokenizer::encode(std::string_view prompt) const {
    const std::string text = cleanPrompt(prompt);
    std::vector<std::int64_t> ids;
    // Special tokens written in the text are cut out first; the text between them is
    // segmented on its own.
    std::size_t start = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t matched = 0;
        std::int64_t matchedId = -1;
        if (text[i] == '<') {
            for (const auto& [token, id] : specialTokens_) {
                if (token.size() > matched && text.compare(i, token.size(), token) == 0) {
                    matched = token.size();
                    matchedId = id;
                }
            }
        }
        if (matched == 0) {
            ++i;
            continue;
        }
        encodeText(std::string_view(text).substr(start, i - start), ids);
        ids.push_back(matchedId);
        i += matched;
        start = i;
    }
    encodeText(std::string_view(text).substr(start), ids);
    ids.push_back(eosId_);  // the post-processor's "$A </s>"
    return ids;
}

TokenizedPrompts UMT5Tokenizer::tokenize(const std::vector<std::string>& prompts,
                                         std::int64_t length) const {
    if (length < 1) {
        throw std::invalid_argument("UMT5Tokenizer::tokenize: the length must be positive");
    }
    const auto count = static_cast<std::int64_t>(prompts.size());
    TokenizedPrompts result;
    result.ids = at::full({count, length}, padId_, at::kLong);
    result.mask = at::zeros({count, length}, at::kLong);
    auto ids = result.ids.accessor<std::int64_t, 2>();
    auto mask = result.mask.accessor<std::int64_t, 2>();
    for (std::int64_t row = 0; row < count; ++row) {
        std::vector<std::int64_t> tokens = encode(prompts[static_cast<std::size_t>(row)]);
        if (static_cast<std::int64_t>(tokens.size()) > length) {
            // truncation=True, max_length: the pieces are cut, then </s> is appended.
            tokens.resize(static_cast<std::size_t>(length - 1));
            tokens.push_back(eosId_);
        }
        for (std::size_t k = 0; k < tokens.size(); ++k) {
            ids[row][static_cast<std::int64_t>(k)] = tokens[k];
            mask[row][static_cast<std::int64_t>(k)] = 1;
        }
    }
    return result;
}

std::string UMT5Tokenizer::decode(const std::vector<std::int64_t>& ids) const {
    return processor_->decode(ids);
}

}  // namespace storyreel::infer::wan
