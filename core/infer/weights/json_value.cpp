#include "core/infer/weights/json_value.h"

#include <charconv>
#include <limits>
#include <utility>

namespace storyreel::infer {

namespace {

constexpr int kMaxDepth = 128;

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

void appendUtf8(std::string& out, std::uint32_t codePoint) {
    if (codePoint < 0x80) {
        out += static_cast<char>(codePoint);
    } else if (codePoint < 0x800) {
        out += static_cast<char>(0xC0 | (codePoint >> 6));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else if (codePoint < 0x10000) {
        out += static_cast<char>(0xE0 | (codePoint >> 12));
        out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (codePoint >> 18));
        out += static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    }
}

}  // namespace

// Recursive descent over a UTF-8 document already known to be valid.
class JsonParser {
public:
    explicit JsonParser(std::string_view text) : text_(text) {}

    JsonValue parseDocument() {
        skipWhitespace();
        JsonValue value = parseValue(0);
        skipWhitespace();
        if (pos_ != text_.size()) {
            fail("unexpected text after the JSON value");
        }
        return value;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw JsonError("invalid JSON at byte " + std::to_string(pos_) + ": " + what);
    }

    bool atEnd() const { return pos_ >= text_.size(); }
    char peek() const { return atEnd() ? '\0' : text_[pos_]; }

    void skipWhitespace() {
        while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
            ++pos_;
        }
    }

    void expect(char c) {
        if (peek() != c || atEnd()) {
            fail(atEnd() ? std::string("the text ends where '") + c + "' was expected"
                         : std::string("expected '") + c + "'");
        }
        ++pos_;
    }

    void expectWord(std::string_view word) {
        if (text_.substr(pos_, word.size()) != word) {
            fail("unexpected character");
        }
        pos_ += word.size();
    }

    JsonValue parseValue(int depth) {
        if (depth > kMaxDepth) {
            fail("nested more than " + std::to_string(kMaxDepth) + " levels deep");
        }
        if (atEnd()) {
            fail("the text ends where a value was expected");
        }
        JsonValue value;
        switch (peek()) {
            case '{':
                parseObject(value, depth);
                break;
            case '[':
                parseArray(value, depth);
                break;
            case '"':
                value.kind_ = JsonValue::Kind::String;
                value.text_ = parseString();
                break;
            case 't':
                expectWord("true");
                value.kind_ = JsonValue::Kind::Bool;
                value.boolean_ = true;
                break;
            case 'f':
                expectWord("false");
                value.kind_ = JsonValue::Kind::Bool;
                break;
            case 'n':
                expectWord("null");
                break;
            default:
                value.kind_ = JsonValue::Kind::Number;
                value.text_ = parseNumber();
                break;
        }
        return value;
    }

