#include "core/project/shot_import.h"

#include "core/project/media_store.h"

#include <algorithm>
#include <random>

namespace storyreel::project {

std::string nextShotId(const Project& project) {
    long highest = 0;
    for (const Shot& shot : project.shots) {
        if (shot.id.rfind("shot-", 0) == 0) {
            try {
                highest = std::max(highest, std::stol(shot.id.substr(5)));
            } catch (const std::exception&) {
                // A hand-made id such as "shot-intro" takes no part in the numbering.
            }
        }
    }
    return "shot-" + std::to_string(highest + 1);
}

std::vector<Shot> importShots(const Project& project, const std::vector<ShotSource>& sources,
                              const ImageCheck& checkImage, double secondsPerShot) {
    std::mt19937_64 seeds{std::random_device{}()};
    Project numbering = project;  // grows as shots are made, so their ids stay unique
    std::vector<Shot> shots;
    for (const ShotSource& source : sources) {
        if (checkImage) {
            checkImage(source.image);
        }
        Shot shot;
        shot.id = nextShotId(numbering);
        shot.image = importMedia(project.folder, source.image);
        shot.prompt = source.prompt;
        shot.negativePrompt = source.negativePrompt;
        shot.preset = source.preset.empty() ? project.defaultPreset : source.preset;
        shot.seconds = source.seconds.value_or(secondsPerShot);
        // Seeds are drawn once and stored, so every later render of the shot can repeat them.
        shot.seed = source.seed.value_or(static_cast<std::int64_t>(seeds() >> 33));
        numbering.shots.push_back(shot);
        shots.push_back(std::move(shot));
    }
    return shots;
}

}  // namespace storyreel::project
