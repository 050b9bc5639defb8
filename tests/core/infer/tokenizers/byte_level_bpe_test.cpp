// ByteLevelBpeTokenizer on tests/data/tokenizers/llama_small/tokenizer.json: a Llama 3 style
// tokenizer.json (Llama 3's pre-tokenizer and special tokens, the 256 byte tokens, a few
// merges) whose expected ids come from Hugging Face tokenizers (make_expected.js), plus
// hand-checked cases; and, when STORYREEL_LLAMA3_TOKENIZER_JSON names Meta's Llama 3
// tokenizer.json, the real ids in llama3_expected.json.
#include "core/infer/tokenizers/byte_level_bpe.h"

#include "core/base/user_error.h"
#include "tests/core/infer/tokenizers/tokenizer_test_support.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

using namespace storyreel::infer;
using namespace storyreel::infer::test;
using Catch::Matchers::Contains;

namespace {

// The small file's special tokens follow its 301 vocabulary entries, as in Llama 3's file.
constexpr std::int64_t kBos = 301;
constexpr std::int64_t kStartHeader = 303;
constexpr std::int64_t kEndHeader = 304;
constexpr std::int64_t kEot = 305;

std::filesystem::path smallLlamaPath() {
    return tokenizerDataDir() / "llama_small" / "tokenizer.json";
}

const ByteLevelBpeTokenizer& smallLlama() {
    static const ByteLevelBpeTokenizer tokenizer =
        ByteLevelBpeTokenizer::fromTokenizerJson(smallLlamaPath());
    return tokenizer;
}

// The ids of vocabulary tokens given by their (byte-level) text.
std::vector<std::int64_t> idsOfTokens(const ByteLevelBpeTokenizer& tokenizer,
                                      const std::vector<std::string>& tokens) {
    std::vector<std::int64_t> ids;
    for (const std::string& token : tokens) {
        const std::int64_t id = tokenizer.tokenToId(token);
        REQUIRE(id >= 0);
        ids.push_back(id);
    }
    return ids;
}

const std::string kG = "\xC4\xA0";  // 'Ġ', a space
const std::string kC = "\xC4\x8A";  // 'Ċ', a newline

}  // namespace

TEST_CASE("Llama 3 style tokenizer.json gives the ids of Hugging Face tokenizers", "[tokenizer]") {
    const JsonValue expected = readJsonFile(tokenizerDataDir() / "llama_small_expected.json");
    const JsonValue& cases = *expected.find("cases");
    REQUIRE(cases.size() >= 15);
    for (const JsonValue& item : cases.items()) {
        const std::string& prompt = item.find("prompt")->text();
        INFO("prompt: " << prompt);
        std::printf("llama_small: %s\n", prompt.c_str());
        CHECK(smallLlama().encode(prompt, true) == idsOf(*item.find("ids")));
    }
}

TEST_CASE("Byte-level BPE merges in rank order and keeps vocabulary words whole", "[tokenizer]") {
    const ByteLevelBpeTokenizer& tok = smallLlama();
    // ignore_merges: words that are vocabulary entries come out whole.
    CHECK(tok.encode(" the cat", true) ==
          std::vector<std::int64_t>{kBos, tok.tokenToId(kG + "the"), tok.tokenToId(kG + "cat")});
    CHECK(tok.encode(" surfing", false) == idsOfTokens(tok, {kG + "surfing"}));
    CHECK(tok.encode("xyz", false) == idsOfTokens(tok, {"xyz"}));
    // Merges: "in"(6) < "ing"(7) < "su"(8) < "sur"(9) < "surf"(10); "surf"+"ing" has no merge.
    CHECK(tok.encode("surfing", false) == idsOfTokens(tok, {"surf", "ing"}));
    // Without ignore_merges, " surfing" merges "s u"(8) before "Ġ s"(11), so "Ġ" stays apart.
    const std::string text = readText(smallLlamaPath());
    const ByteLevelBpeTokenizer merged = ByteLevelBpeTokenizer::fromJsonText(
        replaced(text, "\"ignore_merges\": true", "\"ignore_merges\": false"), "merged.json");
    CHECK(merged.encode(" surfing", false) == idsOfTokens(tok, {kG, "surf", "ing"}));
    CHECK(merged.encode("xyz", false) == idsOfTokens(tok, {"xy", "z"}));
    CHECK(merged.encode(" the", false) == idsOfTokens(tok, {kG + "the"}));
    // "Ã ©"(20) before "Ġc a"(21): é merges first, then Ġca, Ġcaf, Ġcafé.
    CHECK(merged.encode(" caf\xC3\xA9", false) == idsOfTokens(tok, {kG + "caf\xC3\x83\xC2\xA9"}));
}

