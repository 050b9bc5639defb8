#include "core/infer/memory/memory_profile.h"

#include "core/base/user_error.h"
#include "core/infer/memory/device_memory.h"
#include "core/infer/runtime/compute_devices.h"
#include "core/infer/runtime/device_selection.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

namespace storyreel::infer {
namespace {

constexpr std::int64_t kGiB = std::int64_t{1} << 30;

// How the numbers below were chosen (behaviour ported from ComfyUI's
// comfy/model_management.py and the community's Wan wrappers, not their code):
//
// - ComfyUI keeps a floor free below any load: 0.8 GiB "minimum inference memory" plus a
//   400 MiB reserve for the driver and other programs (600-700 MiB on Windows). Whatever
//   of the model does not fit above that floor is "partially loaded": the rest of the
//   weights stay in RAM and are copied in layer by layer at use (lowvram mode). That floor
//   suits images; a Wan 14B pass at 480p x 81 frames has 21 x 30 x 52 = 32,760 tokens, a
//   float32 residual stream of 0.67 GB and a bf16 FFN hidden state of 0.9 GB, so a video
//   needs 3-4 GB of working room at 480p and about twice that at 720p. workingBytes grows
//   with the card because bigger cards are asked for bigger videos.
// - Wan wrappers swap whole transformer blocks rather than single layers (blocks_to_swap:
//   the last N of the 40 blocks live on the CPU and are prefetched one ahead with
//   non-blocking copies). Whole blocks make one large copy per block that overlaps the
//   previous block's compute, so we do the same (BlockSwapRunner) and size the resident
//   count from the weight budget, keeping two swap slots free.
// - fp8 and GGUF checkpoints stay as stored up to 24 GB: upcasting fp8 to bf16 adds no
//   precision and doubles the bytes. From 48 GB the whole bf16 model fits (Wan I2V 14B is
//   about 33 GB in bf16), so weights are upcast once at load and GGUF is dequantised then,
//   which removes the per-layer casts from every step.
// - umT5-XXL is 11 GB in bf16 (6.7 GB in fp8): on 8 GB it encodes on the CPU; from 12 GB
//   it is moved to the GPU for the encode and back (ComfyUI unloads models the same way
//   when the next one needs room); only 80 GB keeps it resident beside the transformer.
// - VAE decoding of 81 frames untiled needs more memory than the transformer's working
//   room; ComfyUI's tiled decode defaults to 512-pixel tiles with 64 of overlap. Smaller
//   cards use smaller tiles; 48 GB and up decode whole frames.
const std::array<MemoryProfile, 7>& builtInProfiles() {
    using enum TextEncoderPlacement;
    static const std::array<MemoryProfile, 7> profiles = {{
        {"8gb", 8 * kGiB, 4 * kGiB, WeightDtype::AsStored, true, {true, 256, 64}, Cpu},
        {"12gb",
         12 * kGiB,
         9 * kGiB / 2,
         WeightDtype::AsStored,
         true,
         {true, 384, 64},
         GpuThenOffload},
        {"16gb", 16 * kGiB, 5 * kGiB, WeightDtype::AsStored, true, {true, 512, 64}, GpuThenOffload},
        {"24gb", 24 * kGiB, 6 * kGiB, WeightDtype::AsStored, true, {true, 512, 64}, GpuThenOffload},
        {"48gb", 48 * kGiB, 8 * kGiB, WeightDtype::BFloat16, false, {false, 0, 0}, GpuThenOffload},
        {"80gb", 80 * kGiB, 12 * kGiB, WeightDtype::BFloat16, false, {false, 0, 0}, GpuResident},
        // The CPU keeps weights compact in RAM and computes in float32 layer by layer.
        {"cpu", 0, 0, WeightDtype::AsStored, true, {true, 512, 64}, Cpu},
    }};
    return profiles;
}

std::string normalised(std::string_view name) {
    std::string lower;
    for (const char c : name) {
        if (!std::isspace(static_cast<unsigned char>(c))) {
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    if (!lower.empty() && std::all_of(lower.begin(), lower.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
        })) {
        lower += "gb";
    }
    return lower;
}

std::string joinedNames() {
    std::string text;
    for (const std::string& name : profileNames()) {
        text += (text.empty() ? "" : ", ") + name;
    }
    return text;
}

}  // namespace

std::int64_t MemoryProfile::weightBudgetBytes() const {
    return deviceBytes == 0 ? std::numeric_limits<std::int64_t>::max()
                            : std::max<std::int64_t>(0, deviceBytes - workingBytes);
}

std::int64_t MemoryProfile::residentBlocks(std::int64_t blockCount, std::int64_t blockBytes,
                                           std::int64_t otherBytes) const {
    if (deviceBytes == 0 || blockCount <= 0 || blockBytes <= 0) {
        return std::max<std::int64_t>(0, blockCount);
    }
    const std::int64_t budget = weightBudgetBytes() - otherBytes;
    if (budget >= blockCount * blockBytes) {
        return blockCount;
    }
    const std::int64_t resident = (budget - 2 * blockBytes) / blockBytes;
    return std::clamp<std::int64_t>(resident, 0, blockCount - 1);
}

std::vector<std::string> profileNames() {
    std::vector<std::string> names;
    for (const MemoryProfile& profile : builtInProfiles()) {
        names.push_back(profile.name);
    }
    names.emplace_back("auto");
    return names;
}

MemoryProfile profileByName(std::string_view name) {
    const std::string key = normalised(name);
    if (key == "auto" || key.empty()) {
        return autoProfile(selectDevice("auto"));
    }
    for (const MemoryProfile& profile : builtInProfiles()) {
        if (profile.name == key) {
            return profile;
        }
    }
    throw UserError("Unknown memory profile '" + std::string(name) + "': use one of " +
                    joinedNames() + ".");
}

MemoryProfile profileForFreeMemory(std::int64_t freeBytes) {
    const auto& profiles = builtInProfiles();
    MemoryProfile chosen = profiles.front();
    for (const MemoryProfile& profile : profiles) {
        // Integer form of freeBytes >= 0.9 * deviceBytes.
        if (profile.deviceBytes > 0 && freeBytes / 9 >= profile.deviceBytes / 10) {
            chosen = profile;
        }
    }
    return chosen;
}

MemoryProfile autoProfile(c10::Device device) {
    if (device.is_cpu()) {
        return profileByName("cpu");
    }
    const std::int64_t freeBytes = deviceMemory(device).freeBytes;
    MemoryProfile profile = profileForFreeMemory(freeBytes);
    // Size the budget from what is really free (another program may hold some).
    profile.deviceBytes = std::max(freeBytes, profile.workingBytes);
    const ComputeInfo info = probeComputeDevices();
    const auto index = static_cast<std::size_t>(device.has_index() ? device.index() : 0);
    if (index + 1 < info.devices.size() && info.devices[index + 1].computeCapabilityMajor > 0 &&
        info.devices[index + 1].computeCapabilityMajor < 8 &&
        profile.weightDtype == WeightDtype::BFloat16) {
        profile.weightDtype = WeightDtype::Float16;
    }
    return profile;
}

std::string_view weightDtypeName(WeightDtype dtype) {
    switch (dtype) {
        case WeightDtype::AsStored:
            return "as stored";
        case WeightDtype::BFloat16:
            return "bf16";
        case WeightDtype::Float16:
            return "fp16";
    }
    return "unknown";
}

std::string_view textEncoderPlacementName(TextEncoderPlacement placement) {
    switch (placement) {
        case TextEncoderPlacement::Cpu:
            return "cpu";
        case TextEncoderPlacement::GpuThenOffload:
            return "gpu, offloaded after encoding";
        case TextEncoderPlacement::GpuResident:
            return "gpu, resident";
    }
    return "unknown";
}

}  // namespace storyreel::infer
