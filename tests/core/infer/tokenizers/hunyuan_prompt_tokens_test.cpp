// HunyuanPromptTokenizer: HunyuanVideo-I2V's template and lengths on the small test
// tokenizers (layout, <image>, padding, truncation), and, when
// STORYREEL_LLAMA3_TOKENIZER_JSON names Meta's Llama 3 tokenizer.json, the ids and masks
// Hugging Face tokenizers gives for the template with the LLaVA checkpoint's additions
// (llama3_expected.json, make_expected.js).
#include "core/infer/tokenizers/hunyuan_prompt_tokens.h"

#include "core/base/user_error.h"
#include "tests/core/infer/tokenizers/tokenizer_test_support.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

using namespace storyreel::infer;
using namespace storyreel::infer::test;
using Catch::Matchers::Contains;

namespace {

// The small file's special tokens (after its 301 vocabulary entries); it has no <image> or
// <pad>, so LLaVA's config ids stand in.
constexpr std::int64_t kBos = 301;
constexpr std::int64_t kStartHeader = 303;
constexpr std::int64_t kEndHeader = 304;
constexpr std::int64_t kEot = 305;
constexpr std::int64_t kImage = 128257;
constexpr std::int64_t kPad = 128258;

std::filesystem::path smallLlamaPath() {
    return tokenizerDataDir() / "llama_small" / "tokenizer.json";
}

ClipBpeTokenizer smallClip() {
    const std::filesystem::path dir = tokenizerDataDir() / "clip_small";
    return ClipBpeTokenizer::fromFiles(dir / "vocab.json", dir / "merges.txt");
}

const HunyuanPromptTokenizer& smallHunyuan() {
    static const HunyuanPromptTokenizer tokenizer(
        ByteLevelBpeTokenizer::fromTokenizerJson(smallLlamaPath()), smallClip());
    return tokenizer;
}

// The small vocabulary spells the template's system text byte by byte (~400 ids before the
// prompt, where Llama 3 takes 103); a longer text length leaves room for long prompts.
const HunyuanPromptTokenizer& roomyHunyuan() {
    HunyuanPromptTokenizer::Options options;
    options.textLength = 1000;
    static const HunyuanPromptTokenizer tokenizer(
        ByteLevelBpeTokenizer::fromTokenizerJson(smallLlamaPath()), smallClip(), options);
    return tokenizer;
}

std::size_t validLength(const PaddedIds& t) {
    return static_cast<std::size_t>(std::count(t.mask.begin(), t.mask.end(), 1));
}

}  // namespace

TEST_CASE("HunyuanVideo-I2V templates are the reference's", "[tokenizer]") {
    const HunyuanPromptTemplate& video = hunyuanVideoI2VTemplate();
    CHECK(video.name == "dit-llm-encode-video-i2v");
    CHECK(video.cropStart == 103);
    CHECK(video.imageEmbStart == 5);
    CHECK(video.imageEmbEnd == 581);
    CHECK(video.imageEmbLen == 576);
    CHECK(video.doubleReturnTokenId == 271);
    CHECK(hunyuanImageI2VTemplate().cropStart == 36);
    const std::string applied = applyHunyuanTemplate(video, "a {cat}");
    CHECK(applied.find(
              "<|start_header_id|>system<|end_header_id|>\n\n<image>\nDescribe the video") == 0);
    CHECK(applied.find("<|eot_id|>\n\n<|start_header_id|>user<|end_header_id|>\n\na {cat}<|eot_id|>"
                       "<|start_header_id|>assistant<|end_header_id|>\n\n") != std::string::npos);
    CHECK(applied.size() + 2 == video.text.size() + 7);
}

TEST_CASE("The LLM ids follow the template's layout, padded with <pad>", "[tokenizer]") {
    // crop_start as this tokenizer spells the template: where two prompts' ids first differ.
    const PaddedIds a = smallHunyuan().llmTokens("a");
    const PaddedIds b = smallHunyuan().llmTokens("b");
    const auto differ = std::mismatch(a.ids.begin(), a.ids.end(), b.ids.begin());
    const auto cropStart = static_cast<std::int64_t>(differ.first - a.ids.begin());
    CHECK(cropStart > 103);
    CHECK(smallHunyuan().cropStart() == cropStart);
    CHECK(smallHunyuan().llmLength() == static_cast<std::size_t>(256 + cropStart));
    const HunyuanPromptTokenizer& tok = roomyHunyuan();
    const std::size_t length = tok.llmLength();
    CHECK(length == static_cast<std::size_t>(1000 + cropStart));
    CHECK(tok.imageTokenId() == kImage);  // not in the small file: LLaVA's config id
    CHECK(tok.padTokenId() == kPad);
    const PaddedIds t = tok.llmTokens("the cat");
    REQUIRE(t.ids.size() == length);
    REQUIRE(t.mask.size() == length);
    const std::size_t n = validLength(t);
    CHECK(std::all_of(t.mask.begin(), t.mask.begin() + static_cast<std::ptrdiff_t>(n),
                      [](std::int64_t m) { return m == 1; }));
    CHECK(std::all_of(t.ids.begin() + static_cast<std::ptrdiff_t>(n), t.ids.end(),
                      [](std::int64_t id) { return id == kPad; }));
    CHECK(t.ids[0] == kBos);
    CHECK(t.ids[1] == kStartHeader);
    // <image> once, right after "<|end_header_id|>\n\n" of the system header.
    const auto image = std::find(t.ids.begin(), t.ids.end(), kImage);
    REQUIRE(image != t.ids.end());
    CHECK(std::count(t.ids.begin(), t.ids.end(), kImage) == 1);
    const ByteLevelBpeTokenizer& llm = tok.llm();
    CHECK(*(image - 1) == llm.tokenToId("\xC4\x8A\xC4\x8A"));
    CHECK(*(image - 2) == kEndHeader);
    // The whole: bos + the template's ids.
    std::vector<std::int64_t> expected{kBos};
    for (const std::int64_t id :
         llm.encode(applyHunyuanTemplate(hunyuanVideoI2VTemplate(), "the cat"), false)) {
        expected.push_back(id);
    }
    CHECK(std::vector<std::int64_t>(t.ids.begin(),
                                    t.ids.begin() + static_cast<std::ptrdiff_t>(n)) == expected);
    // It ends "...<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n".
    CHECK(t.ids[n - 1] == llm.tokenToId("\xC4\x8A\xC4\x8A"));
    CHECK(t.ids[n - 2] == kEndHeader);
    CHECK(std::count(t.ids.begin(), t.ids.end(), kEot) == 2);
}

