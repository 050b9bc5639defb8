#include "core/project/project_writer.h"

#include "core/base/atomic_file.h"
#include "core/base/user_error.h"
#include "core/project/project_json.h"

#include <filesystem>

namespace storyreel::project {

std::string projectJsonText(const Project& project) {
    return projectToJson(project).dump(2) + "\n";
}

void saveProject(const Project& project) {
    if (!std::filesystem::is_directory(project.folder)) {
        throw UserError::inFile(project.folder, "the project folder does not exist");
    }
    writeFileAtomically(projectFile(project.folder), projectJsonText(project),
                        BackupPolicy::KeepPrevious);
}

}  // namespace storyreel::project
