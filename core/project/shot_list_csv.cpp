#include "core/project/shot_list_csv.h"

#include "core/base/user_error.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace storyreel::project {
namespace {

struct Row {
    int line = 0;  // where the row starts, 1-based
    std::vector<std::string> fields;
};

// RFC 4180 records; a quoted field can span lines, so rows remember their first line.
std::vector<Row> parseCsv(const std::string& text, const std::filesystem::path& file) {
    std::vector<Row> rows;
    Row row{1, {}};
    std::string field;
    bool quoted = false;
    bool fieldStarted = false;
    int line = 1;
    std::size_t i = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    const auto endRow = [&] {
        row.fields.push_back(field);
        const bool blank = row.fields.size() == 1 && row.fields[0].empty();
        if (!blank) {
            rows.push_back(row);
        }
        row = Row{line, {}};
        field.clear();
        fieldStarted = false;
    };
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                line += c == '\n';
                field += c;
            }
        } else if (c == '"' && !fieldStarted) {
            quoted = true;
            fieldStarted = true;
        } else if (c == ',') {
            row.fields.push_back(field);
            field.clear();
            fieldStarted = false;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
                ++i;
            }
            ++line;
            endRow();
        } else {
            field += c;
            fieldStarted = true;
        }
    }
    if (quoted) {
        throw UserError::inFile(
            file, "line " + std::to_string(row.line) + ": a quoted field is never closed");
    }
    endRow();
    return rows;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    const auto last = text.find_last_not_of(" \t");
    return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

template <typename T>
bool parseNumber(const std::string& text, T& value) {
    const std::string clean = trimmed(text);
    const auto [end, error] = std::from_chars(clean.data(), clean.data() + clean.size(), value);
    return error == std::errc() && end == clean.data() + clean.size() && !clean.empty();
}

constexpr std::array<const char*, 6> kColumns = {"image",   "prompt", "preset",
                                                 "seconds", "seed",   "negative"};

std::map<std::string, std::size_t> readHeader(const Row& header,
                                              const std::filesystem::path& file) {
    std::map<std::string, std::size_t> columns;
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        std::string name = trimmed(header.fields[i]);
        for (char& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (std::find(kColumns.begin(), kColumns.end(), name) == kColumns.end()) {
            throw UserError::inFile(file, "line 1: unknown column '" + name +
                                              "' (expected image, prompt, preset, seconds, "
                                              "seed, negative)");
        }
        columns[name] = i;
    }
    for (const char* required : {"image", "prompt", "preset", "seconds"}) {
        if (!columns.contains(required)) {
            throw UserError::inFile(
                file, std::string("line 1: the header has no '") + required + "' column");
        }
    }
    return columns;
}

// Fills one shot from a row; returns the row's problems, if any.
std::string readRow(const Row& row, const std::map<std::string, std::size_t>& columns,
                    const std::filesystem::path& folder, ShotSource& shot) {
    const auto cell = [&](const char* name) -> std::string {
        const auto it = columns.find(name);
        return it != columns.end() && it->second < row.fields.size() ? row.fields[it->second]
                                                                     : std::string();
    };
    std::vector<std::string> problems;
    const std::string image = trimmed(cell("image"));
    if (image.empty()) {
        problems.push_back("no image");
    }
    shot.image = folder / image;
    shot.prompt = cell("prompt");
    shot.preset = trimmed(cell("preset"));
    if (!shot.preset.empty() && !isKnownPresetId(shot.preset)) {
        problems.push_back("unknown preset '" + shot.preset +
                           "' (use animatic, fast, fast-wan or quality)");
    }
    double seconds = 0.0;
    if (!parseNumber(cell("seconds"), seconds) || seconds <= 0.0 || seconds > 600.0) {
        problems.push_back("seconds must be a number from 0 to 600 (got '" + cell("seconds") +
                           "')");
    }
    shot.seconds = seconds;
    if (const std::string seed = trimmed(cell("seed")); !seed.empty()) {
        std::int64_t value = 0;
        if (!parseNumber(seed, value) || value < 0) {
            problems.push_back("seed must be a whole number of 0 or more (got '" + seed + "')");
        }
        shot.seed = value;
    }
    shot.negativePrompt = cell("negative");
    std::string joined;
    for (const std::string& problem : problems) {
        joined += (joined.empty() ? "" : "; ") + problem;
    }
    return joined;
}

}  // namespace

std::vector<ShotSource> readShotListCsv(const std::filesystem::path& csv) {
    std::ifstream in(csv, std::ios::binary);
    if (!in) {
        throw UserError::inFile(csv, "cannot be read");
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::vector<Row> rows = parseCsv(buffer.str(), csv);
    if (rows.empty()) {
        throw UserError::inFile(csv, "the shot list is empty (expected a header row and shots)");
    }
    const auto columns = readHeader(rows.front(), csv);
    std::vector<ShotSource> shots;
    std::string errors;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        ShotSource shot;
        const std::string problem = readRow(rows[i], columns, csv.parent_path(), shot);
        if (!problem.empty()) {
            errors += (errors.empty() ? "" : "\n") + csv.string() + " line " +
                      std::to_string(rows[i].line) + ": " + problem;
        }
        shots.push_back(std::move(shot));
    }
    if (!errors.empty()) {
        throw UserError(errors);
    }
    if (shots.empty()) {
        throw UserError::inFile(csv, "the shot list has a header but no shots");
    }
    return shots;
}

}  // namespace storyreel::project
