#include "core/project/project_builder.h"

#include "core/base/natural_order.h"
#include "core/base/user_error.h"
#include "core/project/media_store.h"
#include "core/project/project_writer.h"

#include <algorithm>
#include <random>

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

Shot makeShot(const ShotSource& source, const fs::path& media, std::size_t index,
              const NewProjectOptions& options, std::mt19937_64& seeds) {
    Shot shot;
    shot.id = "shot-" + std::to_string(index + 1);
    shot.image = media;
    shot.prompt = source.prompt;
    shot.negativePrompt = source.negativePrompt;
    shot.preset = source.preset.empty() ? options.defaultPreset : source.preset;
    shot.seconds = source.seconds.value_or(options.secondsPerShot);
    // Seeds are drawn once and stored, so every later render of the shot can repeat them.
    shot.seed = source.seed.value_or(static_cast<std::int64_t>(seeds() >> 33));
    return shot;
}

void checkOptions(const fs::path& folder, const std::vector<ShotSource>& shots,
                  const NewProjectOptions& options) {
    if (folder.extension() != ".storyreel") {
        throw UserError::inFile(folder, "a project folder's name must end in .storyreel");
    }
    if (fs::exists(folder)) {
        throw UserError::inFile(folder, "already exists; choose another name or open it");
    }
    if (shots.empty()) {
        throw UserError::inFile(folder, "a new project needs at least one image");
    }
    if (!isKnownPresetId(options.defaultPreset)) {
        throw UserError("Unknown preset '" + options.defaultPreset +
                        "': use animatic, fast, fast-wan or quality.");
    }
}

}  // namespace

Project createProject(const fs::path& folder, const std::vector<ShotSource>& shots,
                      const NewProjectOptions& options, const ImageCheck& checkImage) {
    checkOptions(folder, shots, options);
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
        std::mt19937_64 seeds{std::random_device{}()};
        for (std::size_t i = 0; i < shots.size(); ++i) {
            if (checkImage) {
                checkImage(shots[i].image);
            }
            const fs::path media = importMedia(partial, shots[i].image);
            project.shots.push_back(makeShot(shots[i], media, i, options, seeds));
        }
        saveProject(project);
        fs::rename(partial, folder);
        project.folder = folder;
        return project;
    } catch (...) {
        fs::remove_all(partial, error);
        throw;
    }
}

}  // namespace storyreel::project
