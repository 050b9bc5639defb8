#include "core/project/project.h"

namespace storyreel::project {

const Take* Shot::activeTake() const {
    for (const Take& take : takes) {
        if (take.id == activeTakeId) {
            return &take;
        }
    }
    return nullptr;
}

double Project::totalSeconds() const {
    double total = 0.0;
    for (const Shot& shot : shots) {
        total += shot.seconds;
    }
    return total;
}

std::filesystem::path projectFile(const std::filesystem::path& folder) {
    return folder / "project.json";
}

}  // namespace storyreel::project
