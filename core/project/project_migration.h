// Brings a project.json written by an older Storyreel up to the current schema, one version
// step at a time, so every old project keeps opening.
//
//   nlohmann::json root = parse(text);
//   migrateToCurrentSchema(root);   // throws UserError for a newer or invalid version
//
// Thread-safety: pure function of its argument.
#pragma once

#include <nlohmann/json.hpp>

namespace storyreel::project {

void migrateToCurrentSchema(nlohmann::json& root);

}  // namespace storyreel::project
