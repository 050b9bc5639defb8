// The prompt cleaning of wan/modules/tokenizers.py (clean='whitespace'), case by case.
#include "core/infer/models/wan/prompt_clean.h"

#include <catch2/catch.hpp>

using storyreel::infer::wan::cleanPrompt;
using storyreel::infer::wan::htmlUnescape;

TEST_CASE("Prompt cleaning collapses whitespace runs and strips the ends", "[infer][wan][text]") {
    CHECK(cleanPrompt("  a\t\tb \n c  ") == "a b c");
    CHECK(cleanPrompt("one\r\n\r\ntwo") == "one two");
    CHECK(cleanPrompt("wide\xE3\x80\x80space") == "wide space");  // U+3000
    CHECK(cleanPrompt("no\xC2\xA0"
                      "break") == "no break");  // U+00A0
    CHECK(cleanPrompt("\xE2\x80\x83"
                      "em space\xE2\x80\x83") == "em space");  // U+2003
    CHECK(cleanPrompt("") == "");
    CHECK(cleanPrompt(" \t\n ") == "");
    CHECK(cleanPrompt("caf\xC3\xA9 \xE7\x94\xB5\xE5\xBD\xB1 \xF0\x9F\x8E\xAC") ==
          "caf\xC3\xA9 \xE7\x94\xB5\xE5\xBD\xB1 \xF0\x9F\x8E\xAC");
}

TEST_CASE("Prompt cleaning unescapes HTML twice, as basic_clean does", "[infer][wan][text]") {
    CHECK(cleanPrompt("Tom &amp;amp; Jerry") == "Tom & Jerry");
    CHECK(cleanPrompt("&lt;b&gt;bold&lt;/b&gt;") == "<b>bold</b>");
    CHECK(cleanPrompt("it&#39;s &#x41;&#X42;") == "it's AB");
    CHECK(cleanPrompt("a&nbsp;&nbsp;b") == "a b");  // U+00A0 is whitespace afterwards
    CHECK(cleanPrompt("&unknown; & &;") == "&unknown; & &;");
}

TEST_CASE("HTML unescaping follows Python's html.unescape rules", "[infer][wan][text]") {
    CHECK(htmlUnescape("&#128;") == "\xE2\x82\xAC");  // cp1252 for 0x80..0x9F
    CHECK(htmlUnescape("&#0;") == "\xEF\xBF\xBD");
    CHECK(htmlUnescape("&#xD800;") == "\xEF\xBF\xBD");
    CHECK(htmlUnescape("&#1;x") == "x");  // invalid code points are dropped
    CHECK(htmlUnescape("&#65") == "A");   // the semicolon is optional
    CHECK(htmlUnescape("&ampx &copyright") == "&x \xC2\xA9right");  // legacy names
    CHECK(htmlUnescape("&hellip") == "&hellip");                    // not a legacy name: needs ';'
    CHECK(htmlUnescape("&hellip;") == "\xE2\x80\xA6");
    CHECK(htmlUnescape("&#x;") == "&#x;");
}

TEST_CASE("Prompt cleaning straightens curly quotes like ftfy", "[infer][wan][text]") {
    CHECK(cleanPrompt("\xE2\x80\x9C"
                      "hi\xE2\x80\x9D") == "\"hi\"");
    CHECK(cleanPrompt("it\xE2\x80\x99s") == "it's");
}

TEST_CASE("Prompt cleaning replaces invalid UTF-8 instead of failing", "[infer][wan][text]") {
    CHECK(cleanPrompt("a\xFF"
                      "b") ==
          "a\xEF\xBF\xBD"
          "b");
    CHECK(cleanPrompt("\xC3") == "\xEF\xBF\xBD");
}