    void parseObject(JsonValue& value, int depth) {
        value.kind_ = JsonValue::Kind::Object;
        expect('{');
        skipWhitespace();
        if (peek() == '}') {
            ++pos_;
            return;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                fail(atEnd() ? "the text ends inside an object" : "expected a quoted key");
            }
            value.keys_.push_back(parseString());
            skipWhitespace();
            expect(':');
            skipWhitespace();
            value.items_.push_back(parseValue(depth + 1));
            skipWhitespace();
            if (peek() == ',' && !atEnd()) {
                ++pos_;
                continue;
            }
            if (atEnd()) {
                fail("the text ends inside an object (missing '}')");
            }
            expect('}');
            return;
        }
    }

    void parseArray(JsonValue& value, int depth) {
        value.kind_ = JsonValue::Kind::Array;
        expect('[');
        skipWhitespace();
        if (peek() == ']') {
            ++pos_;
            return;
        }
        while (true) {
            skipWhitespace();
            value.items_.push_back(parseValue(depth + 1));
            skipWhitespace();
            if (peek() == ',' && !atEnd()) {
                ++pos_;
                continue;
            }
            if (atEnd()) {
                fail("the text ends inside an array (missing ']')");
            }
            expect(']');
            return;
        }
    }

    std::uint32_t parseHex4() {
        if (text_.size() - pos_ < 4) {
            fail("incomplete \\u escape");
        }
        std::uint32_t value = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = text_[pos_++];
            value <<= 4;
            if (isDigit(c)) {
                value |= static_cast<std::uint32_t>(c - '0');
            } else if (c >= 'a' && c <= 'f') {
                value |= static_cast<std::uint32_t>(c - 'a' + 10);
            } else if (c >= 'A' && c <= 'F') {
                value |= static_cast<std::uint32_t>(c - 'A' + 10);
            } else {
                fail("bad hexadecimal digit in a \\u escape");
            }
        }
        return value;
    }

    std::uint32_t parseUnicodeEscape() {
        std::uint32_t codePoint = parseHex4();
        if (codePoint >= 0xDC00 && codePoint <= 0xDFFF) {
            fail("lone low surrogate in a \\u escape");
        }
        if (codePoint >= 0xD800 && codePoint <= 0xDBFF) {
            if (text_.substr(pos_, 2) != "\\u") {
                fail("high surrogate without its low surrogate");
            }
            pos_ += 2;
            const std::uint32_t low = parseHex4();
            if (low < 0xDC00 || low > 0xDFFF) {
                fail("high surrogate without its low surrogate");
            }
            codePoint = 0x10000 + ((codePoint - 0xD800) << 10) + (low - 0xDC00);
        }
        return codePoint;
    }

    std::string parseString() {
        expect('"');
        std::string out;
        while (true) {
            if (atEnd()) {
                fail("the text ends inside a string");
            }
            const char c = text_[pos_++];
            if (c == '"') {
                return out;
            }
            if (static_cast<unsigned char>(c) < 0x20) {
                fail("control character inside a string");
            }
            if (c != '\\') {
                out += c;
                continue;
            }
            if (atEnd()) {
                fail("the text ends inside a string");
            }
            const char escape = text_[pos_++];
            switch (escape) {
                case '"':
                case '\\':
                case '/':
                    out += escape;
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u':
                    appendUtf8(out, parseUnicodeEscape());
                    break;
                default:
                    --pos_;
                    fail("unknown escape sequence in a string");
            }
        }
    }

    std::string parseNumber() {
        const std::size_t start = pos_;
        if (peek() == '-') {
            ++pos_;
        }
        if (peek() == '0' && !atEnd()) {
            ++pos_;
        } else if (isDigit(peek()) && !atEnd()) {
            while (!atEnd() && isDigit(peek())) {
                ++pos_;
            }
        } else {
            fail("unexpected character");
        }
        if (peek() == '.' && !atEnd()) {
            ++pos_;
            if (atEnd() || !isDigit(peek())) {
                fail("a number's fraction has no digits");
            }
            while (!atEnd() && isDigit(peek())) {
                ++pos_;
            }
        }
        if (!atEnd() && (peek() == 'e' || peek() == 'E')) {
            ++pos_;
            if (!atEnd() && (peek() == '+' || peek() == '-')) {
                ++pos_;
            }
            if (atEnd() || !isDigit(peek())) {
                fail("a number's exponent has no digits");
            }
            while (!atEnd() && isDigit(peek())) {
                ++pos_;
            }
        }
        return std::string(text_.substr(start, pos_ - start));
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

std::string_view JsonValue::kindName() const {
    switch (kind_) {
        case Kind::Null:
            return "null";
        case Kind::Bool:
            return "a boolean";
        case Kind::Number:
            return "a number";
        case Kind::String:
            return "a string";
        case Kind::Array:
            return "an array";
        case Kind::Object:
            return "an object";
    }
    return "a value";
}

const JsonValue* JsonValue::find(std::string_view key) const {
    if (kind_ != Kind::Object) {
        return nullptr;
    }
    for (std::size_t i = 0; i < keys_.size(); ++i) {
        if (keys_[i] == key) {
            return &items_[i];
        }
    }
    return nullptr;
}

std::optional<std::uint64_t> JsonValue::asUint64() const {
    if (kind_ != Kind::Number || text_.empty() || !isDigit(text_.front())) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    const char* end = text_.data() + text_.size();
    const auto [ptr, ec] = std::from_chars(text_.data(), end, value);
    if (ec != std::errc() || ptr != end) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::int64_t> JsonValue::asInt64() const {
    if (kind_ != Kind::Number) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    const char* end = text_.data() + text_.size();
    const auto [ptr, ec] = std::from_chars(text_.data(), end, value);
    if (ec != std::errc() || ptr != end) {
        return std::nullopt;
    }
    return value;
}

std::optional<double> JsonValue::asDouble() const {
    if (kind_ != Kind::Number) {
        return std::nullopt;
    }
    double value = 0;
    const char* end = text_.data() + text_.size();
    const auto [ptr, ec] = std::from_chars(text_.data(), end, value);
    if (ptr != end || (ec != std::errc() && ec != std::errc::result_out_of_range)) {
        return std::nullopt;
    }
    return value;
}

JsonValue parseJson(std::string_view text) {
    if (!isValidUtf8(text)) {
        throw JsonError("the JSON text is not valid UTF-8");
    }
    return JsonParser(text).parseDocument();
}

bool isValidUtf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
        const unsigned char lead = byte(i);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        std::uint32_t codePoint = 0;
        std::uint32_t minimum = 0;
        if ((lead & 0xE0) == 0xC0) {
            length = 2;
            codePoint = lead & 0x1F;
            minimum = 0x80;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            codePoint = lead & 0x0F;
            minimum = 0x800;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            codePoint = lead & 0x07;
            minimum = 0x10000;
        } else {
            return false;
        }
        if (text.size() - i < length) {
            return false;
        }
        for (std::size_t k = 1; k < length; ++k) {
            if ((byte(i + k) & 0xC0) != 0x80) {
                return false;
            }
            codePoint = (codePoint << 6) | (byte(i + k) & 0x3F);
        }
        if (codePoint < minimum || codePoint > 0x10FFFF ||
            (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
            return false;
        }
        i += length;
    }
    return true;
}

}  // namespace storyreel::infer
