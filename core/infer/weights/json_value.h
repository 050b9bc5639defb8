// JsonValue and parseJson: a small, strict JSON reader (RFC 8259) for the headers of
// safetensors files and the *.safetensors.index.json of sharded checkpoints. core/infer
// builds with LibTorch alone, so it carries its own reader; it also keeps duplicate keys
// (a general-purpose map would drop them silently) so that loaders can refuse them.
//
//   const JsonValue header = parseJson(text);           // throws JsonError
//   if (const JsonValue* dtype = header.find("dtype")) use(dtype->string());
//   for (std::size_t i = 0; i < header.size(); ++i) use(header.key(i), header.at(i));
//
// Thread-safety: a value type; const access from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer {

// A syntax or encoding error; the message gives the byte offset. Loaders wrap it in a
// UserError naming the file.
class JsonError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class JsonValue {
public:
    enum class Kind { Null, Bool, Number, String, Array, Object };

    Kind kind() const { return kind_; }
    bool isObject() const { return kind_ == Kind::Object; }
    bool isArray() const { return kind_ == Kind::Array; }
    bool isString() const { return kind_ == Kind::String; }
    bool isNumber() const { return kind_ == Kind::Number; }
    // "an object", "a string", ...: for messages.
    std::string_view kindName() const;

    bool boolean() const { return boolean_; }
    // A string's decoded text, or a number's literal as written.
    const std::string& text() const { return text_; }

    // Arrays: the items. Objects: the values, with key(i) their keys, in document order
    // and duplicates kept.
    std::size_t size() const { return items_.size(); }
    const JsonValue& at(std::size_t index) const { return items_.at(index); }
    const std::string& key(std::size_t index) const { return keys_.at(index); }
    const std::vector<JsonValue>& items() const { return items_; }
    // An object's first value under `key`, or nullptr.
    const JsonValue* find(std::string_view key) const;

    // A number written as a non-negative integer (no sign, fraction or exponent) that fits.
    std::optional<std::uint64_t> asUint64() const;
    // A number written as an integer that fits.
    std::optional<std::int64_t> asInt64() const;
    std::optional<double> asDouble() const;

private:
    friend class JsonParser;

    Kind kind_ = Kind::Null;
    bool boolean_ = false;
    std::string text_;
    std::vector<std::string> keys_;
    std::vector<JsonValue> items_;
};

// Parses a whole document (surrounding whitespace allowed). Rejects invalid UTF-8, control
// characters in strings, lone surrogates, trailing commas, nesting deeper than 128 and
// anything after the value.
JsonValue parseJson(std::string_view text);

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or values above
// U+10FFFF), the rule Rust's str::from_utf8 applies to safetensors headers.
bool isValidUtf8(std::string_view text);

}  // namespace storyreel::infer