TEST_CASE("Very long prompts are cut at the length, the assistant header with them",
          "[tokenizer]") {
    std::string prompt;
    for (int i = 0; i < 500; ++i) {
        prompt += " the cat";
    }
    const std::size_t length = roomyHunyuan().llmLength();
    const PaddedIds t = roomyHunyuan().llmTokens(prompt);
    REQUIRE(t.ids.size() == length);
    CHECK(validLength(t) == length);
    CHECK(t.ids[0] == kBos);
    const std::int64_t last = t.ids[length - 1];
    const ByteLevelBpeTokenizer& llm = roomyHunyuan().llm();
    CHECK((last == llm.tokenToId("\xC4\xA0the") || last == llm.tokenToId("\xC4\xA0"
                                                                         "cat")));
    CHECK(std::count(t.ids.begin(), t.ids.end(), kEot) == 1);  // the system one only
}

TEST_CASE("The CLIP-L ids are the bare prompt's, 77 long", "[tokenizer]") {
    const HunyuanPromptTokens t = smallHunyuan().tokenize("A cat surfing");
    REQUIRE(t.clip.ids.size() == 77);
    CHECK(t.clip.ids == smallHunyuan().clip().encodePadded("a cat surfing").ids);
    CHECK(validLength(t.clip) == 5);
    CHECK(t.llm.ids == smallHunyuan().llmTokens("A cat surfing").ids);
}

TEST_CASE("The tokenizer file's own <image> and <pad> ids win", "[tokenizer]") {
    const std::string text =
        replaced(readText(smallLlamaPath()), "\"added_tokens\": [",
                 "\"added_tokens\": [{\"id\": 128300, \"content\": \"<pad>\", \"special\": true}, "
                 "{\"id\": 128301, \"content\": \"<image>\", \"special\": true},");
    const HunyuanPromptTokenizer tok(ByteLevelBpeTokenizer::fromJsonText(text, "llava.json"),
                                     smallClip());
    CHECK(tok.padTokenId() == 128300);
    CHECK(tok.imageTokenId() == 128301);
    const PaddedIds t = tok.llmTokens("x");
    CHECK(std::count(t.ids.begin(), t.ids.end(), 128301) == 1);
    CHECK(t.ids.back() == 128300);
    const std::string noBos =
        replaced(readText(smallLlamaPath()), "\"content\": \"<|begin_of_text|>\"",
                 "\"content\": \"<|bot|>\"");
    CHECK_THROWS_WITH(HunyuanPromptTokenizer(
                          ByteLevelBpeTokenizer::fromJsonText(noBos, "nobos.json"), smallClip()),
                      Contains("nobos.json") && Contains("<|begin_of_text|>"));
}

TEST_CASE("The real Llama 3 tokenizer gives HunyuanVideo-I2V's reference ids and masks",
          "[tokenizer]") {
    const char* path = std::getenv("STORYREEL_LLAMA3_TOKENIZER_JSON");
    if (path == nullptr) {
        WARN("STORYREEL_LLAMA3_TOKENIZER_JSON is not set: the real template ids are not checked");
        return;
    }
    const HunyuanPromptTokenizer tok(ByteLevelBpeTokenizer::fromTokenizerJson(path), smallClip());
    CHECK(tok.cropStart() == 103);  // the constant inference.py uses
    CHECK(tok.llmLength() == 359);
    const JsonValue expected = readJsonFile(tokenizerDataDir() / "llama3_expected.json");
    for (const JsonValue& item : expected.find("hunyuan_video_i2v")->items()) {
        const std::string& prompt = item.find("prompt")->text();
        INFO("prompt: " << prompt);
        std::printf("hunyuan llama3: %.60s\n", prompt.c_str());
        const PaddedIds t = tok.llmTokens(prompt);
        CHECK(t.ids == idsOf(*item.find("ids")));
        CHECK(t.mask == idsOf(*item.find("mask")));
        // The reference's crop constants hold: <image> at image_emb_start, "\n\n" just
        // before crop_start, where the prompt begins.
        CHECK(t.ids[5] == kImage);
        CHECK(t.ids[102] == 271);
    }
}
