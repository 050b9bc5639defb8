// Brings a user's picture into Storyreel as 8-bit BGR pixels, whatever it was: PNG, JPEG
// (EXIF orientation applied, CMYK or greyscale), WebP, TIFF or BMP; 16-bit; with alpha
// (flattened onto a background colour); animated or multi-page (the first frame).
//
//   cv::Mat frame = importImage("board/shot_1.png");   // CV_8UC3, or throws UserError
//
// Thread-safety: may be called from any thread.
#pragma once

#include "core/media/image_check.h"

#include <opencv2/core.hpp>

#include <filesystem>

namespace storyreel::media {

// Throws UserError naming the file and the problem (not an image, damaged, truncated,
// too many pixels, no pixels).
cv::Mat importImage(const std::filesystem::path& file, const ImageImportOptions& options = {});

}  // namespace storyreel::media
