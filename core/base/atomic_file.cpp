#include "core/base/atomic_file.h"

#include "core/base/user_error.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace storyreel {
namespace {

namespace fs = std::filesystem;

std::string systemError() {
    return std::strerror(errno);
}

// Writes all bytes and fsyncs, so the rename below publishes data that is on disk.
void writeAndSync(const fs::path& file, std::string_view bytes) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw UserError::inFile(file, "cannot be created: " + systemError());
    }
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const std::string reason = systemError();
            ::close(fd);
            throw UserError::inFile(file, "cannot be written: " + reason);
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        throw UserError::inFile(file, "cannot be flushed to disk: " + systemError());
    }
}

void syncFolder(const fs::path& folder) {
    const int fd =
        ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);  // best effort: some file systems refuse fsync on folders
        ::close(fd);
    }
}

// Makes TARGET.bak hold the current TARGET. A hard link costs no copy; the rename makes
// the switch of backups atomic too, so an old backup is never half-replaced.
void keepBackup(const fs::path& target) {
    std::error_code error;
    if (!fs::exists(target, error)) {
        return;
    }
    const fs::path backup = backupPathFor(target);
    fs::path staging = backup;
    staging += ".new";
    fs::remove(staging, error);
    fs::create_hard_link(target, staging, error);
    if (error) {
        error.clear();
        fs::copy_file(target, staging, fs::copy_options::overwrite_existing, error);
    }
    if (!error) {
        fs::rename(staging, backup, error);
    }
    if (error) {
        throw UserError::inFile(backup, "cannot keep the previous version: " + error.message());
    }
}

}  // namespace

fs::path backupPathFor(const fs::path& target) {
    fs::path backup = target;
    backup += ".bak";
    return backup;
}

void writeFileAtomically(const fs::path& target, std::string_view bytes, BackupPolicy backup) {
    fs::path temporary = target;
    temporary += ".tmp";
    try {
        writeAndSync(temporary, bytes);
        if (backup == BackupPolicy::KeepPrevious) {
            keepBackup(target);
        }
    } catch (...) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw;
    }
    std::error_code error;
    fs::rename(temporary, target, error);
    if (error) {
        fs::remove(temporary, error);
        throw UserError::inFile(target, "cannot be replaced: " + error.message());
    }
    syncFolder(target.parent_path());
}

}  // namespace storyreel
