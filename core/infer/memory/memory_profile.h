// Memory profiles: named settings that decide where a 13-14B video transformer's weights,
// text encoder and VAE work live, so that Wan 2.1 I2V 14B or HunyuanVideo-I2V runs on a
// GPU of 8, 12, 16, 24, 48 or 80 GB (or on the CPU).
//
//   MemoryProfile profile = profileByName("12gb");          // or "auto", "cpu"
//   int resident = profile.residentBlocks(40, blockBytes);  // the rest are swapped in
//
// Thread-safety: value types and pure functions, except profileByName("auto"), which
// reads the free memory of the device it would run on.
#pragma once

#include <c10/core/Device.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer {

// The dtype transformer weights are kept in. AsStored keeps fp8 checkpoints in fp8 (one
// byte a weight, upcast layer by layer at use) and bf16 ones in bf16; BFloat16 and Float16
// convert everything once at load.
enum class WeightDtype { AsStored, BFloat16, Float16 };

// Where the text encoder (umT5-XXL, LLaVA-Llama-3-8B) runs.
enum class TextEncoderPlacement {
    Cpu,             // encode on the CPU: slow, but never takes GPU memory
    GpuThenOffload,  // moved to the GPU for the encode, back to the CPU after it
    GpuResident,     // stays on the GPU between jobs
};

struct VaeTiling {
    bool enabled = false;
    std::int64_t tilePixels = 0;     // spatial tile side, in image pixels
    std::int64_t overlapPixels = 0;  // blended overlap between neighbouring tiles
};

struct MemoryProfile {
    std::string name;               // "12gb", "cpu"
    std::int64_t deviceBytes = 0;   // the GPU size the profile is for; 0 for the CPU
    std::int64_t workingBytes = 0;  // kept free for activations, the VAE and the driver
    WeightDtype weightDtype = WeightDtype::BFloat16;
    bool keepGgufQuantized = true;  // GGUF blocks dequantised at use, not at load
    VaeTiling vaeTiling;
    TextEncoderPlacement textEncoder = TextEncoderPlacement::GpuThenOffload;

    // Bytes left for weights on the device: deviceBytes - workingBytes (the CPU: no limit).
    std::int64_t weightBudgetBytes() const;

    // How many of a transformer's `blockCount` blocks (each `blockBytes` in this profile's
    // dtype) stay on the GPU; the others are swapped in one at a time. `otherBytes` are the
    // weights outside the blocks (embeddings, head), always resident. When some blocks are
    // swapped, two swap slots (the block computing and the one being copied) come out of
    // the budget. All blocks on the CPU profile.
    std::int64_t residentBlocks(std::int64_t blockCount, std::int64_t blockBytes,
                                std::int64_t otherBytes = 0) const;
};

// "8gb", "12gb", "16gb", "24gb", "48gb", "80gb", "cpu" (in that order), and "auto".
std::vector<std::string> profileNames();

// A named profile; "auto" is autoProfile(selectDevice("auto")). Throws UserError listing
// the names for an unknown one. Case is ignored; "12GB" and "12" are accepted too.
MemoryProfile profileByName(std::string_view name);

// The largest GPU profile whose size fits `freeBytes` (a card sold as 12 GB reports a
// little less: 10% slack is allowed); the 8gb profile below that.
MemoryProfile profileForFreeMemory(std::int64_t freeBytes);

// The CPU profile for the CPU; otherwise profileForFreeMemory of the device's free memory,
// with bf16 replaced by fp16 on GPUs before compute capability 8.0 (no fast bf16).
MemoryProfile autoProfile(c10::Device device);

std::string_view weightDtypeName(WeightDtype dtype);
std::string_view textEncoderPlacementName(TextEncoderPlacement placement);

}  // namespace storyreel::infer
