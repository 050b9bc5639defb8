// UMT5Tokenizer on tiny SentencePiece Unigram models trained here with libsentencepiece_train
// (no real spiece.model is shipped with the tests), with umT5's special ids: <pad> 0, </s> 1,
// <unk> 2, no <s>. libsentencepiece runs in a helper program (spm_reference_tool.cpp), which
// also gives the reference segmentation that UnigramProcessor must reproduce.
#ifdef STORYREEL_SPM_REFERENCE

#include "core/infer/models/wan/umt5_tokenizer.h"

#include "core/base/user_error.h"
#include "core/infer/models/wan/sentencepiece_model.h"
#include "core/infer/models/wan/unigram_processor.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using storyreel::infer::wan::parseSentencePieceModel;
using storyreel::infer::wan::SentencePieceModel;
using storyreel::infer::wan::TokenizedPrompts;
using storyreel::infer::wan::UMT5Tokenizer;
using storyreel::infer::wan::UnigramProcessor;

namespace fs = std::filesystem;

namespace {

const char* const kAccents =
    "caf\xC3\xA9 na\xC3\xAF"
    "ve \xC3\xBC"
    "ber se\xC3\xB1"
    "or";
const char* const kChinese =
    "\xE4\xB8\x80\xE5\x8F\xAA\xE7\x8C\xAB\xE5\x9C\xA8\xE5\x86\xB2"
    "\xE6\xB5\xAA";  // a cat surfing
const char* const kEmoji = "\xF0\x9F\x8E\xAC \xF0\x9F\x90\xB1";

std::string joined(const std::vector<std::string>& words) {
    std::string text;
    for (const std::string& word : words) {
        text += (text.empty() ? "" : " ") + word;
    }
    return text;
}

// A temporary folder for the models and files of this run, removed at exit.
fs::path scratchDir() {
    struct Scratch {
        Scratch() {
            std::random_device random;
            path = fs::temp_directory_path() / ("storyreel_spm_" + std::to_string(random()));
            fs::create_directories(path);
        }
        ~Scratch() {
            std::error_code ignored;
            fs::remove_all(path, ignored);
        }
        fs::path path;
    };
    static const Scratch scratch;
    return scratch.path;
}

void runReference(const std::vector<std::string>& args) {
    std::string command = "'" STORYREEL_SPM_REFERENCE "'";
    for (const std::string& arg : args) {
        command += " '" + arg + "'";
    }
    INFO(command);
    REQUIRE(std::system(command.c_str()) == 0);
}

// A Unigram model trained on a small English text with accents, Chinese and emoji, umT5's
// special ids, and the given normalisation rule. Returns the .model path.
fs::path trainModel(const std::string& name, const std::string& normalization) {
    const fs::path dir = scratchDir();
    const fs::path model = dir / (name + ".model");
    if (fs::exists(model)) {
        return model;
    }
    const fs::path corpus = dir / "corpus.txt";
    {
        std::ofstream out(corpus);
        const std::vector<std::string> lines = {
            "hello world",
            "a cat surfing a wave at sunset",
            "the camera slowly pans over the hello world city",
            "a dog runs across the wet beach",
            joined({"the", kAccents, "walks in the park"}),
            joined({kChinese, kChinese}),
            joined({"movie night", kEmoji}),
            "slow zoom on the face of a smiling woman",
            "aerial shot of mountains covered in snow",
        };
        for (int repeat = 0; repeat < 40; ++repeat) {
            for (const std::string& line : lines) {
                out << line << "\n";
            }
        }
    }
    runReference({"train", corpus.string(), (dir / name).string(), normalization});
    return model;
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const UMT5Tokenizer& tokenizer() {
    static const UMT5Tokenizer instance = UMT5Tokenizer::open(trainModel("nfkc", "nmt_nfkc"));
    return instance;
}

std::string base64(std::string_view bytes) {
    static constexpr char kDigits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t group = 0;
        const std::size_t count = std::min<std::size_t>(3, bytes.size() - i);
        for (std::size_t k = 0; k < 3; ++k) {
            group <<= 8;
            if (k < count) {
                group |= static_cast<unsigned char>(bytes[i + k]);
            }
        }
        for (std::size_t k = 0; k < 4; ++k) {
            out.push_back(k <= count ? kDigits[(group >> (18 - 6 * k)) & 0x3F] : '=');
        }
    }
    return out;
}

std::string jsonString(const std::string& text) {
    std::ostringstream out;
    out << '"';
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out << '\\' << c;
        } else {
            out << c;
        }
    }
    out << '"';
    return out.str();
}

