#include "core/media/image_header.h"

#include "core/base/user_error.h"

#include <cstdint>
#include <fstream>
#include <string_view>
#include <vector>

namespace storyreel::media {
namespace {

// Bounds-checked reads from the first bytes of a file: a short file is a truncated one.
class Bytes {
public:
    explicit Bytes(std::vector<unsigned char> data) : data_(std::move(data)) {}

    std::size_t size() const { return data_.size(); }
    bool has(std::size_t offset, std::size_t count) const {
        return offset <= data_.size() && count <= data_.size() - offset;
    }
    std::uint32_t byte(std::size_t at) const { return has(at, 1) ? data_[at] : fail(); }
    std::uint32_t be16(std::size_t at) const { return byte(at) << 8 | byte(at + 1); }
    std::uint32_t le16(std::size_t at) const { return byte(at) | byte(at + 1) << 8; }
    std::uint32_t be32(std::size_t at) const { return be16(at) << 16 | be16(at + 2); }
    std::uint32_t le32(std::size_t at) const { return le16(at) | le16(at + 2) << 16; }
    std::uint32_t u16(std::size_t at, bool little) const { return little ? le16(at) : be16(at); }
    std::uint32_t u32(std::size_t at, bool little) const { return little ? le32(at) : be32(at); }
    bool startsWith(std::string_view text, std::size_t at = 0) const {
        return has(at, text.size()) &&
               std::string_view(reinterpret_cast<const char*>(data_.data()) + at, text.size()) ==
                   text;
    }

private:
    [[noreturn]] static std::uint32_t fail() { throw UserError("the header is truncated"); }
    std::vector<unsigned char> data_;
};

// Reads the EXIF Orientation tag (0x0112) from a TIFF structure starting at `base`.
int tiffOrientation(const Bytes& bytes, std::size_t base) {
    const bool little = bytes.startsWith("II", base);
    const std::size_t ifd = base + bytes.u32(base + 4, little);
    const std::uint32_t entries = bytes.u16(ifd, little);
    for (std::uint32_t i = 0; i < entries && i < 512; ++i) {
        const std::size_t entry = ifd + 2 + i * 12;
        if (bytes.u16(entry, little) == 0x0112) {
            const int value = static_cast<int>(bytes.u16(entry + 8, little));
            return value >= 1 && value <= 8 ? value : 1;
        }
    }
    return 1;
}

ImageHeader readPng(const Bytes& bytes) {
    if (!bytes.startsWith("IHDR", 12)) {
        throw UserError("a PNG without its IHDR header");
    }
    return {static_cast<int>(bytes.be32(16)), static_cast<int>(bytes.be32(20)), "PNG", 1};
}

ImageHeader readJpeg(const Bytes& bytes) {
    ImageHeader header{0, 0, "JPEG", 1};
    std::size_t at = 2;
    while (true) {
        if (bytes.byte(at) != 0xFF) {
            throw UserError("a damaged JPEG (bad marker at byte " + std::to_string(at) + ")");
        }
        const std::uint32_t marker = bytes.byte(at + 1);
        if (marker == 0xFF) {  // fill byte
            ++at;
            continue;
        }
        const std::uint32_t length = bytes.be16(at + 2);
        if (marker == 0xE1 && bytes.startsWith("Exif", at + 4)) {
            header.orientation = tiffOrientation(bytes, at + 10);
        }
        const bool startOfFrame =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (startOfFrame) {
            header.height = static_cast<int>(bytes.be16(at + 5));
            header.width = static_cast<int>(bytes.be16(at + 7));
            return header;
        }
        if (marker == 0xDA || marker == 0xD9 || length < 2) {
            throw UserError("a JPEG without a frame header");
        }
        at += 2 + length;
    }
}

ImageHeader readWebp(const Bytes& bytes) {
    if (bytes.startsWith("VP8 ", 12)) {
        return {static_cast<int>(bytes.le16(26) & 0x3fff),
                static_cast<int>(bytes.le16(28) & 0x3fff), "WebP", 1};
    }
    if (bytes.startsWith("VP8L", 12)) {
        const std::uint32_t bits = bytes.le32(21);
        return {static_cast<int>((bits & 0x3fff) + 1),
                static_cast<int>(((bits >> 14) & 0x3fff) + 1), "WebP", 1};
    }
    if (bytes.startsWith("VP8X", 12)) {
        const std::uint32_t width = bytes.le16(24) | bytes.byte(26) << 16;
        const std::uint32_t height = bytes.le16(27) | bytes.byte(29) << 16;
        const bool animated = (bytes.byte(20) & 0x02) != 0;
        return {static_cast<int>(width + 1), static_cast<int>(height + 1), "WebP", 1, animated};
    }
    throw UserError("a WebP of an unknown kind");
}

ImageHeader readTiff(const Bytes& bytes) {
    const bool little = bytes.startsWith("II");
    const std::size_t ifd = bytes.u32(4, little);
    const std::uint32_t entries = bytes.u16(ifd, little);
    ImageHeader header{0, 0, "TIFF", 1};
    for (std::uint32_t i = 0; i < entries && i < 512; ++i) {
        const std::size_t entry = ifd + 2 + i * 12;
        const std::uint32_t tag = bytes.u16(entry, little);
        const std::uint32_t type = bytes.u16(entry + 2, little);
        const std::uint32_t value =
            type == 3 ? bytes.u16(entry + 8, little) : bytes.u32(entry + 8, little);
        if (tag == 256) {
            header.width = static_cast<int>(value);
        } else if (tag == 257) {
            header.height = static_cast<int>(value);
        } else if (tag == 0x0112 && value >= 1 && value <= 8) {
            header.orientation = static_cast<int>(value);
        }
    }
    return header;
}

ImageHeader readBmp(const Bytes& bytes) {
    const auto width = static_cast<std::int32_t>(bytes.le32(18));
    const auto height = static_cast<std::int32_t>(bytes.le32(22));
    return {width, height < 0 ? -height : height, "BMP", 1};
}

}  // namespace

ImageHeader readImageHeader(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw UserError::inFile(file, "cannot be read (missing, or no permission)");
    }
    // Headers live in the first bytes, but EXIF blocks can push a JPEG's frame header back.
    std::vector<unsigned char> data(256 * 1024);
    in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(data.size()));
    data.resize(static_cast<std::size_t>(in.gcount()));
    const Bytes bytes(std::move(data));
    ImageHeader header;
    try {
        if (bytes.startsWith("\x89PNG\r\n\x1a\n")) {
            header = readPng(bytes);
        } else if (bytes.startsWith("\xFF\xD8")) {
            header = readJpeg(bytes);
        } else if (bytes.startsWith("RIFF") && bytes.startsWith("WEBP", 8)) {
            header = readWebp(bytes);
        } else if (bytes.startsWith(std::string_view("II*\0", 4)) ||
                   bytes.startsWith(std::string_view("MM\0*", 4))) {
            header = readTiff(bytes);
        } else if (bytes.startsWith("BM")) {
            header = readBmp(bytes);
        } else {
            throw UserError(bytes.size() == 0
                                ? "the file is empty"
                                : "not an image Storyreel can read (PNG, JPEG, WebP, TIFF or BMP)");
        }
    } catch (const UserError& error) {
        throw UserError::inFile(file, error.what());
    }
    if (header.width <= 0 || header.height <= 0) {
        throw UserError::inFile(file, "the image has no pixels (" + std::to_string(header.width) +
                                          "x" + std::to_string(header.height) + ")");
    }
    return header;
}

}  // namespace storyreel::media
