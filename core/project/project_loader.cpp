#include "core/project/project_loader.h"

#include "core/base/user_error.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace storyreel::project {
namespace {

using nlohmann::json;

// Reads one member with a message that says where and what was expected.
template <typename T>
T member(const json& object, const char* key, const std::string& where, const T& fallback,
         bool required) {
    const auto it = object.find(key);
    if (it == object.end()) {
        if (required) {
            throw UserError(where + ": missing '" + key + "'");
        }
        return fallback;
    }
    try {
        return it->get<T>();
    } catch (const json::type_error&) {
        throw UserError(where + ": '" + key + "' has the wrong type (" + it->type_name() + ")");
    }
}

std::string lineAndColumn(const std::string& text, std::size_t byte) {
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

Shot readShot(const json& value, std::size_t index) {
    const std::string where = "shot " + std::to_string(index + 1);
    if (!value.is_object()) {
        throw UserError(where + ": expected an object");
    }
    Shot shot;
    shot.id = member<std::string>(value, "id", where, "shot-" + std::to_string(index + 1), false);
    shot.image = member<std::string>(value, "image", where, "", true);
    shot.prompt = member<std::string>(value, "prompt", where, "", false);
    shot.negativePrompt = member<std::string>(value, "negativePrompt", where, "", false);
    shot.preset = member<std::string>(value, "preset", where, shot.preset, false);
    shot.seconds = member<double>(value, "seconds", where, shot.seconds, false);
    shot.seed = member<std::int64_t>(value, "seed", where, shot.seed, false);
    shot.notes = member<std::string>(value, "notes", where, "", false);
    if (shot.image.is_absolute() || shot.image.lexically_normal().string().starts_with("..")) {
        throw UserError(where + ": image '" + shot.image.string() +
                        "' must be a path inside the project folder");
    }
    if (!(shot.seconds > 0.0 && shot.seconds <= 600.0)) {
        throw UserError(where + ": 'seconds' must be between 0 and 600");
    }
    return shot;
}

Project readProject(const json& root) {
    if (!root.is_object()) {
        throw UserError("expected a JSON object at the top level");
    }
    const int schema = member<int>(root, "schema", "project", 0, true);
    if (schema > kSchemaVersion) {
        throw UserError("saved by a newer Storyreel (schema " + std::to_string(schema) +
                        "; this version reads up to " + std::to_string(kSchemaVersion) +
                        "). Update Storyreel to open it.");
    }
    if (schema < 1) {
        throw UserError("'schema' must be a positive version number");
    }
    Project project;
    project.title = member<std::string>(root, "title", "project", "", true);
    project.fps = member<double>(root, "fps", "project", project.fps, false);
    project.width = member<int>(root, "width", "project", project.width, false);
    project.height = member<int>(root, "height", "project", project.height, false);
    project.defaultPreset =
        member<std::string>(root, "defaultPreset", "project", project.defaultPreset, false);
    if (!(project.fps >= 1.0 && project.fps <= 240.0)) {
        throw UserError("project: 'fps' must be between 1 and 240");
    }
    if (project.width < 16 || project.height < 16 || project.width > 8192 ||
        project.height > 8192) {
        throw UserError("project: the output size must be between 16 and 8192 pixels a side");
    }
    const json shots = root.value("shots", json::array());
    if (!shots.is_array()) {
        throw UserError("project: 'shots' must be a list");
    }
    for (std::size_t i = 0; i < shots.size(); ++i) {
        project.shots.push_back(readShot(shots[i], i));
    }
    return project;
}

}  // namespace

Project loadProject(const std::filesystem::path& folderOrFile) {
    namespace fs = std::filesystem;
    const bool isFile = folderOrFile.filename() == "project.json";
    const fs::path folder = isFile ? folderOrFile.parent_path() : folderOrFile;
    const fs::path file = projectFile(folder);
    if (!fs::exists(folder)) {
        throw UserError::inFile(folder, "no such project");
    }
    if (!fs::is_directory(folder)) {
        throw UserError::inFile(folder, "not a project folder (expected NAME.storyreel/)");
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw UserError::inFile(file, "cannot be read (missing, or no permission)");
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error& error) {
        const std::string problem =
            text.empty() ? "the file is empty"
                         : "not valid JSON at " + lineAndColumn(text, error.byte - 1);
        throw UserError::inFile(file, problem);
    }
    try {
        Project project = readProject(root);
        project.folder = folder;
        return project;
    } catch (const UserError& error) {
        throw UserError::inFile(file, error.what());
    }
}

}  // namespace storyreel::project
