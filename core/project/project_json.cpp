#include "core/project/project_json.h"

#include "core/base/user_error.h"

#include <set>
#include <string>

namespace storyreel::project {
namespace {

using nlohmann::json;

// Reads one member with a message that says where and what was expected.
template <typename T>
T member(const json& object, const char* key, const std::string& where, const T& fallback,
         bool required = false) {
    const auto it = object.find(key);
    if (it == object.end()) {
        if (required) {
            throw UserError(where + ": missing '" + key + "'");
        }
        return fallback;
    }
    try {
        return it->get<T>();
    } catch (const json::exception&) {
        throw UserError(where + ": '" + key + "' has the wrong type (" + it->type_name() + ")");
    }
}

std::filesystem::path insideProject(const json& object, const char* key, const std::string& where,
                                    bool required) {
    const std::filesystem::path path = member<std::string>(object, key, where, "", required);
    if (path.is_absolute() || path.lexically_normal().string().starts_with("..")) {
        throw UserError(where + ": " + key + " '" + path.string() +
                        "' must be a path inside the project folder");
    }
    return path;
}

void requireRange(double value, double low, double high, const std::string& where,
                  const char* key) {
    if (!(value >= low && value <= high)) {
        throw UserError(where + ": '" + key + "' must be between " + std::to_string(int(low)) +
                        " and " + std::to_string(int(high)));
    }
}

Transition readTransition(const json& shot, const std::string& where) {
    const json value = shot.value("transition", json::object());
    if (!value.is_object()) {
        throw UserError(where + ": 'transition' must be an object");
    }
    Transition transition;
    const std::string kind = member<std::string>(value, "kind", where + " transition", "cut");
    if (kind == "crossfade") {
        transition.kind = TransitionKind::Crossfade;
    } else if (kind != "cut") {
        throw UserError(where + ": transition kind '" + kind + "' is not 'cut' or 'crossfade'");
    }
    transition.seconds = member<double>(value, "seconds", where + " transition", 0.0);
    requireRange(transition.seconds, 0.0, 60.0, where + " transition", "seconds");
    return transition;
}

Take readTake(const json& value, const std::string& where) {
    if (!value.is_object()) {
        throw UserError(where + ": expected an object");
    }
    Take take;
    take.id = member<std::string>(value, "id", where, "", true);
    take.file = insideProject(value, "file", where, true);
    take.engine = member<std::string>(value, "engine", where, "", true);
    take.model = member<std::string>(value, "model", where, "");
    take.prompt = member<std::string>(value, "prompt", where, "");
    take.negativePrompt = member<std::string>(value, "negativePrompt", where, "");
    take.seed = member<std::int64_t>(value, "seed", where, 0);
    take.steps = member<int>(value, "steps", where, 0);
    take.guidance = member<double>(value, "guidance", where, 0.0);
    take.shift = member<double>(value, "shift", where, 0.0);
    take.width = member<int>(value, "width", where, 0);
    take.height = member<int>(value, "height", where, 0);
    take.frames = member<int>(value, "frames", where, 0);
    take.fps = member<double>(value, "fps", where, 0.0);
    take.secondsTaken = member<double>(value, "secondsTaken", where, 0.0);
    take.device = member<std::string>(value, "device", where, "");
    take.createdAt = member<std::string>(value, "createdAt", where, "");
    return take;
}

// "render": optional; written only when a setting differs from the preset's default.
RenderSettings readRenderSettings(const json& shot, const std::string& where) {
    RenderSettings settings;
    const auto found = shot.find("render");
    if (found == shot.end()) {
        return settings;
    }
    if (!found->is_object()) {
        throw UserError(where + ": 'render' must be an object");
    }
    const std::string inside = where + " render";
    settings.size = member<std::string>(*found, "size", inside, "");
    settings.fps = member<double>(*found, "fps", inside, 0.0);
    settings.steps = member<int>(*found, "steps", inside, 0);
    settings.guidance = member<double>(*found, "guidance", inside, 0.0);
    settings.shift = member<double>(*found, "shift", inside, 0.0);
    settings.memoryProfile = member<std::string>(*found, "memoryProfile", inside, "");
    settings.seedLocked = member<bool>(*found, "seedLocked", inside, true);
    static const std::set<std::string> kSizes = {"", "project", "384p", "480p", "540p", "720p"};
    if (kSizes.count(settings.size) == 0) {
        throw UserError(inside + ": 'size' must be project, 384p, 480p, 540p or 720p");
    }
    if (settings.fps < 0.0 || settings.fps > 120.0 || settings.steps < 0 || settings.steps > 1000 ||
        settings.guidance < 0.0 || settings.shift < 0.0) {
        throw UserError(inside +
                        ": fps, steps, guidance and shift must be positive (or 0 "
                        "for the preset's default)");
    }
    return settings;
}

Shot readShot(const json& value, std::size_t index) {
    const std::string where = "shot " + std::to_string(index + 1);
    if (!value.is_object()) {
        throw UserError(where + ": expected an object");
    }
    Shot shot;
    shot.id = member<std::string>(value, "id", where, "shot-" + std::to_string(index + 1));
    shot.image = insideProject(value, "image", where, true);
    shot.prompt = member<std::string>(value, "prompt", where, "");
    shot.negativePrompt = member<std::string>(value, "negativePrompt", where, "");
    shot.preset = member<std::string>(value, "preset", where, shot.preset);
    shot.seconds = member<double>(value, "seconds", where, shot.seconds);
    shot.seed = member<std::int64_t>(value, "seed", where, shot.seed);
    shot.notes = member<std::string>(value, "notes", where, "");
    shot.render = readRenderSettings(value, where);
    if (!(shot.seconds > 0.0 && shot.seconds <= 600.0)) {
        throw UserError(where + ": 'seconds' must be between 0 and 600");
    }
    const json takes = value.value("takes", json::array());
    if (!takes.is_array()) {
        throw UserError(where + ": 'takes' must be a list");
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < takes.size(); ++i) {
        shot.takes.push_back(readTake(takes[i], where + " take " + std::to_string(i + 1)));
        if (!ids.insert(shot.takes.back().id).second) {
            throw UserError(where + ": two takes are called '" + shot.takes.back().id + "'");
        }
    }
    shot.activeTakeId = member<std::string>(value, "activeTake", where, "");
    if (!shot.activeTakeId.empty() && !shot.activeTake()) {
        throw UserError(where + ": the active take '" + shot.activeTakeId +
                        "' is not among its takes");
    }
    shot.trimInSeconds = member<double>(value, "trimIn", where, 0.0);
    shot.trimOutSeconds = member<double>(value, "trimOut", where, 0.0);
    if (shot.trimInSeconds < 0.0 || shot.trimOutSeconds < 0.0 ||
        (shot.trimOutSeconds > 0.0 && shot.trimOutSeconds <= shot.trimInSeconds)) {
        throw UserError(where + ": trims must satisfy 0 <= trimIn < trimOut (or trimOut 0)");
    }
    shot.transition = readTransition(value, where);
    return shot;
}

json takeToJson(const Take& take) {
    return {{"id", take.id},
            {"file", take.file.generic_string()},
            {"engine", take.engine},
            {"model", take.model},
            {"prompt", take.prompt},
            {"negativePrompt", take.negativePrompt},
            {"seed", take.seed},
            {"steps", take.steps},
            {"guidance", take.guidance},
            {"shift", take.shift},
            {"width", take.width},
            {"height", take.height},
            {"frames", take.frames},
            {"fps", take.fps},
            {"secondsTaken", take.secondsTaken},
            {"device", take.device},
            {"createdAt", take.createdAt}};
}

json shotToJson(const Shot& shot) {
    json takes = json::array();
    for (const Take& take : shot.takes) {
        takes.push_back(takeToJson(take));
    }
    const bool crossfade = shot.transition.kind == TransitionKind::Crossfade;
    json written = {
        {"id", shot.id},
        {"image", shot.image.generic_string()},
        {"prompt", shot.prompt},
        {"negativePrompt", shot.negativePrompt},
        {"preset", shot.preset},
        {"seconds", shot.seconds},
        {"seed", shot.seed},
        {"notes", shot.notes},
        {"takes", takes},
        {"activeTake", shot.activeTakeId},
        {"trimIn", shot.trimInSeconds},
        {"trimOut", shot.trimOutSeconds},
        {"transition",
         {{"kind", crossfade ? "crossfade" : "cut"}, {"seconds", shot.transition.seconds}}}};
    if (!shot.render.isDefault()) {
        written["render"] = {{"size", shot.render.size},
                             {"fps", shot.render.fps},
                             {"steps", shot.render.steps},
                             {"guidance", shot.render.guidance},
                             {"shift", shot.render.shift},
                             {"memoryProfile", shot.render.memoryProfile},
                             {"seedLocked", shot.render.seedLocked}};
    }
    return written;
}

}  // namespace

json projectToJson(const Project& project) {
    json shots = json::array();
    for (const Shot& shot : project.shots) {
        shots.push_back(shotToJson(shot));
    }
    return {{"schema", kSchemaVersion},
            {"title", project.title},
            {"fps", project.fps},
            {"width", project.width},
            {"height", project.height},
            {"defaultPreset", project.defaultPreset},
            {"shots", shots}};
}

Project projectFromJson(const json& root) {
    Project project;
    project.title = member<std::string>(root, "title", "project", "", true);
    project.fps = member<double>(root, "fps", "project", project.fps);
    project.width = member<int>(root, "width", "project", project.width);
    project.height = member<int>(root, "height", "project", project.height);
    project.defaultPreset =
        member<std::string>(root, "defaultPreset", "project", project.defaultPreset);
    requireRange(project.fps, 1.0, 240.0, "project", "fps");
    if (project.width < 16 || project.height < 16 || project.width > 8192 ||
        project.height > 8192) {
        throw UserError("project: the output size must be between 16 and 8192 pixels a side");
    }
    const json shots = root.value("shots", json::array());
    if (!shots.is_array()) {
        throw UserError("project: 'shots' must be a list");
    }
    for (std::size_t i = 0; i < shots.size(); ++i) {
        project.shots.push_back(readShot(shots[i], i));
    }
    return project;
}

}  // namespace storyreel::project
