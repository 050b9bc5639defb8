#include "core/infer/tokenizers/clip_bpe_tokenizer.h"

#include "core/base/user_error.h"
#include "core/infer/tokenizers/bpe_json.h"
#include "core/infer/tokenizers/byte_level.h"
#include "core/infer/tokenizers/clip_text_clean.h"
#include "core/infer/tokenizers/pretokenizer_patterns.h"
#include "core/infer/tokenizers/tokenizer_file.h"
#include "core/infer/tokenizers/utf8.h"

#include <stdexcept>

namespace storyreel::infer {
namespace {

constexpr const char* kBos = "<|startoftext|>";
constexpr const char* kEos = "<|endoftext|>";
constexpr const char* kSuffix = "</w>";
// CLIPTokenizer reads merges.txt lines [1, 49152 - 256 - 2 + 1): the header line is skipped
// and the merges of the 49408-token vocabulary kept.
constexpr std::size_t kFirstMergeLine = 1;
constexpr std::size_t kEndMergeLine = 49152 - 256 - 2 + 1;

}  // namespace

ClipBpeTokenizer::ClipBpeTokenizer(ClipBpeTokenizer&&) noexcept = default;
ClipBpeTokenizer& ClipBpeTokenizer::operator=(ClipBpeTokenizer&&) noexcept = default;
ClipBpeTokenizer::~ClipBpeTokenizer() = default;

ClipBpeTokenizer ClipBpeTokenizer::fromFiles(const std::filesystem::path& vocabJson,
                                             const std::filesystem::path& mergesTxt) {
    return fromText(readTokenizerFile(vocabJson), vocabJson.string(), readTokenizerFile(mergesTxt),
                    mergesTxt.string());
}

ClipBpeTokenizer ClipBpeTokenizer::fromText(std::string_view vocabJson,
                                            const std::string& vocabSource,
                                            std::string_view mergesTxt,
                                            const std::string& mergesSource) {
    std::unordered_map<std::string, std::int64_t> vocab =
        vocabFromJson(parseTokenizerJson(vocabJson, vocabSource), vocabSource);
    const std::vector<std::pair<std::string, std::string>> merges =
        mergesFromText(mergesTxt, mergesSource, kFirstMergeLine, kEndMergeLine);
    BpeModel::Options options;
    options.endOfWordSuffix = kSuffix;
    if (const auto eos = vocab.find(kEos); eos != vocab.end()) {
        options.unknownId = eos->second;  // CLIPTokenizer's unk_token
    }
    ClipBpeTokenizer tokenizer;
    try {
        tokenizer.bpe_ = std::make_unique<BpeModel>(std::move(vocab), merges, std::move(options));
    } catch (const std::runtime_error& error) {
        throw UserError(mergesSource + ": " + error.what() + " (" + vocabSource + ")");
    }
    tokenizer.finish(vocabSource);
    return tokenizer;
}

ClipBpeTokenizer ClipBpeTokenizer::fromTokenizerJson(const std::filesystem::path& path) {
    const std::string source = path.string();
    const JsonValue root = readTokenizerJson(path);
    if (!root.isObject()) {
        throw UserError(source + ": a tokenizer.json must be a JSON object");
    }
    ClipBpeTokenizer tokenizer;
    tokenizer.bpe_ = bpeModelFromJson(requireField(root, "model", source), source);
    if (tokenizer.bpe_->options().endOfWordSuffix != kSuffix) {
        throw UserError(source +
                        ": the BPE model has no \"</w>\" end_of_word_suffix, so it is "
                        "not a CLIP tokenizer");
    }
    tokenizer.added_ = AddedTokens(addedTokensFromJson(root, source));
    tokenizer.finish(source);
    return tokenizer;
}

ClipBpeTokenizer ClipBpeTokenizer::open(const std::filesystem::path& folder) {
    if (std::filesystem::exists(folder / "vocab.json") &&
        std::filesystem::exists(folder / "merges.txt")) {
        return fromFiles(folder / "vocab.json", folder / "merges.txt");
    }
    if (std::filesystem::exists(folder / "tokenizer.json")) {
        return fromTokenizerJson(folder / "tokenizer.json");
    }
    throw UserError::inFile(folder,
                            "the folder holds neither vocab.json with merges.txt nor "
                            "tokenizer.json (download the openai/clip-vit-large-patch14 "
                            "tokenizer into it)");
}

void ClipBpeTokenizer::finish(const std::string& source) {
    bosId_ = bpe_->idOf(kBos);
    eosId_ = bpe_->idOf(kEos);
    if (bosId_ < 0 || eosId_ < 0) {
        throw UserError(source +
                        ": the vocabulary has no <|startoftext|> or no <|endoftext|>, "
                        "which CLIP needs");
    }
    for (const auto& [content, id] : {std::pair<std::string, std::int64_t>{kBos, bosId_},
                                      std::pair<std::string, std::int64_t>{kEos, eosId_}}) {
        AddedToken token;
        token.content = content;
        token.id = id;
        token.special = true;
        added_.add(std::move(token));
    }
}

std::vector<std::int64_t> ClipBpeTokenizer::encode(std::string_view text, bool addSpecial) const {
    std::vector<std::int64_t> ids;
    if (addSpecial) {
        ids.push_back(bosId_);
    }
    for (const TextPart& part : added_.split(text)) {
        if (part.id >= 0) {
            ids.push_back(part.id);
            continue;
        }
        const std::u32string cleaned = cleanClipText(part.text);
        for (const auto& [begin, end] : splitClip(cleaned)) {
            const std::string piece =
                encodeUtf8(std::u32string_view(cleaned).substr(begin, end - begin));
            // The regex keeps "<|endoftext|>" whole (written in capitals, it was no added
            // token before lowercasing); CLIP's BPE cache maps it to its id.
            if (piece == kBos || piece == kEos) {
                ids.push_back(piece == kBos ? bosId_ : eosId_);
                continue;
            }
            bpe_->encodeWord(toByteLevel(piece), ids);
        }
    }
    if (addSpecial) {
        ids.push_back(eosId_);
    }
    return ids;
}

PaddedIds ClipBpeTokenizer::encodePadded(std::string_view text, std::size_t length) const {
    if (length < 2) {
        throw std::invalid_argument(
            "ClipBpeTokenizer::encodePadded: the length must hold bos "
            "and eos");
    }
    std::vector<std::int64_t> content = encode(text, false);
    if (content.size() > length - 2) {
        content.resize(length - 2);
    }
    PaddedIds out;
    out.ids.reserve(length);
    out.ids.push_back(bosId_);
    out.ids.insert(out.ids.end(), content.begin(), content.end());
    out.ids.push_back(eosId_);
    out.mask.assign(out.ids.size(), 1);
    out.ids.resize(length, padId());
    out.mask.resize(length, 0);
    return out;
}

std::string ClipBpeTokenizer::decode(const std::vector<std::int64_t>& ids, bool skipSpecial) const {
    std::string mapped;
    for (const std::int64_t id : ids) {
        if (id == bosId_ || id == eosId_) {
            if (!skipSpecial) {
                mapped += id == bosId_ ? kBos : kEos;
            }
            continue;
        }
        if (const std::string* token = bpe_->tokenOf(id)) {
            mapped += *token;
        }
    }
    std::string text;
    std::size_t start = 0;
    const std::string_view view(mapped);
    while (start < view.size()) {
        const std::size_t suffix = view.find(kSuffix, start);
        const std::size_t end = suffix == std::string_view::npos ? view.size() : suffix;
        text += fromByteLevel(view.substr(start, end - start));
        if (suffix == std::string_view::npos) {
            break;
        }
        text += ' ';
        start = suffix + std::char_traits<char>::length(kSuffix);
    }
    while (!text.empty() && text.back() == ' ') {
        text.pop_back();
    }
    return encodeUtf8(decodeUtf8(text));
}

std::int64_t ClipBpeTokenizer::tokenToId(std::string_view token) const {
    return bpe_->idOf(std::string(token));
}

}  // namespace storyreel::infer
