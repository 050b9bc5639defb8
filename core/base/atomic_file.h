// Writes a file so that, whenever the process dies, the target holds either its old
// content or the new one, never a mix: write a temporary sibling, flush it to disk, then
// rename it over the target. Optionally keeps the previous version as TARGET.bak.
//
//   writeFileAtomically(folder / "project.json", json, BackupPolicy::KeepPrevious);
//
// Thread-safety: safe for different targets; callers serialise writes to one target.
#pragma once

#include <filesystem>
#include <string_view>

namespace storyreel {

enum class BackupPolicy { None, KeepPrevious };

// Throws UserError naming the file when any step fails; the target is then unchanged.
void writeFileAtomically(const std::filesystem::path& target, std::string_view bytes,
                         BackupPolicy backup = BackupPolicy::None);

// The backup writeFileAtomically keeps: "project.json" -> "project.json.bak".
std::filesystem::path backupPathFor(const std::filesystem::path& target);

}  // namespace storyreel
