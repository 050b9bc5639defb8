#include "core/infer/memory/device_memory.h"

#include "core/base/user_error.h"

#include <c10/util/Exception.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#ifdef STORYREEL_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <cuda_runtime_api.h>
#endif

namespace storyreel::infer {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

std::string readWholeFile(const char* path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The value of a "Key:   1234 kB" line, in bytes; nullopt when the key is absent.
std::optional<std::int64_t> kilobyteField(std::string_view text, std::string_view key) {
    std::size_t at = 0;
    while ((at = text.find(key, at)) != std::string_view::npos) {
        const bool lineStart = at == 0 || text[at - 1] == '\n';
        const std::size_t colon = at + key.size();
        if (lineStart && colon < text.size() && text[colon] == ':') {
            long long kilobytes = 0;
            if (std::sscanf(std::string(text.substr(colon + 1, 32)).c_str(), "%lld", &kilobytes) ==
                1) {
                return static_cast<std::int64_t>(kilobytes) * 1024;
            }
            return std::nullopt;
        }
        at = colon;
    }
    return std::nullopt;
}

#ifdef STORYREEL_WITH_CUDA
// Index 0 of the allocator's stat arrays is the aggregate over its pools (StatType::AGGREGATE,
// whose namespace moved between LibTorch versions, so it is not named here).
constexpr std::size_t kAggregate = 0;

MemoryInfo cudaMemory(c10::Device device) {
    const c10::cuda::CUDAGuard guard(device);
    std::size_t freeBytes = 0;
    std::size_t totalBytes = 0;
    C10_CUDA_CHECK(cudaMemGetInfo(&freeBytes, &totalBytes));
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device.index());
    const std::int64_t cachedUnused =
        stats.reserved_bytes[kAggregate].current - stats.allocated_bytes[kAggregate].current;
    return {static_cast<std::int64_t>(freeBytes) + cachedUnused,
            static_cast<std::int64_t>(totalBytes)};
}
#endif

c10::Device withIndex(c10::Device device) {
    if (device.is_cuda() && !device.has_index()) {
        return c10::Device(c10::kCUDA, 0);
    }
    return device;
}

std::string mib(std::int64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", static_cast<double>(bytes) / kMiB);
    return text;
}

}  // namespace

std::optional<MemoryInfo> parseMeminfo(std::string_view text) {
    const auto available = kilobyteField(text, "MemAvailable");
    const auto total = kilobyteField(text, "MemTotal");
    if (!available || !total) {
        return std::nullopt;
    }
    return MemoryInfo{*available, *total};
}

MemoryInfo deviceMemory(c10::Device device) {
    device = withIndex(device);
    if (device.is_cpu()) {
        if (const auto info = parseMeminfo(readWholeFile("/proc/meminfo"))) {
            return *info;
        }
        throw UserError(
            "Cannot read the free memory of this machine (/proc/meminfo has no "
            "MemAvailable); choose a memory profile by name.");
    }
#ifdef STORYREEL_WITH_CUDA
    if (device.is_cuda()) {
        return cudaMemory(device);
    }
#endif
    throw UserError("Cannot read the memory of device '" + device.str() +
                    "': this build of Storyreel has no CUDA support for it.");
}

std::int64_t currentResidentBytes() {
    return kilobyteField(readWholeFile("/proc/self/status"), "VmRSS").value_or(0);
}

std::int64_t peakResidentBytes() {
    if (const auto peak = kilobyteField(readWholeFile("/proc/self/status"), "VmHWM")) {
        return *peak;
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<std::int64_t>(usage.ru_maxrss) * 1024;  // kilobytes on Linux
}

std::string PeakMemoryReport::tableHeader() {
    return "| device | run | seconds | CUDA peak allocated MiB | CUDA peak reserved MiB | "
           "CPU peak RSS MiB |\n|---|---|---|---|---|---|";
}

std::string PeakMemoryReport::tableRow(std::string_view label) const {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.3f", this->seconds);
    return "| " + device + " | " + std::string(label) + " | " + seconds + " | " +
           mib(cudaPeakAllocatedBytes) + " | " + mib(cudaPeakReservedBytes) + " | " +
           mib(cpuPeakResidentBytes) + (cpuPeakIsSinceStart ? "" : " (process)") + " |";
}

PeakMemoryTracker::PeakMemoryTracker(c10::Device device) : device_(withIndex(device)) {
#ifdef STORYREEL_WITH_CUDA
    if (device_.is_cuda()) {
        c10::cuda::device_synchronize();
        c10::cuda::CUDACachingAllocator::resetPeakStats(device_.index());
    }
#endif
    // Linux 4.0+: writing 5 to clear_refs resets VmHWM to the current resident set.
    if (std::FILE* file = std::fopen("/proc/self/clear_refs", "w")) {
        peakReset_ = std::fputs("5", file) >= 0;
        peakReset_ = (std::fclose(file) == 0) && peakReset_;
    }
    startResidentBytes_ = currentResidentBytes();
    start_ = std::chrono::steady_clock::now();
}

PeakMemoryReport PeakMemoryTracker::report() const {
    PeakMemoryReport report;
    report.device = device_.str();
#ifdef STORYREEL_WITH_CUDA
    if (device_.is_cuda()) {
        c10::cuda::device_synchronize();
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device_.index());
        report.cudaPeakAllocatedBytes = stats.allocated_bytes[kAggregate].peak;
        report.cudaPeakReservedBytes = stats.reserved_bytes[kAggregate].peak;
    }
#endif
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    report.cpuPeakResidentBytes = peakResidentBytes();
    report.cpuStartResidentBytes = startResidentBytes_;
    report.cpuPeakIsSinceStart = peakReset_;
    return report;
}

bool isOutOfMemory(const std::exception& error) {
    if (dynamic_cast<const c10::OutOfMemoryError*>(&error) != nullptr) {
        return true;
    }
    return std::strstr(error.what(), "out of memory") != nullptr;
}

}  // namespace storyreel::infer
