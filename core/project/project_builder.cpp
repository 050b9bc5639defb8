#include "core/project/project_builder.h"

#include "core/base/natural_order.h"
#include "core/base/user_error.h"
#include "core/project/project_writer.h"
#include "core/project/shot_import.h"

#include <algorithm>

namespace storyreel::project {

namespace fs = std::filesystem;

bool isKnownPresetId(std::string_view id) {
    return id == "animatic" || id == "fast" || id == "fast-wan" || id == "quality";
}

std::vector<ShotSource> shotsFromImages(std::vector<fs::path> images) {
    std::stable_sort(images.begin(), images.end(), [](const fs::path& a, const fs::path& b) {
        return naturalLess(a.filename().string(), b.filename().string());
    });
    std::vector<ShotSource> shots;
    for (const fs::path& image : images) {
        shots.push_back({image, "", "", std::nullopt, std::nullopt, ""});
    }
    return shots;
}

namespace {

void checkOptions(const fs::path& folder, const NewProjectOptions& options) {
    if (folder.extension() != ".storyreel") {
        throw UserError::inFile(folder, "a project folder's name must end in .storyreel");
    }
    if (fs::exists(folder)) {
        throw UserError::inFile(folder, "already exists; choose another name or open it");
    }
    if (!isKnownPresetId(options.defaultPreset)) {
        throw UserError("Unknown preset '" + options.defaultPreset +
                        "': use animatic, fast, fast-wan or quality.");
    }
}

}  // namespace

Project createProject(const fs::path& folder, const std::vector<ShotSource>& shots,
                      const NewProjectOptions& options, const ImageCheck& checkImage) {
    if (shots.empty()) {
        throw UserError::inFile(folder, "a new project needs at least one image");
    }
    checkOptions(folder, options);
    fs::path partial = folder;
    partial += ".partial";
    std::error_code error;
    fs::remove_all(partial, error);
    if (!fs::create_directories(partial, error)) {
        throw UserError::inFile(partial, "cannot be created: " + error.message());
    }
    try {
        Project project;
        project.folder = partial;
        project.title = options.title.empty() ? folder.stem().string() : options.title;
        project.fps = options.fps;
        project.width = options.width;
        project.height = options.height;
        project.defaultPreset = options.defaultPreset;
        project.shots = importShots(project, shots, checkImage, options.secondsPerShot);
        saveProject(project);
        fs::rename(partial, folder);
        project.folder = folder;
        return project;
    } catch (...) {
        fs::remove_all(partial, error);
        throw;
    }
}

Project createEmptyProject(const fs::path& folder, const NewProjectOptions& options) {
    checkOptions(folder, options);
    std::error_code error;
    if (!fs::create_directories(folder, error)) {
        throw UserError::inFile(folder, "cannot be created: " + error.message());
    }
    Project project;
    project.folder = folder;
    project.title = options.title.empty() ? folder.stem().string() : options.title;
    project.fps = options.fps;
    project.width = options.width;
    project.height = options.height;
    project.defaultPreset = options.defaultPreset;
    try {
        saveProject(project);
    } catch (...) {
        fs::remove_all(folder, error);
        throw;
    }
    return project;
}

}  // namespace storyreel::project