// The tokenizer.json transformers' SpmConverter writes for a model with a normalisation
// rule: its precompiled character map in base64 inside a Sequence normalizer.
void writeTokenizerJson(const SentencePieceModel& model, const fs::path& path) {
    std::ostringstream json;
    json << std::setprecision(9);
    json << R"({"version":"1.0","added_tokens":[)"
         << R"({"id":0,"content":"<pad>","special":true},)"
         << R"({"id":1,"content":"</s>","special":true},)"
         << R"({"id":2,"content":"<unk>","special":true}],)"
         << R"("normalizer":{"type":"Sequence","normalizers":[{"type":"Precompiled",)"
         << R"("precompiled_charsmap":")" << base64(model.precompiledCharsmap) << R"("},)"
         << R"({"type":"Replace","pattern":{"Regex":" {2,}"},"content":"\u2581"}]},)"
         << R"("pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"WhitespaceSplit"},)"
         << R"({"type":"Metaspace","replacement":"\u2581","add_prefix_space":true}]},)"
         << R"("model":{"type":"Unigram","unk_id":2,"vocab":[)";
    for (std::size_t id = 0; id < model.pieces.size(); ++id) {
        json << (id > 0 ? "," : "") << "[" << jsonString(model.pieces[id].text) << ","
             << model.pieces[id].score << "]";
    }
    json << "]}}";
    std::ofstream(path) << json.str();
}

std::vector<std::int64_t> row(const at::Tensor& t, std::int64_t r) {
    const at::Tensor line = t[r].contiguous();
    return {line.data_ptr<std::int64_t>(), line.data_ptr<std::int64_t>() + line.numel()};
}

// Texts for comparing with the reference: spacing, NFKC (full-width letters, ligatures,
// compatibility digits), accents in both compositions, unseen characters, emoji.
const std::vector<std::string>& referenceTexts() {
    static const std::vector<std::string> texts = {
        "hello world",
        "  hello    world  ",
        "the camera slowly pans over a dog",
        "\xEF\xBC\xA8\xEF\xBD\x85\xEF\xBD\x8C\xEF\xBD\x8C\xEF\xBD\x8F world",  // full-width Hello
        "\xEF\xAC\x81"
        "ne \xE2\x91\xA0 \xE2\x85\xA2",  // fi ligature, circled 1, Roman III
        "cafe\xCC\x81 caf\xC3\xA9",      // decomposed and composed e acute
        joined({kAccents, kChinese, kEmoji}),
        "unseen \xD7\x90\xD7\x91 x \xD7\x92",  // Hebrew: not in the model, runs of <unk>
        "dogsurfingcatwave",
        "a",
        "",
    };
    return texts;
}

}  // namespace

