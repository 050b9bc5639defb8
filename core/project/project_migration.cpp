#include "core/project/project_migration.h"

#include "core/base/user_error.h"
#include "core/project/project.h"

#include <string>

namespace storyreel::project {
namespace {

using nlohmann::json;

// Schema 1 -> 2: shots gain takes, an active take, trims and a transition.
void migrateFrom1(json& root) {
    if (root.contains("shots") && root["shots"].is_array()) {
        for (json& shot : root["shots"]) {
            if (shot.is_object()) {
                shot.emplace("takes", json::array());
                shot.emplace("transition", json{{"kind", "cut"}, {"seconds", 0.0}});
            }
        }
    }
}

}  // namespace

void migrateToCurrentSchema(json& root) {
    if (!root.is_object()) {
        throw UserError("expected a JSON object at the top level");
    }
    const auto it = root.find("schema");
    if (it == root.end()) {
        throw UserError("project: missing 'schema'");
    }
    if (!it->is_number_integer() || it->get<int>() < 1) {
        throw UserError("'schema' must be a positive version number");
    }
    int version = it->get<int>();
    if (version > kSchemaVersion) {
        throw UserError("saved by a newer Storyreel (schema " + std::to_string(version) +
                        "; this version reads up to " + std::to_string(kSchemaVersion) +
                        "). Update Storyreel to open it.");
    }
    // One step per schema change; each leaves the document valid for the next version.
    if (version == 1) {
        migrateFrom1(root);
        version = 2;
    }
    root["schema"] = version;
}

}  // namespace storyreel::project
