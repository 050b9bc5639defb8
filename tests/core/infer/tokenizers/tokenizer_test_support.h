// Shared helpers of the tokenizer tests: the committed test data (tests/data/tokenizers, made
// by make_expected.js with Hugging Face tokenizers), JSON expectations, scratch files.
#pragma once

#include "core/infer/weights/json_value.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace storyreel::infer::test {

inline std::filesystem::path tokenizerDataDir() {
    return std::filesystem::path(STORYREEL_SOURCE_DIR) / "tests" / "data" / "tokenizers";
}

inline std::string readText(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline JsonValue readJsonFile(const std::filesystem::path& path) {
    return parseJson(readText(path));
}

inline std::vector<std::int64_t> idsOf(const JsonValue& array) {
    std::vector<std::int64_t> ids;
    for (const JsonValue& item : array.items()) {
        ids.push_back(item.asInt64().value());
    }
    return ids;
}

// A folder for this run's files, removed at exit.
inline std::filesystem::path tokenizerScratchDir() {
    struct Scratch {
        Scratch() {
            std::random_device random;
            path = std::filesystem::temp_directory_path() /
                   ("storyreel_tokenizer_" + std::to_string(random()));
            std::filesystem::create_directories(path);
        }
        ~Scratch() {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
        }
        std::filesystem::path path;
    };
    static const Scratch scratch;
    return scratch.path;
}

inline std::filesystem::path writeScratchFile(const std::string& name, const std::string& text) {
    const std::filesystem::path path = tokenizerScratchDir() / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

// `text` with the first `from` replaced by `to` (the test's way to break a file).
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    if (at != std::string::npos) {
        text.replace(at, from.size(), to);
    }
    return text;
}

}  // namespace storyreel::infer::test
