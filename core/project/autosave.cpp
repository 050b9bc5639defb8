#include "core/project/autosave.h"

#include "core/base/atomic_file.h"
#include "core/base/log.h"
#include "core/project/project_loader.h"
#include "core/project/project_writer.h"

#include <chrono>
#include <ctime>

namespace storyreel::project {

namespace fs = std::filesystem;

fs::path autosaveFile(const fs::path& folder) {
    return folder / "project.autosave.json";
}

void writeAutosave(const Project& project) {
    writeFileAtomically(autosaveFile(project.folder), projectJsonText(project));
}

namespace {

std::string localTime(fs::file_time_type time) {
    const auto system = std::chrono::time_point_cast<std::chrono::system_clock::duration>(
        time - fs::file_time_type::clock::now() + std::chrono::system_clock::now());
    const std::time_t seconds = std::chrono::system_clock::to_time_t(system);
    std::tm local{};
    localtime_r(&seconds, &local);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &local);
    return text;
}

}  // namespace

std::optional<RecoveredProject> newerAutosave(const fs::path& folder) {
    const fs::path autosave = autosaveFile(folder);
    std::error_code error;
    const auto autosaved = fs::last_write_time(autosave, error);
    if (error) {
        return std::nullopt;
    }
    const auto saved = fs::last_write_time(projectFile(folder), error);
    if (!error && saved >= autosaved) {
        return std::nullopt;  // saved since: the autosave is stale
    }
    try {
        return RecoveredProject{loadProjectFrom(folder, autosave), localTime(autosaved)};
    } catch (const std::exception& failure) {
        log(LogLevel::Warning, std::string("autosave not usable: ") + failure.what());
        return std::nullopt;
    }
}

void removeAutosave(const fs::path& folder) {
    std::error_code error;
    fs::remove(autosaveFile(folder), error);
}

}  // namespace storyreel::project
