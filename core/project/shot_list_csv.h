// Reads a shot list as filmmakers keep it in a spreadsheet: a CSV file with a header row
// and the columns image, prompt, preset, seconds, and optionally seed and negative (in any
// order). Image paths are relative to the CSV's folder. Quoted fields may hold commas,
// quotes ("") and line breaks; a UTF-8 BOM and CRLF line ends are accepted.
//
//   std::vector<ShotSource> shots = readShotListCsv("board/shots.csv");
//
// Thread-safety: may be called from any thread.
#pragma once

#include "core/project/shot_source.h"

#include <filesystem>
#include <vector>

namespace storyreel::project {

// Throws one UserError listing every bad row by line number ("shots.csv line 4: ...").
std::vector<ShotSource> readShotListCsv(const std::filesystem::path& csv);

}  // namespace storyreel::project
