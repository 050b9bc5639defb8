// Creates a new project folder from images (naturally sorted: shot_2 before shot_10) or
// from a shot list. The folder appears complete or not at all: it is assembled under a
// temporary name and renamed when every image has been checked and copied in.
//
//   NewProjectOptions options{.title = "Harbour"};
//   Project p = createProject("harbour.storyreel", shotsFromImages(files), options, check);
//
// Thread-safety: may be called from any thread; one creation per folder.
#pragma once

#include "core/project/project.h"
#include "core/project/shot_source.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace storyreel::project {

struct NewProjectOptions {
    std::string title;  // empty: from the folder name
    double fps = 24.0;
    int width = 1280;
    int height = 720;
    std::string defaultPreset = "animatic";
    double secondsPerShot = 4.0;  // for shots that do not say
};

// Throws UserError when the file is not an image Storyreel can use. core/project knows no
// image format; the caller passes core/media's check.
using ImageCheck = std::function<void(const std::filesystem::path&)>;

// One shot per image, in natural order of the file names.
std::vector<ShotSource> shotsFromImages(std::vector<std::filesystem::path> images);

Project createProject(const std::filesystem::path& folder, const std::vector<ShotSource>& shots,
                      const NewProjectOptions& options, const ImageCheck& checkImage);

// A project with no shots yet (the GUI's File > New; shots are dropped in afterwards).
Project createEmptyProject(const std::filesystem::path& folder, const NewProjectOptions& options);

}  // namespace storyreel::project
