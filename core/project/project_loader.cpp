#include "core/project/project_loader.h"

#include "core/base/atomic_file.h"
#include "core/base/user_error.h"
#include "core/project/project_json.h"
#include "core/project/project_migration.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace storyreel::project {
namespace {

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

// Points the user at the last good save when the current file is damaged.
std::string withBackupHint(const std::filesystem::path& file, const std::string& problem) {
    const std::filesystem::path backup = backupPathFor(file);
    return std::filesystem::exists(backup)
               ? problem + " (the previous save is in " + backup.filename().string() + ")"
               : problem;
}

}  // namespace

Project loadProject(const std::filesystem::path& folderOrFile) {
    const bool isFile = folderOrFile.filename() == "project.json";
    const std::filesystem::path folder = isFile ? folderOrFile.parent_path() : folderOrFile;
    return loadProjectFrom(folder, projectFile(folder));
}

Project loadProjectFrom(const std::filesystem::path& folder, const std::filesystem::path& file) {
    namespace fs = std::filesystem;
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
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& error) {
        const std::string problem =
            text.empty() ? "the file is empty"
                         : "not valid JSON at " + lineAndColumn(text, error.byte - 1);
        throw UserError::inFile(file, withBackupHint(file, problem));
    }
    try {
        migrateToCurrentSchema(root);
        Project project = projectFromJson(root);
        project.folder = folder;
        return project;
    } catch (const UserError& error) {
        throw UserError::inFile(file, withBackupHint(file, error.what()));
    }
}

}  // namespace storyreel::project
