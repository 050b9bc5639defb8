// Before a run: how much GPU memory a video transformer will need at its peak and how long
// a denoising step will take, from its shape, the memory profile and this device's measured
// speed. The engine shows the figures, refuses a run that cannot fit, and names the profile
// that would.
//
//   TransformerShape wan = wan21I2V14B();
//   EstimateInput in{wan, wanTokens(81, 480, 832), 1.0, 2, profile.residentBlocks(...)};
//   RunEstimate e = estimateRun(in, measureThroughput(device, at::kBFloat16));
//   if (!e.fits(deviceMemory(device).freeBytes)) suggestProfile(wan, tokens, 1.0, free);
//
// Thread-safety: pure functions, except measureThroughput, which runs a benchmark once per
// device and dtype (under a lock) and caches it for the process.
#pragma once

#include "core/infer/memory/memory_profile.h"

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <optional>
#include <string>

namespace storyreel::infer {

// A DiT reduced to what drives memory and time. Blocks are taken as equal: HunyuanVideo's
// 20 double-stream and 40 single-stream blocks count as 60 blocks of the average size.
struct TransformerShape {
    std::string name;
    std::int64_t blockCount = 0;
    std::int64_t blockParameters = 0;  // one block's
    std::int64_t otherParameters = 0;  // embeddings, modulation, head: always resident
    std::int64_t hiddenDim = 0;
    std::int64_t heads = 0;
    std::int64_t ffnDim = 0;
    std::int64_t contextTokens = 0;  // cross-attended text (+ image) tokens
    std::int64_t jointTokens = 0;    // text tokens appended to the video sequence

    std::int64_t parameterCount() const { return blockCount * blockParameters + otherParameters; }
};

TransformerShape wan21I2V14B();      // 40 blocks, dim 5120, 40 heads, ffn 13824
TransformerShape hunyuanVideoI2V();  // 20 double + 40 single blocks, hidden 3072, 24 heads

// Video tokens of a Wan 2.1 run: ((frames - 1) / 4 + 1) latent frames x (H / 16) x (W / 16)
// (VAE stride 4 x 8 x 8, patch 1 x 2 x 2). HunyuanVideo's VAE and patch give the same.
std::int64_t wanTokens(std::int64_t frames, std::int64_t height, std::int64_t width);
std::int64_t hunyuanTokens(std::int64_t frames, std::int64_t height, std::int64_t width);

struct DeviceThroughput {
    double matmulFlopsPerSecond = 0.0;     // token x weight matmuls (the linear layers)
    double attentionFlopsPerSecond = 0.0;  // q k^T, softmax and the sum of v, head_dim 128
    double copyBytesPerSecond = 0.0;       // host to device (pinned); a memory copy on the CPU
};

// Quick benchmarks (well under a second on two CPU cores): a linear-layer matmul, one
// attention() call and a copy; cached per device and dtype.
DeviceThroughput measureThroughput(c10::Device device, c10::ScalarType dtype);

struct EstimateInput {
    TransformerShape shape;
    std::int64_t tokens = 0;           // video tokens (wanTokens)
    double bytesPerParameter = 2.0;    // 2 bf16, 1 fp8, about 0.56 for GGUF Q4_K
    std::int64_t activationBytes = 2;  // element size of activations: 2 on GPUs, 4 on the CPU
    std::int64_t residentBlocks = 0;   // the rest are swapped, two at a time on the device
    int passesPerStep = 1;             // 2 with classifier-free guidance
    // 0: fused attention (no score matrix); otherwise the chunked kernel's budget.
    std::int64_t maxScoreBytes = 0;
};

struct RunEstimate {
    std::int64_t weightBytes = 0;      // on the device: resident weights and swap slots
    std::int64_t activationBytes = 0;  // the largest working set inside one block
    std::int64_t peakBytes = 0;        // weightBytes + activationBytes
    double computeSecondsPerStep = 0.0;
    double copySecondsPerStep = 0.0;  // swapped blocks' copies (overlapped with compute)
    double secondsPerStep = 0.0;

    // Room left for the driver and other programs (ComfyUI keeps 400 MiB).
    static constexpr std::int64_t kReserveBytes = std::int64_t{400} << 20;
    bool fits(std::int64_t freeBytes) const { return peakBytes + kReserveBytes <= freeBytes; }
    // "peak 11.2 GiB (weights 7.5, activations 3.7), 14.3 s/step"
    std::string summary() const;
};

RunEstimate estimateRun(const EstimateInput& input, const DeviceThroughput& throughput);

// The bytes a parameter takes under `profile` given the checkpoint's stored bytes.
double profileBytesPerParameter(const MemoryProfile& profile, double storedBytesPerParameter);

// The GPU profile with the most resident weight whose estimated peak fits `freeBytes`, or
// nullopt when even the smallest does not (then fewer frames or a smaller size are needed).
std::optional<MemoryProfile> suggestProfile(const TransformerShape& shape, std::int64_t tokens,
                                            double storedBytesPerParameter, std::int64_t freeBytes);

}  // namespace storyreel::infer
