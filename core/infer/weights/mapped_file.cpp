#include "core/infer/weights/mapped_file.h"

#include "core/base/user_error.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace storyreel::infer {

namespace {

// Closes a descriptor on every path out of the constructor; the map outlives it.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

}  // namespace

MappedFile::MappedFile(std::filesystem::path path) : path_(std::move(path)) {
    const FileDescriptor fd(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        throw UserError::inFile(path_,
                                std::string("cannot open the file: ") + std::strerror(errno));
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        throw UserError::inFile(
            path_, std::string("cannot read the file's size: ") + std::strerror(errno));
    }
    if (!S_ISREG(info.st_mode)) {
        throw UserError::inFile(path_, "is not a regular file");
    }
    sizeBytes_ = static_cast<std::uint64_t>(info.st_size);
    if (sizeBytes_ == 0) {
        return;
    }
    void* map = ::mmap(nullptr, sizeBytes_, PROT_READ, MAP_PRIVATE, fd.get(), 0);
    if (map == MAP_FAILED) {
        throw UserError::inFile(
            path_, std::string("cannot map the file into memory: ") + std::strerror(errno));
    }
    data_ = static_cast<const std::uint8_t*>(map);
}

MappedFile::~MappedFile() {
    release();
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : path_(std::move(other.path_)),
      data_(std::exchange(other.data_, nullptr)),
      sizeBytes_(std::exchange(other.sizeBytes_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
    if (this != &other) {
        release();
        path_ = std::move(other.path_);
        data_ = std::exchange(other.data_, nullptr);
        sizeBytes_ = std::exchange(other.sizeBytes_, 0);
    }
    return *this;
}

void MappedFile::release() noexcept {
    if (data_ != nullptr) {
        ::munmap(const_cast<std::uint8_t*>(data_), sizeBytes_);
        data_ = nullptr;
    }
}

void MappedFile::dropPages(std::span<const std::uint8_t> range) const noexcept {
    if (data_ == nullptr || range.empty() || range.data() < data_ ||
        range.data() + range.size() > data_ + sizeBytes_) {
        return;
    }
    static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto begin = reinterpret_cast<std::uintptr_t>(range.data());
    const auto first = (begin + page - 1) / page * page;
    const auto last = (begin + range.size()) / page * page;
    if (last > first) {
        ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
    }
}

std::span<const std::uint8_t> MappedFile::bytes(std::uint64_t offset, std::uint64_t length) const {
    if (!contains(offset, length)) {
        throw UserError::inFile(path_, "bytes " + std::to_string(offset) + ".." +
                                           std::to_string(offset) + "+" + std::to_string(length) +
                                           " lie outside the file (" + std::to_string(sizeBytes_) +
                                           " bytes); it is truncated or corrupt");
    }
    if (length == 0) {
        return {};
    }
    return {data_ + offset, static_cast<std::size_t>(length)};
}

}  // namespace storyreel::infer
