// Brings a user's picture into Storyreel as 8-bit BGR pixels, whatever it was: PNG, JPEG
// (EXIF orientation applied, CMYK or greyscale), WebP, TIFF or BMP; 16-bit; with alpha
// (flattened onto a background colour); animated or multi-page (the first frame).
//
//   cv::Mat frame = importImage("board/shot_1.png");            // CV_8UC3
//   checkImportable("huge.png", {.maxPixels = 16'000'000});     // throws UserError
//
// Thread-safety: may be called from any thread.
#pragma once

#include "core/media/image_header.h"

#include <opencv2/core.hpp>

#include <array>
#include <cstdint>
#include <filesystem>

namespace storyreel::media {

struct ImageImportOptions {
    std::int64_t maxPixels = 64'000'000;  // refused from the header, before decoding
    std::array<std::uint8_t, 3> backgroundRgb = {255, 255, 255};  // under transparent pixels
};

// Throws UserError naming the file and the problem (not an image, damaged, truncated,
// too many pixels, no pixels).
cv::Mat importImage(const std::filesystem::path& file, const ImageImportOptions& options = {});

// The same checks, decoding included, without keeping the pixels; returns the header.
ImageHeader checkImportable(const std::filesystem::path& file,
                            const ImageImportOptions& options = {});

}  // namespace storyreel::media
