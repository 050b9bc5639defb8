// Fuzz support: the checkpoint readers open files (they memory-map them), so each input is
// written to one file per fuzzing process, in a RAM-backed folder when there is one.
//
//   const std::filesystem::path& path = storyreel::fuzz::writeInput(data, size, ".gguf");
//
// Thread-safety: one fuzzing thread per process (libFuzzer's default).
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace storyreel::fuzz {

inline const std::filesystem::path& writeInput(const std::uint8_t* data, std::size_t size,
                                               const std::string& extension) {
    static const std::filesystem::path path = [&] {
        const std::filesystem::path dir = std::filesystem::is_directory("/dev/shm")
                                              ? "/dev/shm"
                                              : std::filesystem::temp_directory_path();
        return dir / ("storyreel-fuzz-" + std::to_string(::getpid()) + extension);
    }();
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr || (size > 0 && std::fwrite(data, 1, size, file) != size)) {
        std::abort();  // the harness itself failed, not the reader
    }
    std::fclose(file);
    return path;
}

}  // namespace storyreel::fuzz
