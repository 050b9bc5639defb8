#include "core/infer/memory/estimate.h"

#include "core/infer/memory/attention.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>

#ifdef STORYREEL_WITH_CUDA
#include <c10/cuda/CUDAFunctions.h>
#endif

namespace storyreel::infer {
namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

void synchronize(c10::Device device) {
#ifdef STORYREEL_WITH_CUDA
    if (device.is_cuda()) {
        c10::cuda::device_synchronize();
    }
#else
    (void)device;
#endif
}

// Best of a few runs: the first is a warm-up (kernel selection, allocator, page faults).
template <class Work>
double bestSeconds(c10::Device device, int runs, Work&& work) {
    double best = 1e30;
    for (int run = 0; run <= runs; ++run) {
        synchronize(device);
        const auto start = std::chrono::steady_clock::now();
        work();
        synchronize(device);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (run > 0) {
            best = std::min(best, seconds);
        }
    }
    return std::max(best, 1e-9);
}

DeviceThroughput benchmark(c10::Device device, c10::ScalarType dtype) {
    const bool cpu = device.is_cpu();
    const auto options = at::TensorOptions().device(device).dtype(dtype);
    DeviceThroughput throughput;

    // Tokens times a weight, the shape of a linear layer: big enough to reach the device's
    // matmul speed, small enough to take milliseconds on two CPU cores.
    const std::int64_t tokens = cpu ? 1024 : 8192;
    const std::int64_t width = cpu ? 512 : 4096;
    const at::Tensor x = at::randn({tokens, width}, options);
    const at::Tensor w = at::randn({width, width}, options);
    at::Tensor y;
    const double matmulSeconds = bestSeconds(device, 3, [&] { y = at::matmul(x, w); });
    throughput.matmulFlopsPerSecond =
        2.0 * static_cast<double>(tokens * width * width) / matmulSeconds;

    // Attention is slower per FLOP (head_dim-deep products, a softmax over every score):
    // time it as the models run it, head_dim 128.
    const std::int64_t length = cpu ? 1024 : 8192;
    const std::int64_t heads = cpu ? 2 : 16;
    const at::Tensor q = at::randn({1, length, heads, 128}, options);
    at::Tensor out;
    const double attentionSeconds = bestSeconds(device, 2, [&] { out = attention(q, q, q); });
    throughput.attentionFlopsPerSecond =
        4.0 * static_cast<double>(length * length * heads * 128) / attentionSeconds;

    const std::int64_t copyBytes = std::int64_t{32} << 20;
    at::Tensor host = at::empty({copyBytes}, at::TensorOptions().dtype(at::kByte)).fill_(1);
    if (!cpu) {
        host = host.pin_memory();
    }
    at::Tensor copied;
    const double copySeconds = bestSeconds(
        device, 2, [&] { copied = cpu ? host.clone() : host.to(device, /*non_blocking=*/true); });
    throughput.copyBytesPerSecond = static_cast<double>(copyBytes) / copySeconds;
    return throughput;
}

// Bytes of the largest working set inside one block: the float32 residual stream, plus the
// larger of the attention phase (norm, q, k, v, attention output, projection; scores when
// materialised) and the FFN phase (norm, hidden, activated hidden, output).
std::int64_t blockActivationBytes(const EstimateInput& in) {
    const std::int64_t t = in.tokens + in.shape.jointTokens;
    const std::int64_t d = in.shape.hiddenDim;
    const std::int64_t a = in.activationBytes;
    const std::int64_t residual = 4 * t * d;
    std::int64_t scores = 0;
    if (in.maxScoreBytes > 0) {
        scores = std::min(in.maxScoreBytes, in.shape.heads * t * t * (a + 4));
    }
    const std::int64_t attention = 6 * a * t * d + scores;
    const std::int64_t ffn = 2 * a * t * d + 2 * a * t * in.shape.ffnDim;
    return residual + std::max(attention, ffn);
}

// Seconds of one block: every block weight multiplies every token once (an over-count for
// the cross-attention keys and values, which see the context only), at the matmul rate;
// q k^T and the weighted sum of v, over the sequence and the context, at the attention rate.
double blockSeconds(const EstimateInput& in, const DeviceThroughput& throughput) {
    const double t = static_cast<double>(in.tokens + in.shape.jointTokens);
    const double d = static_cast<double>(in.shape.hiddenDim);
    const double linear = 2.0 * t * static_cast<double>(in.shape.blockParameters);
    const double attention =
        4.0 * t * t * d + 4.0 * t * static_cast<double>(in.shape.contextTokens) * d;
    return linear / std::max(throughput.matmulFlopsPerSecond, 1.0) +
           attention / std::max(throughput.attentionFlopsPerSecond, 1.0);
}

}  // namespace

TransformerShape wan21I2V14B() {
    // Parameter counts from the checkpoint's tensors (Wan-Video/Wan2.1 wan/modules/model.py,
    // WanAttentionBlock with i2v cross-attention): 403.8 M per block; patch, text, time
    // embeddings, time projection, CLIP projection and head: 241.3 M.
    return {"Wan 2.1 I2V 14B", 40, 403'838'464, 241'300'000, 5120, 40, 13824, 512 + 257, 0};
}

