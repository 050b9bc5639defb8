// VAEParameters: where the Wan VAE's layers take their tensors, by the reference's own names
// ("decoder.upsamples.3.resample.1.weight"), dense, checked against the shape the config
// implies, and placed on the model's device in its dtype. Every name taken is recorded, so
// the model can refuse a checkpoint with tensors it did not use (the reference loads its
// state_dict strictly): such leftovers mean the config does not match the file.
//
//   VAEParameters parameters(view, loader, config.describe(), {at::kCPU, at::kFloat});
//   at::Tensor w = parameters.take("encoder.conv1.weight", {96, 3, 3, 3, 3});
//   parameters.requireAllTaken();
//
// Thread-safety: one thread (it records what was taken).
#pragma once

#include "core/infer/registry/internal_view.h"
#include "core/infer/weights/weight_loader.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace storyreel::infer::wan {

struct VAEPlacement {
    c10::Device device = c10::Device(c10::kCPU);
    at::ScalarType dtype = at::kFloat;  // the reference runs its VAE in float32
};

class VAEParameters {
public:
    // Keeps references to `view` and `loader`, which must outlive it. `model` describes the
    // configuration in messages ("dim 96, z_dim 16, ...").
    VAEParameters(const InternalView& view, const WeightLoader& loader, std::string model,
                  VAEPlacement placement);

    const VAEPlacement& placement() const { return placement_; }

    // The tensor `name` with shape `shape`. Throws UserError naming the file and tensor
    // when it is missing or its shape differs.
    at::Tensor take(const std::string& name, const std::vector<std::int64_t>& shape);
    // Throws UserError naming the file and its first unused tensors when any is left.
    void requireAllTaken() const;

private:
    const InternalView& view_;
    const WeightLoader& loader_;
    std::string model_;
    VAEPlacement placement_;
    std::set<std::string> taken_;
};

}  // namespace storyreel::infer::wan