TEST_CASE("Byte-level BPE spells unknown characters with the byte tokens", "[tokenizer]") {
    const ByteLevelBpeTokenizer& tok = smallLlama();
    // 😁 F0 9F 98 81: no merge covers it, so its four bytes' characters.
    CHECK(tok.encode("\xF0\x9F\x98\x81", false) ==
          idsOfTokens(tok, {"\xC3\xB0", "\xC5\x81", "\xC4\xBA", "\xC4\xA3"}));
    // 你 alone is the vocabulary word "ä½ł"; after a space it is four byte tokens.
    CHECK(tok.encode("\xE4\xBD\xA0", false) == idsOfTokens(tok, {"\xC3\xA4\xC2\xBD\xC5\x82"}));
    CHECK(tok.encode(" \xE4\xBD\xA0", false) ==
          idsOfTokens(tok, {kG, "\xC3\xA4", "\xC2\xBD", "\xC5\x82"}));
    // Accents: é is "Ã©" after its merge.
    CHECK(tok.encode("\xC3\xA9", false) == idsOfTokens(tok, {"\xC3\x83\xC2\xA9"}));
}

TEST_CASE("Byte-level BPE splits whitespace runs, newlines, numbers and contractions",
          "[tokenizer]") {
    const ByteLevelBpeTokenizer& tok = smallLlama();
    // Pieces "a", "  \n\n", " ", " b".
    CHECK(tok.encode("a  \n\n  b", false) ==
          idsOfTokens(tok, {"a", kG + kG, kC + kC, kG, kG, "b"}));
    CHECK(tok.encode("12345", false) == idsOfTokens(tok, {"123", "4", "5"}));
    CHECK(tok.encode("it's", false) == idsOfTokens(tok, {"i", "t", "'s"}));
    CHECK(tok.encode("IT'S", false) == idsOfTokens(tok, {"I", "T", "'", "S"}));
}

TEST_CASE("Special tokens are matched before the model and bos comes from the template",
          "[tokenizer]") {
    const ByteLevelBpeTokenizer& tok = smallLlama();
    CHECK(tok.prefixIds() == std::vector<std::int64_t>{kBos});
    CHECK(tok.suffixIds().empty());
    CHECK(tok.tokenToId("<|begin_of_text|>") == kBos);
    CHECK(tok.tokenToId("<|eot_id|>") == kEot);
    std::vector<std::int64_t> expected{kBos, kStartHeader};
    for (const std::int64_t id : idsOfTokens(tok, {"u", "s", "e", "r"})) {
        expected.push_back(id);
    }
    expected.push_back(kEndHeader);
    expected.push_back(tok.tokenToId(kC + kC));
    expected.push_back(kEot);
    CHECK(tok.encode("<|start_header_id|>user<|end_header_id|>\n\n<|eot_id|>", true) == expected);
    // Not an added token: plain text.
    CHECK(tok.encode("<|eot|>", false) == idsOfTokens(tok, {"<", "|", "e", "o", "t", "|", ">"}));
    // An added token registered later (LLaVA's <image>) matches too.
    ByteLevelBpeTokenizer copy = ByteLevelBpeTokenizer::fromTokenizerJson(smallLlamaPath());
    CHECK(copy.tokenToId("<image>") == -1);
    copy.addSpecialToken("<image>", 128257);
    CHECK(copy.encode("a<image>\nb", false) == std::vector<std::int64_t>{tok.tokenToId("a"), 128257,
                                                                         tok.tokenToId(kC),
                                                                         tok.tokenToId("b")});
}

TEST_CASE("Byte-level BPE decodes back to the text", "[tokenizer]") {
    const ByteLevelBpeTokenizer& tok = smallLlama();
    for (const std::string text :
         {"Caf\xC3\xA9 \xF0\x9F\x98\x80 \xE4\xBD\xA0\xE5\xA5\xBD  \n\n it's", ""}) {
        CHECK(tok.decode(tok.encode(text, true), true) == text);
    }
    CHECK(tok.decode(tok.encode("<|eot_id|> x", false), false) == "<|eot_id|> x");
    CHECK(tok.decode(tok.encode("<|eot_id|> x", false), true) == " x");
    CHECK(tok.decode(tok.encode("hi", true), false) == "<|begin_of_text|>hi");
    // A character cut between ids decodes to U+FFFD.
    CHECK(tok.decode(idsOfTokens(tok, {"\xC3\xB0", "\xC5\x81"})) == "\xEF\xBF\xBD");
}

TEST_CASE("Truncation and padding to max_length keep bos", "[tokenizer]") {
    const ByteLevelBpeTokenizer& tok = smallLlama();
    const PaddedIds padded = tok.encodePadded(" the cat", 5, 7);
    CHECK(padded.ids == std::vector<std::int64_t>{kBos, tok.tokenToId(kG + "the"),
                                                  tok.tokenToId(kG + "cat"), 7, 7});
    CHECK(padded.mask == std::vector<std::int64_t>{1, 1, 1, 0, 0});
    const PaddedIds cut = tok.encodePadded(" the cat", 2, 7);
    CHECK(cut.ids == std::vector<std::int64_t>{kBos, tok.tokenToId(kG + "the")});
    CHECK(cut.mask == std::vector<std::int64_t>{1, 1});
    CHECK_THROWS_AS(tok.encodePadded("x", 0, 7), std::invalid_argument);
}