TEST_CASE("Unigram processor segments like libsentencepiece", "[infer][wan][text]") {
    for (const std::string rule : {"nmt_nfkc", "identity"}) {
        const fs::path model = trainModel(rule, rule);
        const UnigramProcessor processor(parseSentencePieceModel(readFile(model)));
        const fs::path in = scratchDir() / ("texts_" + rule + ".txt");
        const fs::path out = scratchDir() / ("ids_" + rule + ".txt");
        {
            std::ofstream texts(in);
            for (const std::string& text : referenceTexts()) {
                texts << text << "\n";
            }
        }
        runReference({"encode", model.string(), in.string(), out.string()});
        std::ifstream expected(out);
        for (const std::string& text : referenceTexts()) {
            INFO(rule << ": '" << text << "'");
            std::string line;
            REQUIRE(std::getline(expected, line));
            const std::size_t tab = line.find('\t');
            REQUIRE(tab != std::string::npos);
            std::vector<std::int64_t> wantIds;
            std::istringstream ids(line.substr(0, tab));
            for (std::int64_t id = 0; ids >> id;) {
                wantIds.push_back(id);
            }
            const std::vector<std::int64_t> got = processor.encode(text);
            CHECK(got == wantIds);
            CHECK(processor.decode(got) == line.substr(tab + 1));
        }
    }
}

TEST_CASE("umT5 tokenizer gives the ids of known pieces and appends </s>", "[infer][wan][text]") {
    const UMT5Tokenizer& t = tokenizer();
    CHECK(t.padId() == 0);
    CHECK(t.eosId() == 1);
    CHECK(t.unkId() == 2);
    const std::int64_t slow = t.idOf("\xE2\x96\x81slow");
    const std::int64_t world = t.idOf("\xE2\x96\x81world");
    REQUIRE(slow > 2);
    REQUIRE(world > 2);
    CHECK(t.encode("slow world") == std::vector<std::int64_t>{slow, world, 1});
    // The whitespace cleaning runs first; a written </s> is the special token.
    CHECK(t.encode("  slow \t\n world  ") == std::vector<std::int64_t>{slow, world, 1});
    CHECK(t.encode("slow</s>") == std::vector<std::int64_t>{slow, 1, 1});
    CHECK(t.encode("") == std::vector<std::int64_t>{1});
}

TEST_CASE("umT5 tokenizer pads to 512 with <pad> and an attention mask", "[infer][wan][text]") {
    const UMT5Tokenizer& t = tokenizer();
    const TokenizedPrompts batch = t.tokenize({"slow world", "world", ""});
    REQUIRE(batch.ids.sizes() == at::IntArrayRef{3, 512});
    REQUIRE(batch.mask.sizes() == at::IntArrayRef{3, 512});
    CHECK(batch.ids.scalar_type() == at::kLong);
    CHECK(batch.mask.scalar_type() == at::kLong);
    const std::vector<std::int64_t> first = row(batch.ids, 0);
    CHECK(first[0] == t.idOf("\xE2\x96\x81slow"));
    CHECK(first[2] == 1);
    CHECK(std::all_of(first.begin() + 3, first.end(), [](std::int64_t id) { return id == 0; }));
    CHECK(batch.mask.sum(1).equal(at::tensor(std::vector<std::int64_t>{3, 2, 1})));
    CHECK(batch.mask[0].slice(0, 0, 3).eq(1).all().item<bool>());
    CHECK(batch.mask[0].slice(0, 3).eq(0).all().item<bool>());
}

TEST_CASE("umT5 tokenizer truncates a long prompt to 511 pieces and </s>", "[infer][wan][text]") {
    const UMT5Tokenizer& t = tokenizer();
    std::string prompt;
    for (int i = 0; i < 1000; ++i) {
        prompt += "world ";
    }
    REQUIRE(t.encode(prompt).size() == 1001);
    const TokenizedPrompts batch = t.tokenize({prompt});
    const std::vector<std::int64_t> ids = row(batch.ids, 0);
    const std::int64_t world = t.idOf("\xE2\x96\x81world");
    REQUIRE(world > 2);
    CHECK(
        std::all_of(ids.begin(), ids.begin() + 511, [&](std::int64_t id) { return id == world; }));
    CHECK(ids[511] == 1);
    CHECK(batch.mask.sum().item<std::int64_t>() == 512);
    // Other lengths too (the reference takes seq_len from its caller).
    const TokenizedPrompts short4 = t.tokenize({prompt}, 4);
    CHECK(row(short4.ids, 0) == std::vector<std::int64_t>{world, world, world, 1});
}

