// The sizes of a Wan 2.1 image-to-video run, computed as wan/image2video.py generate
// computes them: the video keeps the image's aspect ratio within max_area pixels (rounded
// down to whole DiT patches of the latent), the latent has (F-1)/4+1 frames, the DiT sees
// seq_len tokens, and the first-frame mask tells the DiT which latent frame the image fixes.
// Also generate.py's defaults (81 frames at 16 fps, 40 steps, guidance 5, shift 3 at 480p
// and 5 otherwise).
//
//   WanI2VGeometry g = wanI2VGeometry(720, 1280, kWanMaxArea480p, 81);  // image 1280x720
//   // g.height, g.width == 464, 832; g.latentFrames == 21; g.seqLen == 31668
//   at::Tensor mask = wanFirstFrameMask(g);  // [4, 21, 58, 104]
//
// Thread-safety: pure functions and constants.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <array>
#include <cstdint>

namespace storyreel::infer {

// generate.py MAX_AREA_CONFIGS: "832*480" / "480*832" and "1280*720" / "720*1280".
inline constexpr std::int64_t kWanMaxArea480p = 832 * 480;
inline constexpr std::int64_t kWanMaxArea720p = 1280 * 720;
// generate.py defaults for i2v-14B.
inline constexpr std::int64_t kWanDefaultFrames = 81;
inline constexpr std::int64_t kWanDefaultFps = 16;  // shared_config.py sample_fps
inline constexpr std::int64_t kWanDefaultI2VSteps = 40;

// generate.py: shift 3.0 for i2v at 480p ("832*480" or "480*832"), 5.0 otherwise.
double wanDefaultI2VShift(std::int64_t maxArea);

struct WanGeometryConfig {
    std::array<std::int64_t, 3> vaeStride{4, 8, 8};  // (t, h, w), wan_i2v_14B.py vae_stride
    std::array<std::int64_t, 3> patchSize{1, 2, 2};  // (t, h, w), the DiT's patch
    std::int64_t spSize = 1;  // sequence-parallel ranks; seq_len is rounded up to a multiple
};

struct WanI2VGeometry {
    std::int64_t frames = 0;  // frame_num, the video's frame count (4n+1)
    std::int64_t height = 0;  // the video's size in pixels: the image is resized to it
    std::int64_t width = 0;
    std::int64_t latentFrames = 0;  // (frames - 1) / 4 + 1
    std::int64_t latentHeight = 0;  // height / 8, a multiple of the patch height
    std::int64_t latentWidth = 0;
    std::int64_t seqLen = 0;  // the DiT's token count: latentFrames * lat_h * lat_w / 4
};

// From the image's size in pixels, the pixel budget (kWanMaxArea480p, kWanMaxArea720p or
// any other) and the frame count: lat_h = floor(sqrt(maxArea * h / w) / 8 / 2) * 2,
// lat_w = floor(sqrt(maxArea * w / h) / 8 / 2) * 2, in the reference's float64 steps.
// Throws UserError when the frame count is not 4n+1 or the budget leaves no latent pixel,
// std::invalid_argument for non-positive sizes.
WanI2VGeometry wanI2VGeometry(std::int64_t imageHeight, std::int64_t imageWidth,
                              std::int64_t maxArea, std::int64_t frames,
                              const WanGeometryConfig& config = {});

// image2video.py's msk: [4, latentFrames, latentHeight, latentWidth] float32, 1 on latent
// frame 0 (the four video frames the image stands for: the image repeated 4 times) and 0
// elsewhere; the first 4 of the 20 channels of y.
at::Tensor wanFirstFrameMask(const WanI2VGeometry& geometry,
                             c10::Device device = c10::Device(c10::kCPU));

}  // namespace storyreel::infer
