#include "core/infer/weights/zip_archive.h"

#include "core/base/user_error.h"
#include "core/infer/weights/message_text.h"

#include <algorithm>
#include <cstring>

namespace storyreel::infer {

namespace {

// PKWARE APPNOTE.TXT record signatures and fixed sizes.
constexpr std::uint32_t kEndSignature = 0x06054b50;
constexpr std::uint32_t kZip64EndSignature = 0x06064b50;
constexpr std::uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr std::uint32_t kDirectorySignature = 0x02014b50;
constexpr std::uint32_t kLocalSignature = 0x04034b50;
constexpr std::uint64_t kEndBytes = 22;
constexpr std::uint64_t kZip64EndBytes = 56;
constexpr std::uint64_t kZip64LocatorBytes = 20;
constexpr std::uint64_t kDirectoryHeaderBytes = 46;
constexpr std::uint64_t kLocalHeaderBytes = 30;
constexpr std::uint64_t kMaxCommentBytes = 0xFFFF;
constexpr std::uint16_t kZip64ExtraId = 0x0001;
constexpr std::uint32_t kSaturated32 = 0xFFFFFFFF;
constexpr std::uint16_t kEncryptedFlag = 0x0001;

std::uint16_t loadU16(const std::uint8_t* bytes) {
    std::uint16_t value = 0;
    std::memcpy(&value, bytes, sizeof value);
    return value;
}

std::uint32_t loadU32(const std::uint8_t* bytes) {
    std::uint32_t value = 0;
    std::memcpy(&value, bytes, sizeof value);
    return value;
}

std::uint64_t loadU64(const std::uint8_t* bytes) {
    std::uint64_t value = 0;
    std::memcpy(&value, bytes, sizeof value);
    return value;
}

}  // namespace

ZipArchive::ZipArchive(const MappedFile& file) : file_(file) {
    if (file_.sizeBytes() < 4 || loadU32(file_.bytes(0, 4).data()) != kLocalSignature) {
        fail(file_.sizeBytes() == 0 ? "the file is empty, not a PyTorch checkpoint"
                                    : "not a ZIP archive (it does not start with 'PK\\3\\4'), so "
                                      "not a PyTorch checkpoint written by torch.save");
    }
    std::uint64_t directoryOffset = 0;
    std::uint64_t directoryBytes = 0;
    std::uint64_t entryCount = 0;
    readEndRecords(directoryOffset, directoryBytes, entryCount);
    readDirectory(directoryOffset, directoryBytes, entryCount);
}

void ZipArchive::fail(const std::string& problem) const {
    throw UserError::inFile(file_.path(), problem);
}

// The end record sits in the last 22 + 65535 bytes (it may carry a comment); ZIP64 files
// put a locator right before it that points at the ZIP64 end record, whose 64-bit counts
// replace the saturated 16/32-bit ones.
void ZipArchive::readEndRecords(std::uint64_t& directoryOffset, std::uint64_t& directoryBytes,
                                std::uint64_t& entryCount) const {
    const std::uint64_t fileBytes = file_.sizeBytes();
    if (fileBytes < kEndBytes) {
        fail("the ZIP archive is truncated: it has no end-of-central-directory record");
    }
    const std::uint64_t searchStart =
        fileBytes - kEndBytes > kMaxCommentBytes ? fileBytes - kEndBytes - kMaxCommentBytes : 0;
    const std::span<const std::uint8_t> tail = file_.bytes(searchStart, fileBytes - searchStart);
    std::uint64_t endOffset = 0;
    bool found = false;
    for (std::uint64_t i = tail.size() - kEndBytes + 1; i-- > 0;) {
        if (loadU32(tail.data() + i) == kEndSignature &&
            i + kEndBytes + loadU16(tail.data() + i + 20) <= tail.size()) {
            endOffset = searchStart + i;
            found = true;
            break;
        }
    }
    if (!found) {
        fail("the ZIP archive is truncated or corrupt: no end-of-central-directory record");
    }
    const std::uint8_t* end = file_.bytes(endOffset, kEndBytes).data();
    if (loadU16(end + 4) != 0 || loadU16(end + 6) != 0) {
        fail("the ZIP archive spans several disks, which is not supported");
    }
    entryCount = loadU16(end + 10);
    directoryBytes = loadU32(end + 12);
    directoryOffset = loadU32(end + 16);
    if (endOffset < kZip64LocatorBytes ||
        loadU32(file_.bytes(endOffset - kZip64LocatorBytes, 4).data()) != kZip64LocatorSignature) {
        return;
    }
    const std::uint64_t locatorOffset = endOffset - kZip64LocatorBytes;
    const std::uint8_t* locator = file_.bytes(locatorOffset, kZip64LocatorBytes).data();
    const std::uint64_t zip64EndOffset = loadU64(locator + 8);
    // The ZIP64 end record lies before its locator.
    if (locatorOffset < kZip64EndBytes || zip64EndOffset > locatorOffset - kZip64EndBytes) {
        fail("the ZIP64 end record lies outside the file; the archive is truncated or corrupt");
    }
    const std::uint8_t* zip64End = file_.bytes(zip64EndOffset, kZip64EndBytes).data();
    if (loadU32(zip64End) != kZip64EndSignature) {
        fail("the ZIP64 end-of-central-directory record is missing; the archive is corrupt");
    }
    if (loadU32(zip64End + 16) != 0 || loadU32(zip64End + 20) != 0) {
        fail("the ZIP archive spans several disks, which is not supported");
    }
    entryCount = loadU64(zip64End + 32);
    directoryBytes = loadU64(zip64End + 40);
    directoryOffset = loadU64(zip64End + 48);
}

void ZipArchive::readDirectory(std::uint64_t directoryOffset, std::uint64_t directoryBytes,
                               std::uint64_t entryCount) {
    if (!file_.contains(directoryOffset, directoryBytes)) {
        fail("the ZIP central directory (" + std::to_string(directoryBytes) + " bytes at " +
             std::to_string(directoryOffset) +
             ") lies outside the file; it is truncated or corrupt");
    }
    // Bounded by the directory's size before anything is reserved.
    if (entryCount > directoryBytes / kDirectoryHeaderBytes) {
        fail("the ZIP end record claims " + std::to_string(entryCount) +
             " entries, more than its central directory can hold; the archive is corrupt");
    }
    const std::span<const std::uint8_t> directory = file_.bytes(directoryOffset, directoryBytes);
    entries_.reserve(static_cast<std::size_t>(entryCount));
    std::uint64_t pos = 0;
    for (std::uint64_t i = 0; i < entryCount; ++i) {
        if (directoryBytes - pos < kDirectoryHeaderBytes ||
            loadU32(directory.data() + pos) != kDirectorySignature) {
            fail("ZIP central directory entry " + std::to_string(i) + " is corrupt");
        }
        const std::uint8_t* header = directory.data() + pos;
        const std::uint16_t flags = loadU16(header + 8);
        ZipEntry entry;
        entry.method = loadU16(header + 10);
        entry.compressedBytes = loadU32(header + 20);
        entry.uncompressedBytes = loadU32(header + 24);
        const std::uint64_t nameBytes = loadU16(header + 28);
        const std::uint64_t extraBytes = loadU16(header + 30);
        const std::uint64_t commentBytes = loadU16(header + 32);
        std::uint64_t localHeaderOffset = loadU32(header + 42);
        const std::uint64_t recordBytes =
            kDirectoryHeaderBytes + nameBytes + extraBytes + commentBytes;
        if (recordBytes > directoryBytes - pos) {
            fail("ZIP central directory entry " + std::to_string(i) +
                 " runs past the end of the directory; the archive is corrupt");
        }
        entry.name.assign(reinterpret_cast<const char*>(header + kDirectoryHeaderBytes),
                          static_cast<std::size_t>(nameBytes));
        if ((flags & kEncryptedFlag) != 0) {
            fail("ZIP entry " + inQuotes(entry.name) + " is encrypted, which is not supported");
        }
        // ZIP64 extra field: the 64-bit values of exactly the fields saturated above, in
        // this order.
        const std::uint8_t* extra = header + kDirectoryHeaderBytes + nameBytes;
        for (std::uint64_t at = 0; at + 4 <= extraBytes;) {
            const std::uint16_t id = loadU16(extra + at);
            const std::uint64_t size = loadU16(extra + at + 2);
            if (size > extraBytes - at - 4) {
                fail("ZIP entry " + inQuotes(entry.name) + " has a corrupt extra field");
            }
            if (id == kZip64ExtraId) {
                const std::uint8_t* field = extra + at + 4;
                std::uint64_t used = 0;
                const auto take64 = [&](std::uint64_t& value) {
                    if (value != kSaturated32) {
                        return;
                    }
                    if (size - used < 8) {
                        fail("ZIP entry " + inQuotes(entry.name) +
                             " has a ZIP64 extra field that is too short");
                    }
                    value = loadU64(field + used);
                    used += 8;
                };
                take64(entry.uncompressedBytes);
                take64(entry.compressedBytes);
                take64(localHeaderOffset);
            }
            at += 4 + size;
        }
        locateData(entry, localHeaderOffset);
        if (!byName_.emplace(entry.name, entries_.size()).second) {
            fail("the ZIP archive holds two entries named " + inQuotes(entry.name));
        }
        entries_.push_back(std::move(entry));
        pos += recordBytes;
    }
}

// The data follows the local header, whose name and extra lengths may differ from the
// central directory's (torch pads the local extra field so that data is 64-byte aligned).
void ZipArchive::locateData(ZipEntry& entry, std::uint64_t localHeaderOffset) const {
    if (!file_.contains(localHeaderOffset, kLocalHeaderBytes) ||
        loadU32(file_.bytes(localHeaderOffset, 4).data()) != kLocalSignature) {
        fail("ZIP entry " + inQuotes(entry.name) + " has no local header at byte " +
             std::to_string(localHeaderOffset) + "; the archive is truncated or corrupt");
    }
    const std::uint8_t* local = file_.bytes(localHeaderOffset, kLocalHeaderBytes).data();
    const std::uint64_t nameBytes = loadU16(local + 26);
    const std::uint64_t extraBytes = loadU16(local + 28);
    const std::uint64_t dataOffset = localHeaderOffset + kLocalHeaderBytes + nameBytes + extraBytes;
    if (!file_.contains(dataOffset, entry.compressedBytes)) {
        fail("ZIP entry " + inQuotes(entry.name) + " (" + std::to_string(entry.compressedBytes) +
             " bytes at " + std::to_string(dataOffset) +
             ") runs past the end of the file; it is truncated");
    }
    const std::span<const std::uint8_t> localName =
        file_.bytes(localHeaderOffset + kLocalHeaderBytes, nameBytes);
    if (localName.size() != entry.name.size() ||
        !std::equal(localName.begin(), localName.end(), entry.name.begin(),
                    [](std::uint8_t a, char b) { return a == static_cast<std::uint8_t>(b); })) {
        fail("ZIP entry " + inQuotes(entry.name) +
             " has a different name in its local header; the archive is corrupt");
    }
    entry.dataOffset = dataOffset;
}

const ZipEntry* ZipArchive::find(std::string_view name) const {
    const auto found = byName_.find(std::string(name));
    return found == byName_.end() ? nullptr : &entries_[found->second];
}

std::span<const std::uint8_t> ZipArchive::bytes(const ZipEntry& entry) const {
    if (entry.method != 0) {
        fail("ZIP entry " + inQuotes(entry.name) + " is compressed (method " +
             std::to_string(entry.method) +
             "); torch.save stores entries uncompressed, so the file was repacked: extract and "
             "re-zip it without compression (zip -0) or save it again with torch.save");
    }
    if (entry.compressedBytes != entry.uncompressedBytes) {
        fail("ZIP entry " + inQuotes(entry.name) + " is stored but its sizes differ (" +
             std::to_string(entry.compressedBytes) + " and " +
             std::to_string(entry.uncompressedBytes) + " bytes); the archive is corrupt");
    }
    return file_.bytes(entry.dataOffset, entry.compressedBytes);
}

}  // namespace storyreel::infer
