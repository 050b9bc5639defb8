// OpenTimelineIO JSON as OpenTimelineIO writes it: Timeline.1 > Stack.1 > Track.1 of Clip.2
// (ExternalReference.1 media) and Transition.1 (SMPTE_Dissolve) centred on the edit point.
#include "core/render/timeline_cuts.h"
#include "core/render/timeline_files.h"

#include <nlohmann/json.hpp>

namespace storyreel::render {
namespace {

using nlohmann::json;

json rationalTime(long frames, double fps) {
    return {{"OTIO_SCHEMA", "RationalTime.1"}, {"rate", fps}, {"value", double(frames)}};
}

json timeRange(long start, long duration, double fps) {
    return {{"OTIO_SCHEMA", "TimeRange.1"},
            {"start_time", rationalTime(start, fps)},
            {"duration", rationalTime(duration, fps)}};
}

json clipMetadata(const PlannedClip& clip) {
    json storyreel = {{"shot", clip.shotIndex + 1}, {"placeholder", clip.still}};
    if (clip.take) {
        storyreel["take"] = {{"engine", clip.take->engine},
                             {"model", clip.take->model},
                             {"prompt", clip.take->prompt},
                             {"seed", clip.take->seed}};
    }
    return {{"storyreel", storyreel}};
}

json clipJson(const TimelinePlan& plan, std::size_t i) {
    const PlannedClip& clip = plan.clips[i];
    const VisiblePart part = visiblePart(plan, i);
    const json reference = {
        {"OTIO_SCHEMA", "ExternalReference.1"}, {"name", clip.source.filename().string()},
        {"metadata", json::object()},           {"available_range", nullptr},
        {"available_image_bounds", nullptr},    {"target_url", fileUrl(clip.source)}};
    return {{"OTIO_SCHEMA", "Clip.2"},
            {"name", clip.name},
            {"metadata", clipMetadata(clip)},
            {"source_range", timeRange(part.sourceIn, part.frames, plan.fps)},
            {"effects", json::array()},
            {"markers", json::array()},
            {"enabled", true},
            {"media_references", {{"DEFAULT_MEDIA", reference}}},
            {"active_media_reference_key", "DEFAULT_MEDIA"}};
}

json transitionJson(const TimelinePlan& plan, std::size_t i) {
    return {{"OTIO_SCHEMA", "Transition.1"},
            {"name", "Crossfade"},
            {"metadata", json::object()},
            {"transition_type", "SMPTE_Dissolve"},
            {"in_offset", rationalTime(fadeBeforeCut(plan, i), plan.fps)},
            {"out_offset", rationalTime(fadeAfterCut(plan, i), plan.fps)}};
}

json container(const char* schema, const std::string& name, json children) {
    return {{"OTIO_SCHEMA", schema},
            {"name", name},
            {"metadata", json::object()},
            {"source_range", nullptr},
            {"effects", json::array()},
            {"markers", json::array()},
            {"enabled", true},
            {"children", std::move(children)}};
}

}  // namespace

std::string timelineToOtio(const TimelinePlan& plan) {
    json items = json::array();
    for (std::size_t i = 0; i < plan.clips.size(); ++i) {
        if (plan.clips[i].fadeIn > 0) {
            items.push_back(transitionJson(plan, i));
        }
        items.push_back(clipJson(plan, i));
    }
    json track = container("Track.1", "Video 1", std::move(items));
    track["kind"] = "Video";
    const json timeline = {
        {"OTIO_SCHEMA", "Timeline.1"},
        {"name", plan.title},
        {"metadata", {{"storyreel", {{"width", plan.width}, {"height", plan.height}}}}},
        {"global_start_time", nullptr},
        {"tracks", container("Stack.1", "tracks", json::array({track}))}};
    return timeline.dump(4) + "\n";
}

}  // namespace storyreel::render
