// ClipBpeTokenizer on tests/data/tokenizers/clip_small (vocab.json + merges.txt of the
// slow CLIPTokenizer's format: the 512 byte tokens with and without "</w>", a few merges),
// whose expected ids come from Hugging Face tokenizers running the same vocabulary as
// CLIP's fast tokenizer.json (make_expected.js), plus hand-checked cases.
#include "core/infer/tokenizers/clip_bpe_tokenizer.h"

#include "core/base/user_error.h"
#include "tests/core/infer/tokenizers/tokenizer_test_support.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace storyreel::infer;
using namespace storyreel::infer::test;
using Catch::Matchers::Contains;

namespace {

std::filesystem::path clipDir() {
    return tokenizerDataDir() / "clip_small";
}

const ClipBpeTokenizer& smallClip() {
    static const ClipBpeTokenizer tokenizer =
        ClipBpeTokenizer::fromFiles(clipDir() / "vocab.json", clipDir() / "merges.txt");
    return tokenizer;
}

std::vector<std::int64_t> withSpecials(const ClipBpeTokenizer& clip,
                                       const std::vector<std::string>& tokens) {
    std::vector<std::int64_t> ids{clip.bosId()};
    for (const std::string& token : tokens) {
        const std::int64_t id = clip.tokenToId(token);
        REQUIRE(id >= 0);
        ids.push_back(id);
    }
    ids.push_back(clip.eosId());
    return ids;
}

}  // namespace

TEST_CASE("CLIP BPE gives the ids of Hugging Face tokenizers", "[tokenizer]") {
    const JsonValue expected = readJsonFile(tokenizerDataDir() / "clip_small_expected.json");
    const JsonValue& cases = *expected.find("cases");
    REQUIRE(cases.size() >= 8);
    for (const JsonValue& item : cases.items()) {
        const std::string& prompt = item.find("prompt")->text();
        INFO("prompt: " << prompt);
        std::printf("clip_small: %.60s\n", prompt.c_str());
        CHECK(smallClip().encode(prompt) == idsOf(*item.find("ids")));
    }
}

TEST_CASE("CLIP BPE merges words with </w> and cleans the text first", "[tokenizer]") {
    const ClipBpeTokenizer& clip = smallClip();
    CHECK(clip.bosId() == 542);
    CHECK(clip.eosId() == 543);
    CHECK(clip.padId() == clip.eosId());
    // cat: "a t</w>"(0) then "c at</w>"(1); surfing: su, sur, surf, in, ing</w>, surfing</w>.
    CHECK(clip.encode("a cat surfing") == withSpecials(clip, {"a</w>", "cat</w>", "surfing</w>"}));
    // Curly quote, fullwidth letters, tab, newline and capitals all cleaned away.
    CHECK(clip.encode("  It\xE2\x80\x99s A\t\xEF\xBC\xA3\xEF\xBC\xA1\xEF\xBC\xB4\n") ==
          withSpecials(clip, {"it</w>", "'s</w>", "a</w>", "cat</w>"}));
    // Accents merge ("c a", "ca f", "Ã ©</w>", "caf Ã©</w>"); Chinese has no merge that can
    // start ("ä½" never forms), so its bytes; CLIP's regex splits digits.
    CHECK(clip.encode("caf\xC3\xA9 \xE4\xBD\xA0\xE5\xA5\xBD 12") ==
          withSpecials(clip, {"caf\xC3\x83\xC2\xA9</w>", "\xC3\xA4", "\xC2\xBD", "\xC5\x82",
                              "\xC3\xA5", "\xC2\xA5", "\xC2\xBD</w>", "1</w>", "2</w>"}));
    // A decomposed é (e + COMBINING ACUTE) is composed first.
    CHECK(clip.encode("cafe\xCC\x81") == clip.encode("caf\xC3\xA9"));
    // Emoji: "ðŁ" never forms, so four byte tokens, the last with </w>.
    CHECK(clip.encode("\xF0\x9F\x98\x80") ==
          withSpecials(clip, {"\xC3\xB0", "\xC5\x81", "\xC4\xBA", "\xC4\xA2</w>"}));
    // Special tokens written in the prompt, in any case.
    CHECK(clip.encode("a<|endoftext|>a <|ENDOFTEXT|>") ==
          std::vector<std::int64_t>{542, clip.tokenToId("a</w>"), 543, clip.tokenToId("a</w>"), 543,
                                    543});
    CHECK(clip.encode("a cat", false) ==
          std::vector<std::int64_t>{clip.tokenToId("a</w>"), clip.tokenToId("cat</w>")});
}