TEST_CASE("Very long prompts and words are tokenized whole", "[tokenizer]") {
    const ByteLevelBpeTokenizer& tok = smallLlama();
    std::string words;
    for (int i = 0; i < 20000; ++i) {
        words += " the cat surfing";
    }
    const std::vector<std::int64_t> ids = tok.encode(words, false);
    CHECK(ids.size() == 3 * 20000);
    CHECK(ids.back() == tok.tokenToId(kG + "surfing"));
    // One run of 50000 letters is one pre-token: merged with the heap, not pair by pair.
    std::string letters;
    for (int i = 0; i < 25000; ++i) {
        letters += "in";
    }
    const std::vector<std::int64_t> merged = tok.encode(letters, false);
    CHECK(merged.size() == 25000);
    CHECK(merged.front() == tok.tokenToId("in"));
}

TEST_CASE("Malformed tokenizer.json files are refused with the file and the problem",
          "[tokenizer]") {
    const std::string good = readText(smallLlamaPath());
    const auto load = [](const std::string& name, const std::string& text) {
        return ByteLevelBpeTokenizer::fromTokenizerJson(writeScratchFile(name, text));
    };
    CHECK_THROWS_WITH(ByteLevelBpeTokenizer::fromTokenizerJson(tokenizerScratchDir() / "none.json"),
                      Contains("none.json") && Contains("does not exist"));
    CHECK_THROWS_WITH(load("truncated.json", good.substr(0, 100)),
                      Contains("truncated.json") && Contains("not valid JSON"));
    CHECK_THROWS_WITH(
        load("unigram.json", replaced(good, "\"type\": \"BPE\"", "\"type\": \"Unigram\"")),
        Contains("unigram.json") && Contains("\"Unigram\", not the BPE"));
    CHECK_THROWS_WITH(load("merge.json", replaced(good, "\"x y\"", "\"x q\"")),
                      Contains("merge.json") && Contains("merge 39") && Contains("\"xq\""));
    CHECK_THROWS_WITH(load("threes.json", replaced(good, "\"x y\"", "\"x y z\"")),
                      Contains("threes.json merge 39") && Contains("two tokens"));
    CHECK_THROWS_WITH(
        load("negative.json", replaced(good, "\"xyz\": ", "\"xyz\": -")),
        Contains("negative.json") && Contains("\"xyz\"") && Contains("non-negative integer id"));
    CHECK_THROWS_WITH(load("split.json", replaced(good, "\"Isolated\"", "\"Removed\"")),
                      Contains("split.json") && Contains("pre-tokenizer is not Llama 3's"));
    CHECK_THROWS_WITH(load("normalized.json", replaced(good, "\"normalizer\": null",
                                                       "\"normalizer\": {\"type\": \"NFC\"}")),
                      Contains("normalized.json") && Contains("normalizer"));
    CHECK_THROWS_WITH(
        load("content.json", replaced(good, "\"content\": \"<|eot_id|>\"", "\"content\": \"\"")),
        Contains("content.json added token") && Contains("non-empty \"content\""));
    CHECK(ByteLevelBpeTokenizer::fromTokenizerJson(smallLlamaPath().parent_path())
              .encode(" the cat") == smallLlama().encode(" the cat"));
    std::filesystem::create_directories(tokenizerScratchDir() / "no_tokenizer");
    CHECK_THROWS_WITH(
        ByteLevelBpeTokenizer::fromTokenizerJson(tokenizerScratchDir() / "no_tokenizer"),
        Contains("no_tokenizer") && Contains("holds no tokenizer.json"));
    CHECK_THROWS_WITH(load("array.json", "[1, 2]"),
                      Contains("array.json") && Contains("JSON object"));
}

// Meta's Llama 3 tokenizer.json (9 MB, not committed): set STORYREEL_LLAMA3_TOKENIZER_JSON to
// its path (make_expected.js says where the expected ids came from).
TEST_CASE("The real Llama 3 tokenizer.json gives Hugging Face tokenizers' ids", "[tokenizer]") {
    const char* path = std::getenv("STORYREEL_LLAMA3_TOKENIZER_JSON");
    if (path == nullptr) {
        WARN("STORYREEL_LLAMA3_TOKENIZER_JSON is not set: the real Llama 3 ids are not checked");
        return;
    }
    const ByteLevelBpeTokenizer tok = ByteLevelBpeTokenizer::fromTokenizerJson(path);
    const JsonValue expected = readJsonFile(tokenizerDataDir() / "llama3_expected.json");
    REQUIRE(tok.model().vocabSize() == expected.find("vocab_size")->asUint64().value());
    for (const JsonValue& item : expected.find("cases")->items()) {
        const std::string& prompt = item.find("prompt")->text();
        INFO("prompt: " << prompt);
        std::printf("llama3: %.60s\n", prompt.c_str());
        CHECK(tok.encode(prompt, true) == idsOf(*item.find("ids")));
        CHECK(tok.decode(tok.encode(prompt, false), false) == prompt);
    }
}
