// The sizes of a HunyuanVideo-I2V run and its conditioning image, as hyvideo/inference.py
// HunyuanVideoSampler.predict computes them: the video takes the bucket closest in aspect
// ratio to the image among generate_crop_size_list(480 | 720 | 960, 32) for 360p / 540p /
// 720p (hyvideo/utils/data_utils.py get_closest_ratio, ratios rounded to 5 decimals); the
// image is resized (torchvision Resize(min(bucket)) on a PIL image: the short side to that
// size with PIL's bilinear filter), center-cropped to the bucket, made a tensor (ToTensor)
// and normalised with mean 0.5, std 0.5; the latent has (L-1)/4+1 frames of H/8 x W/8.
//
//   HunyuanI2VGeometry g = hunyuanI2VGeometry(720, 1280, HunyuanI2VResolution::P720, 129);
//   // g.height, g.width == 704, 1248 (the bucket of ratio 22/39); g.latentFrames == 33
//   at::Tensor pixels = hunyuanPreprocessImage(rgb8, g);   // float32 [1, 3, 1, 720, 1280]
//
// Thread-safety: pure functions.
#pragma once

#include <ATen/core/Tensor.h>

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace storyreel::infer::hunyuan {

// --i2v-resolution.
enum class HunyuanI2VResolution { P360, P540, P720 };

// "360p", "540p", "720p" (UserError otherwise).
HunyuanI2VResolution parseHunyuanI2VResolution(std::string_view text);
std::string_view hunyuanI2VResolutionName(HunyuanI2VResolution resolution);
// bucket_hw_base_size: 480, 720, 960.
std::int64_t hunyuanBucketBaseSize(HunyuanI2VResolution resolution);

struct HunyuanBucket {
    std::int64_t height = 0;
    std::int64_t width = 0;
    bool operator==(const HunyuanBucket&) const = default;
};

// generate_crop_size_list(base_size, patch_size, max_ratio) in the reference's order; each
// entry as inference.py reads it: (height, width).
std::vector<HunyuanBucket> hunyuanCropSizeList(std::int64_t baseSize, std::int64_t patchSize = 32,
                                               double maxRatio = 4.0);

// get_closest_ratio(image height, image width, round(h/w, 5) of each bucket, buckets): for a
// portrait or square image the closest ratio not above the image's, for a landscape image
// the closest ratio strictly above it; the first such bucket on ties. Throws UserError for
// non-positive sizes or when no bucket qualifies.
HunyuanBucket hunyuanClosestBucket(std::int64_t imageHeight, std::int64_t imageWidth,
                                   const std::vector<HunyuanBucket>& buckets);

struct HunyuanI2VGeometry {
    std::int64_t frames = 0;  // video_length, 4n+1
    std::int64_t height = 0;  // the video's size: the bucket
    std::int64_t width = 0;
    std::int64_t latentFrames = 0;  // (frames - 1) / 4 + 1
    std::int64_t latentHeight = 0;  // height / 8
    std::int64_t latentWidth = 0;
    std::int64_t imageHeight = 0;  // the image as given
    std::int64_t imageWidth = 0;
    std::int64_t resizedHeight = 0;  // after Resize(min(height, width)) of its short side
    std::int64_t resizedWidth = 0;
    std::int64_t cropTop = 0;  // CenterCrop's offsets in the resized image
    std::int64_t cropLeft = 0;
};

// (frames - 1) / 4 + 1. Throws UserError unless frames is 4n+1 (1, 5, ..., 129).
std::int64_t hunyuanLatentFrames(std::int64_t frames);

// [1, 16, (frames-1)/4+1, height/8, width/8], as prepare_latents shapes the noise. Throws
// UserError for a frame count that is not 4n+1 or a size that is not a positive multiple of
// 16 (the DiT's 2x2 patches of 8x8 latent pixels).
std::array<std::int64_t, 5> hunyuanLatentShape(std::int64_t frames, std::int64_t height,
                                               std::int64_t width);

// The whole geometry for an image of imageHeight x imageWidth pixels.
HunyuanI2VGeometry hunyuanI2VGeometry(std::int64_t imageHeight, std::int64_t imageWidth,
                                      HunyuanI2VResolution resolution, std::int64_t frames);

// The reference's ref_image_transform: image uint8 [H, W, 3] RGB (as PIL's convert('RGB')
// holds it; float 0..255 is rounded) of the size the geometry was made for -> float32
// [1, 3, 1, height, width] in [-1, 1] on the image's device. Throws UserError for another
// shape or size.
at::Tensor hunyuanPreprocessImage(const at::Tensor& image, const HunyuanI2VGeometry& geometry);

// The black image the negative prompt is encoded with under CFG (black_image of the input
// image's own size): uint8 zeros shaped like `image` [H, W, 3].
at::Tensor hunyuanNegativeImage(const at::Tensor& image);

}  // namespace storyreel::infer::hunyuan
