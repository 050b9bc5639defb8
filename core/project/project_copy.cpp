#include "core/project/project_copy.h"

#include "core/base/user_error.h"
#include "core/project/project_writer.h"

namespace storyreel::project {

namespace fs = std::filesystem;

Project saveProjectAs(const Project& project, const fs::path& folder) {
    if (folder.extension() != ".storyreel") {
        throw UserError::inFile(folder, "a project folder's name must end in .storyreel");
    }
    if (fs::exists(folder)) {
        throw UserError::inFile(folder, "already exists; choose another name");
    }
    fs::path partial = folder;
    partial += ".partial";
    std::error_code error;
    fs::remove_all(partial, error);
    try {
        fs::create_directories(partial);
        for (const char* part : {"media", "takes"}) {
            if (fs::exists(project.folder / part)) {
                fs::copy(project.folder / part, partial / part, fs::copy_options::recursive);
            }
        }
        Project copy = project;
        copy.folder = partial;
        saveProject(copy);
        fs::rename(partial, folder);
        copy.folder = folder;
        return copy;
    } catch (const fs::filesystem_error& failure) {
        fs::remove_all(partial, error);
        throw UserError::inFile(folder,
                                std::string("cannot be written: ") + failure.code().message());
    } catch (...) {
        fs::remove_all(partial, error);
        throw;
    }
}

}  // namespace storyreel::project
