// Whether a file is a picture Storyreel can import, without exposing OpenCV to the caller
// (the CLI and the UI use this; image_import.h gives the pixels).
//
//   ImageHeader header = checkImportable("board/shot_1.png");   // throws UserError
//
// Thread-safety: may be called from any thread.
#pragma once

#include "core/media/image_header.h"

#include <array>
#include <cstdint>
#include <filesystem>

namespace storyreel::media {

struct ImageImportOptions {
    std::int64_t maxPixels = 64'000'000;  // refused from the header, before decoding
    std::array<std::uint8_t, 3> backgroundRgb = {255, 255, 255};  // under transparent pixels
};

// Decodes the image once to prove it is whole; throws UserError naming the file and the
// problem (not an image, damaged, truncated, too many pixels, no pixels).
ImageHeader checkImportable(const std::filesystem::path& file,
                            const ImageImportOptions& options = {});

}  // namespace storyreel::media