TEST_CASE("umT5 tokenizer handles accents, Chinese and emoji and decodes them back",
          "[infer][wan][text]") {
    const UMT5Tokenizer& t = tokenizer();
    for (const std::string& text : std::vector<std::string>{
             kAccents, kChinese, kEmoji, joined({"a cat", kEmoji, kChinese, kAccents})}) {
        INFO(text);
        const std::vector<std::int64_t> ids = t.encode(text);
        REQUIRE(ids.size() >= 2);
        CHECK(ids.back() == 1);
        CHECK(std::find(ids.begin(), ids.end(), t.unkId()) == ids.end());
        CHECK(t.decode(ids) == text);
    }
    // Characters the model never saw become one <unk> per run.
    CHECK(t.encode("\xD7\x90\xD7\x91") ==
          std::vector<std::int64_t>{t.idOf("\xE2\x96\x81"), t.unkId(), 1});
}

TEST_CASE("umT5 tokenizer reads tokenizer.json like spiece.model", "[infer][wan][text]") {
    const fs::path model = trainModel("identity", "identity");
    const fs::path folder = scratchDir() / "umt5_json";
    fs::create_directories(folder);
    runReference({"json", model.string(), (folder / "tokenizer.json").string()});
    const UMT5Tokenizer fromSpiece = UMT5Tokenizer::open(model);
    const UMT5Tokenizer fromJson = UMT5Tokenizer::open(folder);  // a folder: its tokenizer.json
    CHECK(fromJson.pieceCount() == fromSpiece.pieceCount());
    CHECK(fromJson.eosId() == 1);
    CHECK(fromJson.padId() == 0);
    CHECK(fromJson.unkId() == 2);
    for (const std::string& text : referenceTexts()) {
        INFO(text);
        CHECK(fromJson.encode(text) == fromSpiece.encode(text));
        CHECK(fromJson.decode(fromJson.encode(text)) == fromSpiece.decode(fromSpiece.encode(text)));
    }
}

TEST_CASE("umT5 tokenizer reads a tokenizer.json with a precompiled NFKC map",
          "[infer][wan][text]") {
    const fs::path model = trainModel("nfkc", "nmt_nfkc");
    const SentencePieceModel parsed = parseSentencePieceModel(readFile(model));
    REQUIRE_FALSE(parsed.precompiledCharsmap.empty());
    const fs::path json = scratchDir() / "nfkc_tokenizer.json";
    writeTokenizerJson(parsed, json);
    const UMT5Tokenizer fromSpiece = UMT5Tokenizer::open(model);
    const UMT5Tokenizer fromJson = UMT5Tokenizer::open(json);
    for (const std::string& text : referenceTexts()) {
        INFO(text);
        CHECK(fromJson.encode(text) == fromSpiece.encode(text));
    }
}

TEST_CASE("umT5 tokenizer names the file it cannot use", "[infer][wan][text]") {
    const fs::path bad = scratchDir() / "not_a_model.model";
    std::ofstream(bad) << "this is not a sentencepiece model";
    REQUIRE_THROWS_AS(UMT5Tokenizer::open(bad), storyreel::UserError);
    REQUIRE_THROWS_WITH(UMT5Tokenizer::open(bad), Catch::Contains("not_a_model.model"));
    const fs::path json = scratchDir() / "bpe" / "tokenizer.json";
    fs::create_directories(json.parent_path());
    std::ofstream(json) << R"({"model":{"type":"BPE","vocab":{}}})";
    REQUIRE_THROWS_WITH(UMT5Tokenizer::open(json.parent_path()),
                        Catch::Contains("tokenizer.json") && Catch::Contains("Unigram"));
    REQUIRE_THROWS_WITH(UMT5Tokenizer::open(scratchDir() / "missing_folder"),
                        Catch::Contains("missing_folder"));
}

#endif  // STORYREEL_SPM_REFERENCE
