// What the media libraries linked into this build can do: the FFmpeg and OpenCV versions,
// whether H.264 can be encoded (libx264) and decoded, and which image formats import.
//
//   MediaCapabilities caps = probeMediaCapabilities();
//   if (!caps.hasH264Encoder) throw UserError("...");
//
// Thread-safety: may be called from any thread.
#pragma once

#include <string>
#include <vector>

namespace storyreel::media {

struct MediaCapabilities {
    std::string ffmpegVersion;   // "5.1.6-0+deb12u1"
    std::string avcodecVersion;  // "59.37.100"
    std::string opencvVersion;   // "4.6.0"
    bool hasH264Encoder = false;
    bool hasH264Decoder = false;
    std::vector<std::string> imageExtensions;  // readable and writable: "png", "jpg", ...
};

MediaCapabilities probeMediaCapabilities();

}  // namespace storyreel::media
