// The mapping between Project and its project.json text (schema kSchemaVersion). Internal to
// core/project: the loader and the writer share it so that what is saved is what loads.
#pragma once

#include "core/project/project.h"

#include <nlohmann/json.hpp>

namespace storyreel::project {

nlohmann::json projectToJson(const Project& project);

// Expects current-schema JSON (see project_migration.h); throws UserError saying what is
// wrong and where ("shot 2: missing 'image'").
Project projectFromJson(const nlohmann::json& root);

}  // namespace storyreel::project
