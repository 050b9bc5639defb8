#include "core/infer/models/wan/wan_i2v_geometry.h"

#include "core/base/user_error.h"

#include <ATen/ATen.h>

#include <cmath>
#include <stdexcept>
#include <string>

namespace storyreel::infer {

namespace {

// Python's float floor division a // b (CPython float_floor_div, numpy npy_divmod): the
// floor of the exact quotient, which floor(a / b) misses when a / b rounds up to an integer.
double pythonFloorDivide(double a, double b) {
    double mod = std::fmod(a, b);
    double div = (a - mod) / b;
    if (mod != 0.0 && ((b < 0.0) != (mod < 0.0))) {
        mod += b;
        div -= 1.0;
    }
    if (div == 0.0) {
        return std::copysign(0.0, a / b);
    }
    double floorDiv = std::floor(div);
    if (div - floorDiv > 0.5) {
        floorDiv += 1.0;
    }
    return floorDiv;
}

// round(np.sqrt(side2) // stride // patch * patch): the latent side, a multiple of `patch`.
std::int64_t latentSide(double squaredSide, std::int64_t vaeStride, std::int64_t patch) {
    const double side = std::sqrt(squaredSide);
    const double latent = pythonFloorDivide(pythonFloorDivide(side, static_cast<double>(vaeStride)),
                                            static_cast<double>(patch)) *
                          static_cast<double>(patch);
    return static_cast<std::int64_t>(std::nearbyint(latent));  // an integer already
}

}  // namespace

double wanDefaultI2VShift(std::int64_t maxArea) {
    return maxArea == kWanMaxArea480p ? 3.0 : 5.0;
}

WanI2VGeometry wanI2VGeometry(std::int64_t imageHeight, std::int64_t imageWidth,
                              std::int64_t maxArea, std::int64_t frames,
                              const WanGeometryConfig& config) {
    if (imageHeight <= 0 || imageWidth <= 0 || maxArea <= 0) {
        throw std::invalid_argument("Wan geometry: image size and pixel budget must be positive");
    }
    const std::int64_t temporalStride = config.vaeStride[0];
    if (frames < 1 || (frames - 1) % temporalStride != 0) {
        throw UserError("Wan 2.1 makes videos of 4n+1 frames (for example 49, 77 or 81); " +
                        std::to_string(frames) + " frames is not one of them");
    }
    // aspect_ratio = h / w; lat_h from max_area * aspect_ratio, lat_w from max_area /
    // aspect_ratio (float64, // is floor division).
    const double aspectRatio = static_cast<double>(imageHeight) / static_cast<double>(imageWidth);
    const double area = static_cast<double>(maxArea);

    WanI2VGeometry geometry;
    geometry.frames = frames;
    geometry.latentHeight =
        latentSide(area * aspectRatio, config.vaeStride[1], config.patchSize[1]);
    geometry.latentWidth = latentSide(area / aspectRatio, config.vaeStride[2], config.patchSize[2]);
    if (geometry.latentHeight <= 0 || geometry.latentWidth <= 0) {
        throw UserError("a " + std::to_string(imageWidth) + "x" + std::to_string(imageHeight) +
                        " image in a budget of " + std::to_string(maxArea) +
                        " pixels gives an empty Wan video; choose a larger size");
    }
    geometry.height = geometry.latentHeight * config.vaeStride[1];
    geometry.width = geometry.latentWidth * config.vaeStride[2];
    geometry.latentFrames = (frames - 1) / temporalStride + 1;
    const std::int64_t tokens = geometry.latentFrames * geometry.latentHeight *
                                geometry.latentWidth / (config.patchSize[1] * config.patchSize[2]);
    // int(math.ceil(max_seq_len / sp_size)) * sp_size
    geometry.seqLen = (tokens + config.spSize - 1) / config.spSize * config.spSize;
    return geometry;
}

at::Tensor wanFirstFrameMask(const WanI2VGeometry& geometry, c10::Device device) {
    // msk = ones(1, F, h, w); msk[:, 1:] = 0; frame 0 repeated 4 times in front; viewed as
    // [1, (F+3)/4, 4, h, w] and transposed: latent frame 0 is all ones, the others zeros.
    // The 4 is the reference's own constant (the VAE's temporal stride).
    const std::int64_t h = geometry.latentHeight;
    const std::int64_t w = geometry.latentWidth;
    at::Tensor mask = at::ones({1, geometry.frames, h, w}, at::TensorOptions().device(device));
    mask.slice(1, 1).zero_();
    mask = at::cat({at::repeat_interleave(mask.slice(1, 0, 1), 4, 1), mask.slice(1, 1)}, 1);
    mask = mask.view({1, mask.size(1) / 4, 4, h, w});
    return mask.transpose(1, 2)[0].contiguous();
}

}  // namespace storyreel::infer
