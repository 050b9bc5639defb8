// ZipArchive: the entry table of a ZIP file that is already memory-mapped, as PyTorch's
// torch.save writes it (caffe2/serialize/inline_container.cc through miniz): stored
// (uncompressed) entries, sizes in the central directory (local headers carry a data
// descriptor instead), ZIP64 end records and ZIP64 extra fields for large files. Every
// offset and length is checked against the file; nothing is decompressed and nothing is
// read beyond the headers until an entry's bytes are asked for.
//
//   ZipArchive zip(mappedFile);                           // throws UserError
//   const ZipEntry* pickle = zip.find("archive/data.pkl");
//   std::span<const std::uint8_t> bytes = zip.bytes(*pickle);
//
// Thread-safety: immutable after construction; const methods from any thread. The
// MappedFile must outlive the archive.
#pragma once

#include "core/infer/weights/mapped_file.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace storyreel::infer {

struct ZipEntry {
    std::string name;
    // 0 is "stored"; anything else (8 is deflate) is refused when the bytes are asked for.
    std::uint16_t method = 0;
    std::uint64_t compressedBytes = 0;
    std::uint64_t uncompressedBytes = 0;
    // Where the entry's bytes start in the file (after its local header).
    std::uint64_t dataOffset = 0;
};

class ZipArchive {
public:
    // Reads the end records, the central directory and each entry's local header.
    explicit ZipArchive(const MappedFile& file);

    // In central-directory order.
    const std::vector<ZipEntry>& entries() const { return entries_; }
    const ZipEntry* find(std::string_view name) const;
    // The stored bytes of an entry. Throws UserError naming the entry when it is
    // compressed (Storyreel reads only stored entries, which is what torch.save writes).
    std::span<const std::uint8_t> bytes(const ZipEntry& entry) const;

private:
    void readEndRecords(std::uint64_t& directoryOffset, std::uint64_t& directoryBytes,
                        std::uint64_t& entryCount) const;
    void readDirectory(std::uint64_t directoryOffset, std::uint64_t directoryBytes,
                       std::uint64_t entryCount);
    void locateData(ZipEntry& entry, std::uint64_t localHeaderOffset) const;
    [[noreturn]] void fail(const std::string& problem) const;

    const MappedFile& file_;
    std::vector<ZipEntry> entries_;
    std::unordered_map<std::string, std::size_t> byName_;
};

}  // namespace storyreel::infer
