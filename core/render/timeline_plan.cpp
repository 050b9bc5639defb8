#include "core/render/timeline_plan.h"

#include "core/base/user_error.h"

#include <algorithm>
#include <cmath>

namespace storyreel::render {
namespace {

long toFrames(double seconds, double fps) {
    return std::lround(seconds * fps);
}

// The seconds of the take that the shot uses, after its trims.
double takeSeconds(const project::Shot& shot, const project::Take& take) {
    const double end = shot.trimOutSeconds > 0.0 ? shot.trimOutSeconds : take.durationSeconds();
    return std::max(0.0, end - shot.trimInSeconds);
}

}  // namespace

TimelinePlan planTimeline(const project::Project& project, bool usePlaceholders) {
    std::string missing;
    for (std::size_t i = 0; i < project.shots.size(); ++i) {
        if (!project.shots[i].activeTake() && !usePlaceholders) {
            missing += (missing.empty() ? "" : ", ") + std::to_string(i + 1);
        }
    }
    if (!missing.empty()) {
        throw UserError("shots without a take: " + missing +
                        ". Render them, or export with placeholders (their still images).");
    }
    if (project.shots.empty()) {
        throw UserError("the project has no shots to export");
    }
    TimelinePlan plan{project.title, project.fps, project.width, project.height, {}};
    for (std::size_t i = 0; i < project.shots.size(); ++i) {
        const project::Shot& shot = project.shots[i];
        PlannedClip clip;
        clip.shotIndex = i;
        clip.name = "Shot " + std::to_string(i + 1);
        clip.take = shot.activeTake();
        if (clip.take) {
            clip.source = project.folder / clip.take->file;
            clip.takeFps = clip.take->fps;
            clip.takeFrames = clip.take->frames;
            clip.sourceIn = toFrames(shot.trimInSeconds, project.fps);
            clip.frames = std::max(1L, toFrames(takeSeconds(shot, *clip.take), project.fps));
        } else {
            clip.source = project.imagePath(shot);
            clip.still = true;
            clip.frames = std::max(1L, toFrames(shot.seconds, project.fps));
        }
        if (!plan.clips.empty() && shot.transition.kind == project::TransitionKind::Crossfade) {
            // A crossfade cannot outlast either of the shots it joins.
            clip.fadeIn = std::min({toFrames(shot.transition.seconds, project.fps), clip.frames,
                                    plan.clips.back().frames});
        }
        clip.recordIn = plan.clips.empty() ? 0 : plan.clips.back().recordOut() - clip.fadeIn;
        plan.clips.push_back(clip);
    }
    return plan;
}

}  // namespace storyreel::render
