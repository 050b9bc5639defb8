#include "core/infer/memory/seeded_noise.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

namespace storyreel::infer {

at::Tensor seededNoise(c10::IntArrayRef shape, std::uint64_t seed, c10::Device device,
                       c10::ScalarType dtype) {
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    const at::Tensor noise = at::randn(shape, generator, at::TensorOptions().dtype(at::kFloat));
    return noise.to(device, dtype);
}

}  // namespace storyreel::infer
