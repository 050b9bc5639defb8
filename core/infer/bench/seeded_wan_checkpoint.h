// SeededWanCheckpoint: the Wan DiT checkpoint of the step benchmark, which exists only as a
// rule (SeededCheckpoint): every parameter the configuration needs, under the reference's
// names, drawn from a seed on a chosen device. It is a CheckpointFile, so the bench builds
// WanModel through InternalView and WanWeights exactly as from a real file; it writes itself
// as a safetensors file for the reference Python (writeSeededCheckpoint), and the GPU preset
// draws the 14B weights on the device without any file.
//
//   const SeededWanCheckpoint checkpoint(config, 1, c10::Device("cuda"));
//   writeSeededCheckpoint(checkpoint, "dit.safetensors");      // for the reference
//   const InternalView view(checkpoint, ModelFamily::WanDiT, CheckpointLayout::Official);
//
// Thread-safety: read() seeds the process-wide default generators (at::manual_seed), so one
// thread at a time, and none drawing random numbers meanwhile.
#pragma once

#include "core/infer/bench/seeded_checkpoint.h"
#include "core/infer/models/wan/wan_config.h"

#include <c10/core/Device.h>

#include <cstdint>

namespace storyreel::infer::bench {

class SeededWanCheckpoint : public SeededCheckpoint {
public:
    // Throws UserError for a configuration WanModel refuses (WanModelConfig::validate).
    // referenceConfigJson() holds the reference's WanModel(**config) arguments.
    SeededWanCheckpoint(const wan::WanModelConfig& config, std::uint64_t seed,
                        c10::Device drawDevice);

    const wan::WanModelConfig& config() const { return config_; }

private:
    wan::WanModelConfig config_;
};

}  // namespace storyreel::infer::bench
