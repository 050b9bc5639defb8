// Reads an image file's size and format from its header alone, before any decoding, so a
// 40000x40000 PNG bomb is refused without allocating its pixels.
//
//   ImageHeader header = readImageHeader("frame.jpg");   // {1920, 1080, "JPEG", 1}
//
// Thread-safety: may be called from any thread.
#pragma once

#include <filesystem>
#include <string>

namespace storyreel::media {

struct ImageHeader {
    int width = 0;
    int height = 0;
    std::string format;     // "PNG", "JPEG", "WebP", "TIFF", "BMP"
    int orientation = 1;    // EXIF orientation (1-8); 1 when absent
    bool animated = false;  // an animated WebP (its first frame is imported)
};

// Throws UserError naming the file: not an image, an unsupported format, a truncated or
// damaged header, a zero size.
ImageHeader readImageHeader(const std::filesystem::path& file);

}  // namespace storyreel::media