TEST_CASE("CLIP ids are padded with <|endoftext|> to 77 and truncated keeping eos", "[tokenizer]") {
    const ClipBpeTokenizer& clip = smallClip();
    const PaddedIds padded = clip.encodePadded("a cat");
    REQUIRE(padded.ids.size() == 77);
    REQUIRE(padded.mask.size() == 77);
    CHECK(std::vector<std::int64_t>(padded.ids.begin(), padded.ids.begin() + 4) ==
          withSpecials(clip, {"a</w>", "cat</w>"}));
    for (std::size_t i = 4; i < 77; ++i) {
        CHECK(padded.ids[i] == clip.eosId());
        CHECK(padded.mask[i] == (i < 4 ? 1 : 0));
    }
    CHECK(padded.mask[3] == 1);
    std::string longPrompt;
    for (int i = 0; i < 100; ++i) {
        longPrompt += "cat ";
    }
    const PaddedIds cut = clip.encodePadded(longPrompt);
    REQUIRE(cut.ids.size() == 77);
    CHECK(cut.ids.front() == clip.bosId());
    CHECK(cut.ids[75] == clip.tokenToId("cat</w>"));
    CHECK(cut.ids[76] == clip.eosId());
    CHECK(std::count(cut.mask.begin(), cut.mask.end(), 1) == 77);
}

TEST_CASE("CLIP ids decode to the cleaned text", "[tokenizer]") {
    const ClipBpeTokenizer& clip = smallClip();
    CHECK(clip.decode(clip.encode("A Cat  SURFING, caf\xC3\xA9!")) ==
          "a cat surfing , caf\xC3\xA9 !");
    CHECK(clip.decode(clip.encode("a"), false) == "<|startoftext|>a <|endoftext|>");
}

TEST_CASE("CLIP reads a tokenizer.json or a folder as well", "[tokenizer]") {
    const std::string vocab = readText(clipDir() / "vocab.json");
    std::string merges = "[";
    const std::string mergesText = readText(clipDir() / "merges.txt");
    std::size_t start = mergesText.find('\n') + 1;
    while (start < mergesText.size()) {
        const std::size_t end = mergesText.find('\n', start);
        merges += (merges.size() > 1 ? ",\"" : "\"") + mergesText.substr(start, end - start) + "\"";
        start = end + 1;
    }
    merges += "]";
    const std::string json =
        "{\"added_tokens\": [], \"model\": {\"type\": \"BPE\", \"end_of_word_suffix\": \"</w>\", "
        "\"continuing_subword_prefix\": \"\", \"unk_token\": \"<|endoftext|>\", \"vocab\": " +
        vocab + ", \"merges\": " + merges + "}}";
    const ClipBpeTokenizer fromJson =
        ClipBpeTokenizer::fromTokenizerJson(writeScratchFile("clip_json/tokenizer.json", json));
    const ClipBpeTokenizer fromFolder = ClipBpeTokenizer::open(tokenizerScratchDir() / "clip_json");
    for (const std::string prompt : {"a cat surfing", "It's caf\xC3\xA9 \xF0\x9F\x98\x80!!!"}) {
        CHECK(fromJson.encode(prompt) == smallClip().encode(prompt));
        CHECK(fromFolder.encode(prompt) == smallClip().encode(prompt));
    }
    CHECK(ClipBpeTokenizer::open(clipDir()).encode("a cat") == smallClip().encode("a cat"));
    CHECK_THROWS_WITH(
        ClipBpeTokenizer::fromTokenizerJson(writeScratchFile(
            "nosuffix.json", replaced(json, "\"end_of_word_suffix\": \"</w>\", ", ""))),
        Contains("nosuffix.json") && Contains("not a CLIP tokenizer"));
}

TEST_CASE("Malformed CLIP files are refused with the file and the problem", "[tokenizer]") {
    const std::string vocab = readText(clipDir() / "vocab.json");
    const std::string merges = readText(clipDir() / "merges.txt");
    const auto load = [&](const std::string& vocabText, const std::string& mergesText) {
        return ClipBpeTokenizer::fromFiles(writeScratchFile("bad/vocab.json", vocabText),
                                           writeScratchFile("bad/merges.txt", mergesText));
    };
    CHECK_THROWS_WITH(load(vocab, replaced(merges, "c at</w>", "c at </w>")),
                      Contains("merges.txt line 3") && Contains("two tokens"));
    CHECK_THROWS_WITH(load(vocab, replaced(merges, "c at</w>", "q at</w>")),
                      Contains("merges.txt") && Contains("merge 1") && Contains("\"qat</w>\""));
    CHECK_THROWS_WITH(load(replaced(vocab, "\"<|startoftext|>\"", "\"<|start|>\""), merges),
                      Contains("vocab.json") && Contains("<|startoftext|>"));
    CHECK_THROWS_WITH(load(vocab.substr(0, 50), merges),
                      Contains("vocab.json") && Contains("not valid JSON"));
    CHECK_THROWS_WITH(load("[]", merges), Contains("vocab.json") && Contains("object"));
    CHECK_THROWS_WITH(ClipBpeTokenizer::fromFiles(tokenizerScratchDir() / "missing.json",
                                                  clipDir() / "merges.txt"),
                      Contains("missing.json") && Contains("does not exist"));
    std::filesystem::create_directories(tokenizerScratchDir() / "empty");
    CHECK_THROWS_WITH(ClipBpeTokenizer::open(tokenizerScratchDir() / "empty"),
                      Contains("empty") && Contains("neither vocab.json"));
}
