// MappedFile: a read-only memory map of a whole file, so that checkpoint readers parse
// headers in place and copy only the tensors they are asked for. Every access is
// bounds-checked; a range outside the file is a UserError naming the file.
//
//   MappedFile file("model.safetensors");
//   std::span<const std::uint8_t> header = file.bytes(0, 8);
//   std::uint64_t total = file.sizeBytes();
//
// Thread-safety: const methods may be called from any thread (the map is read-only).
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>

namespace storyreel::infer {

class MappedFile {
public:
    // Throws UserError when the file cannot be opened, is not a regular file or cannot be
    // mapped. An empty file is not mapped (mmap refuses length 0): sizeBytes() is 0.
    explicit MappedFile(std::filesystem::path path);
    ~MappedFile();

    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;

    const std::filesystem::path& path() const { return path_; }
    std::uint64_t sizeBytes() const { return sizeBytes_; }

    // The bytes [offset, offset + length). Throws UserError::inFile when the range is not
    // entirely inside the file (checked without overflow).
    std::span<const std::uint8_t> bytes(std::uint64_t offset, std::uint64_t length) const;

    // Tells the kernel the pages wholly inside `range` (a span this file returned) may be
    // dropped: readers call it after copying a tensor out, so a loaded model does not keep
    // its file resident too (the pages are read again from the file if touched later; the
    // map is private and never written, so the bytes are the same). Best effort.
    void dropPages(std::span<const std::uint8_t> range) const noexcept;

    // True when [offset, offset + length) lies inside the file.
    bool contains(std::uint64_t offset, std::uint64_t length) const {
        return offset <= sizeBytes_ && length <= sizeBytes_ - offset;
    }

private:
    void release() noexcept;

    std::filesystem::path path_;
    const std::uint8_t* data_ = nullptr;
    std::uint64_t sizeBytes_ = 0;
};

}  // namespace storyreel::infer