TransformerShape hunyuanVideoI2V() {
    // 20 double-stream blocks of 339.8 M and 40 single-stream blocks of 141.6 M, averaged
    // over 60; token refiner, embedders and final layer: about 330 M. The text tokens join
    // the video sequence in every block.
    return {"HunyuanVideo-I2V", 60, 207'700'000, 330'000'000, 3072, 24, 12288, 0, 256};
}

std::int64_t wanTokens(std::int64_t frames, std::int64_t height, std::int64_t width) {
    return ((std::max<std::int64_t>(frames, 1) - 1) / 4 + 1) * (height / 16) * (width / 16);
}

std::int64_t hunyuanTokens(std::int64_t frames, std::int64_t height, std::int64_t width) {
    return wanTokens(frames, height, width);
}

DeviceThroughput measureThroughput(c10::Device device, c10::ScalarType dtype) {
    static std::mutex mutex;
    static std::map<std::string, DeviceThroughput> cache;
    const std::string key = device.str() + "/" + c10::toString(dtype);
    const std::lock_guard<std::mutex> lock(mutex);
    auto found = cache.find(key);
    if (found == cache.end()) {
        found = cache.emplace(key, benchmark(device, dtype)).first;
    }
    return found->second;
}

RunEstimate estimateRun(const EstimateInput& in, const DeviceThroughput& throughput) {
    const TransformerShape& shape = in.shape;
    const std::int64_t resident = std::clamp<std::int64_t>(in.residentBlocks, 0, shape.blockCount);
    const std::int64_t swapped = shape.blockCount - resident;
    const double blockBytes = static_cast<double>(shape.blockParameters) * in.bytesPerParameter;
    RunEstimate estimate;
    estimate.weightBytes = static_cast<std::int64_t>(
        static_cast<double>(shape.otherParameters) * in.bytesPerParameter +
        static_cast<double>(resident + std::min<std::int64_t>(swapped, 2)) * blockBytes);
    estimate.activationBytes = blockActivationBytes(in);
    estimate.peakBytes = estimate.weightBytes + estimate.activationBytes;

    const double computePerBlock = blockSeconds(in, throughput);
    const double copyPerBlock = blockBytes / std::max(throughput.copyBytesPerSecond, 1.0);
    const double passes = std::max(in.passesPerStep, 1);
    estimate.computeSecondsPerStep =
        passes * computePerBlock * static_cast<double>(shape.blockCount);
    estimate.copySecondsPerStep = passes * copyPerBlock * static_cast<double>(swapped);
    // A swapped block's copy overlaps the previous block's compute: the slower of the two.
    estimate.secondsPerStep =
        passes * (computePerBlock * static_cast<double>(resident) +
                  std::max(computePerBlock, copyPerBlock) * static_cast<double>(swapped));
    return estimate;
}

std::string RunEstimate::summary() const {
    char text[160];
    std::snprintf(text, sizeof text, "peak %.1f GiB (weights %.1f, activations %.1f), %.1f s/step",
                  static_cast<double>(peakBytes) / kGiB, static_cast<double>(weightBytes) / kGiB,
                  static_cast<double>(activationBytes) / kGiB, secondsPerStep);
    return text;
}

double profileBytesPerParameter(const MemoryProfile& profile, double storedBytesPerParameter) {
    switch (profile.weightDtype) {
        case WeightDtype::AsStored:
            return storedBytesPerParameter;
        case WeightDtype::BFloat16:
        case WeightDtype::Float16:
            return 2.0;
    }
    return storedBytesPerParameter;
}

std::optional<MemoryProfile> suggestProfile(const TransformerShape& shape, std::int64_t tokens,
                                            double storedBytesPerParameter,
                                            std::int64_t freeBytes) {
    const std::vector<std::string> names = profileNames();
    // From the largest GPU profile down: the first that fits keeps the most weight resident.
    for (auto name = names.rbegin(); name != names.rend(); ++name) {
        if (*name == "auto" || *name == "cpu") {
            continue;
        }
        const MemoryProfile profile = profileByName(*name);
        EstimateInput in;
        in.shape = shape;
        in.tokens = tokens;
        in.bytesPerParameter = profileBytesPerParameter(profile, storedBytesPerParameter);
        const auto blockBytes = static_cast<std::int64_t>(
            static_cast<double>(shape.blockParameters) * in.bytesPerParameter);
        const auto otherBytes = static_cast<std::int64_t>(
            static_cast<double>(shape.otherParameters) * in.bytesPerParameter);
        in.residentBlocks = profile.residentBlocks(shape.blockCount, blockBytes, otherBytes);
        if (estimateRun(in, DeviceThroughput{1.0, 1.0, 1.0}).fits(freeBytes)) {
            return profile;
        }
    }
    return std::nullopt;
}

}  // namespace storyreel::infer
