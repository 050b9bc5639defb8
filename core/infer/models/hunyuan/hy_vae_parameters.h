// HunyuanVAEParameters: where the HunyuanVideo VAE's layers take their tensors, through
// ModuleWeights by the reference's own names ("decoder.up_blocks.0.resnets.1.conv2.conv.weight"),
// checked against the shape the config implies and placed on the model's device: convolution
// and linear weights in the compute dtype, normalisation parameters in float32 (the reference
// runs GroupNorm in float32 under autocast). Every name taken is recorded, so the model can
// refuse a checkpoint with tensors it did not use (the reference loads its state_dict
// strictly): such leftovers mean the config does not match the file.
//
//   HunyuanVAEParameters parameters(weights, placement);
//   at::Tensor w = parameters.take("encoder.conv_in.conv.weight", {128, 3, 3, 3, 3});
//   parameters.requireAllTaken();
//
// Thread-safety: one thread (it records what was taken).
#pragma once

#include "core/infer/layers/module_weights.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace storyreel::infer::hunyuan {

struct HunyuanVAEPlacement {
    c10::Device device = c10::Device(c10::kCPU);
    // The compute dtype: float32 (default), or bfloat16 / float16 as the reference runs its
    // VAE on a GPU (--vae-precision fp16 under autocast).
    at::ScalarType dtype = at::kFloat;
};

class HunyuanVAEParameters {
public:
    // Keeps a reference to `weights`, which must outlive it.
    HunyuanVAEParameters(const ModuleWeights& weights, HunyuanVAEPlacement placement);

    const HunyuanVAEPlacement& placement() const { return placement_; }

    // `name` with shape `shape` in the compute dtype on the device. Throws UserError naming
    // the file and tensor when it is missing or its shape differs.
    at::Tensor take(const std::string& name, const std::vector<std::int64_t>& shape);
    // The same in float32 (GroupNorm weight and bias).
    at::Tensor takeFloat(const std::string& name, const std::vector<std::int64_t>& shape);
    // Throws UserError naming the file and its first unused tensors when any of the VAE's
    // modules (encoder., decoder., quant_conv., post_quant_conv.) is left.
    void requireAllTaken() const;

private:
    const ModuleWeights& weights_;
    HunyuanVAEPlacement placement_;
    std::set<std::string> taken_;
};

}  // namespace storyreel::infer::hunyuan
