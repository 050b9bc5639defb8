// How much memory a device has free, and how much a run used at its peak. Engines read the
// free memory to pick a memory profile ("auto") and to check an estimate before they start;
// the bench prints a PeakMemoryReport per run.
//
//   MemoryInfo gpu = deviceMemory(c10::Device("cuda:0"));   // or the CPU: /proc/meminfo
//   PeakMemoryTracker tracker(device);  ... run ...  std::cout << tracker.report().tableRow("swap
//   20");
//
// Thread-safety: the functions may be called from any thread. A tracker resets process-wide
// peak counters (the CUDA allocator's, the kernel's VmHWM), so run one at a time.
#pragma once

#include <c10/core/Device.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

namespace storyreel::infer {

struct MemoryInfo {
    std::int64_t freeBytes = 0;   // what this process could still allocate
    std::int64_t totalBytes = 0;  // the device's (or the machine's) whole memory
};

// CUDA: cudaMemGetInfo's free plus what LibTorch's caching allocator holds unused (it is
// ours to reuse). CPU: /proc/meminfo MemAvailable and MemTotal. Throws UserError when the
// figure cannot be read (a CUDA device in a LibTorch built without CUDA, no /proc).
MemoryInfo deviceMemory(c10::Device device);

// MemAvailable and MemTotal of a /proc/meminfo text; nullopt when either is missing.
std::optional<MemoryInfo> parseMeminfo(std::string_view text);

// True for c10::OutOfMemoryError and for errors whose message says "out of memory"
// (LibTorch 1.13 reports a CUDA OOM as a plain c10::Error "CUDA out of memory").
bool isOutOfMemory(const std::exception& error);

// The process's resident set now (VmRSS) and its high-water mark (VmHWM, or getrusage's
// ru_maxrss where /proc is missing), in bytes.
std::int64_t currentResidentBytes();
std::int64_t peakResidentBytes();

// Peaks of one run: CUDA max allocated / reserved since the tracker started (0 on the
// CPU) and the process's peak resident set.
struct PeakMemoryReport {
    std::string device;  // "cpu", "cuda:0"
    std::int64_t cudaPeakAllocatedBytes = 0;
    std::int64_t cudaPeakReservedBytes = 0;
    std::int64_t cpuPeakResidentBytes = 0;
    // The resident set when the tracker started, so that the run's own growth is
    // cpuPeakResidentBytes - cpuStartResidentBytes.
    std::int64_t cpuStartResidentBytes = 0;
    // False when the kernel refused to reset VmHWM: the peak is then the process's.
    bool cpuPeakIsSinceStart = false;
    double seconds = 0.0;

    // "| device | label | seconds | cuda alloc MiB | cuda reserved MiB | cpu peak MiB |"
    static std::string tableHeader();
    std::string tableRow(std::string_view label) const;
};

class PeakMemoryTracker {
public:
    // Resets the CUDA allocator's peak statistics for `device` and the kernel's VmHWM
    // (writing 5 to /proc/self/clear_refs), then starts the clock.
    explicit PeakMemoryTracker(c10::Device device);

    // Synchronises a CUDA device first, so that queued work is counted.
    PeakMemoryReport report() const;

private:
    c10::Device device_;
    std::int64_t startResidentBytes_ = 0;
    bool peakReset_ = false;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace storyreel::infer
