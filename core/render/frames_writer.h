// Writes rendered frames to disk the way storyreel-cli and takes store them: .mkv as the
// lossless FFV1 take intermediate, any other extension as H.264 MP4, and a path without an
// extension as a new folder of PNG frames. Nothing is left under the final name when
// writing fails.
//
//   writeFrames(frames, "clip.mp4", {{"title", "shot 1"}});
//
// Thread-safety: writes the files it is given; any thread.
#pragma once

#include "core/render/engine.h"

#include <filesystem>
#include <map>
#include <string>

namespace storyreel::render {

// Throws UserError naming the file when it cannot be written or `frames` is empty.
void writeFrames(const Frames& frames, const std::filesystem::path& out,
                 const std::map<std::string, std::string>& metadata = {});

}  // namespace storyreel::render
