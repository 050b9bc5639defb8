// Memory profiles: names, the resident-block arithmetic for Wan 2.1 14B and HunyuanVideo
// (whose block sizes come from estimate.h), and "auto"; the device memory readers.
#include "core/infer/memory/memory_profile.h"

#include "core/base/user_error.h"
#include "core/infer/memory/device_memory.h"
#include "core/infer/memory/estimate.h"

#include <catch2/catch.hpp>
#include <torch/cuda.h>

using Catch::Matchers::Contains;
using storyreel::UserError;
using storyreel::infer::MemoryProfile;
using storyreel::infer::profileByName;
using storyreel::infer::profileForFreeMemory;
using storyreel::infer::TextEncoderPlacement;
using storyreel::infer::WeightDtype;

namespace {

constexpr std::int64_t kGiB = std::int64_t{1} << 30;

}  // namespace

TEST_CASE("Memory profiles are found by name and an unknown name lists them",
          "[infer][memory][profile]") {
    const MemoryProfile twelve = profileByName("12gb");
    CHECK(twelve.name == "12gb");
    CHECK(twelve.deviceBytes == 12 * kGiB);
    CHECK(twelve.keepGgufQuantized);
    CHECK(twelve.vaeTiling.enabled);
    CHECK(profileByName("12GB").name == "12gb");
    CHECK(profileByName(" 12 ").name == "12gb");
    CHECK(profileByName("80gb").textEncoder == TextEncoderPlacement::GpuResident);
    CHECK(profileByName("8gb").textEncoder == TextEncoderPlacement::Cpu);
    CHECK(profileByName("48gb").weightDtype == WeightDtype::BFloat16);
    CHECK_FALSE(profileByName("48gb").vaeTiling.enabled);
    CHECK_THROWS_WITH(
        profileByName("10gb"),
        Contains("'10gb'") && Contains("8gb, 12gb, 16gb, 24gb, 48gb, 80gb, cpu, auto"));
}

TEST_CASE("Bigger profiles keep more of Wan 14B resident, never over their budget",
          "[infer][memory][profile]") {
    const auto wan = storyreel::infer::wan21I2V14B();
    const std::int64_t fp8Block = wan.blockParameters;  // one byte a weight, as stored
    std::int64_t previous = -1;
    for (const char* name : {"8gb", "12gb", "16gb", "24gb", "48gb", "80gb"}) {
        const MemoryProfile profile = profileByName(name);
        const std::int64_t resident = profile.residentBlocks(40, fp8Block, wan.otherParameters);
        CAPTURE(name, resident);
        CHECK(resident >= previous);
        const std::int64_t slots = resident < 40 ? 2 : 0;
        CHECK((resident + slots) * fp8Block + wan.otherParameters <= profile.weightBudgetBytes());
        previous = resident;
    }
    // fp8 Wan 14B (16.4 GB) is split on 8-16 GB and whole from 24 GB.
    CHECK(profileByName("8gb").residentBlocks(40, fp8Block, wan.otherParameters) < 10);
    CHECK(profileByName("16gb").residentBlocks(40, fp8Block, wan.otherParameters) < 40);
    CHECK(profileByName("24gb").residentBlocks(40, fp8Block, wan.otherParameters) == 40);
    // bf16 (32.8 GB) fits whole from 48 GB.
    CHECK(profileByName("48gb").residentBlocks(40, 2 * fp8Block, 2 * wan.otherParameters) == 40);
    // The CPU profile has no device limit.
    CHECK(profileByName("cpu").residentBlocks(40, 2 * fp8Block) == 40);
    // Nothing fits: everything is swapped.
    CHECK(profileByName("8gb").residentBlocks(40, 5 * kGiB) == 0);
}

TEST_CASE("Free memory picks the largest profile it holds, with 10% slack",
          "[infer][memory][profile]") {
    CHECK(profileForFreeMemory(3 * kGiB).name == "8gb");
    CHECK(profileForFreeMemory(11 * kGiB).name == "12gb");  // a 12 GB card with a desktop
    CHECK(profileForFreeMemory(15 * kGiB).name == "16gb");
    CHECK(profileForFreeMemory(23 * kGiB).name == "24gb");
    CHECK(profileForFreeMemory(139 * kGiB).name == "80gb");
    if (!torch::cuda::is_available()) {
        CHECK(profileByName("auto").name == "cpu");
    }
}

TEST_CASE("Memory readers report this machine and a run's peaks", "[infer][memory][device]") {
    const auto parsed = storyreel::infer::parseMeminfo(
        "MemTotal:       16318412 kB\nMemFree:  1 kB\nMemAvailable:    9876543 kB\n");
    REQUIRE(parsed);
    CHECK(parsed->totalBytes == std::int64_t{16318412} * 1024);
    CHECK(parsed->freeBytes == std::int64_t{9876543} * 1024);
    CHECK_FALSE(storyreel::infer::parseMeminfo("MemTotal: 5 kB\n"));

    const auto host = storyreel::infer::deviceMemory(c10::Device(c10::kCPU));
    CHECK(host.totalBytes > 0);
    CHECK(host.freeBytes > 0);
    CHECK(host.freeBytes <= host.totalBytes);

    const storyreel::infer::PeakMemoryTracker tracker(c10::Device(c10::kCPU));
    const auto report = tracker.report();
    CHECK(report.cpuPeakResidentBytes >= report.cpuStartResidentBytes);
    CHECK(report.cpuStartResidentBytes > 0);
    CHECK_THAT(report.tableRow("idle"), Contains("| cpu | idle |"));
}

TEST_CASE("On CUDA, device memory and auto come from the GPU", "[.cuda][infer][gpu-memory]") {
    REQUIRE(torch::cuda::is_available());
    const c10::Device cuda(c10::kCUDA, 0);
    const auto memory = storyreel::infer::deviceMemory(cuda);
    CHECK(memory.totalBytes > 0);
    CHECK(memory.freeBytes > 0);
    const MemoryProfile automatic = profileByName("auto");
    CHECK(automatic.name != "cpu");
    CHECK(automatic.deviceBytes <= memory.totalBytes);
}
