#include "core/infer/models/hunyuan/hy_i2v_geometry.h"

#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/hy_constants.h"
#include "core/infer/models/hunyuan/pil_resize.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>

namespace storyreel::infer::hunyuan {

namespace {

// Python's round(x, 5): the double nearest to x correctly rounded to 5 decimals (glibc's
// printf rounds the exact binary value, as Python's dtoa does).
double roundTo5Decimals(double x) {
    char text[64];
    std::snprintf(text, sizeof(text), "%.5f", x);
    return std::strtod(text, nullptr);
}

// Python's round() of a float to an integer: halves go to the even neighbour.
std::int64_t roundHalfEven(double x) {
    const double down = std::floor(x);
    const double fraction = x - down;
    auto result = static_cast<std::int64_t>(down);
    if (fraction > 0.5 || (fraction == 0.5 && result % 2 != 0)) {
        ++result;
    }
    return result;
}

void requirePositive(std::int64_t height, std::int64_t width, const char* what) {
    if (height < 1 || width < 1) {
        throw UserError(std::string("HunyuanVideo I2V: the ") + what + " size " +
                        std::to_string(width) + "x" + std::to_string(height) +
                        " is not a positive size");
    }
}

}  // namespace

HunyuanI2VResolution parseHunyuanI2VResolution(std::string_view text) {
    if (text == "360p") {
        return HunyuanI2VResolution::P360;
    }
    if (text == "540p") {
        return HunyuanI2VResolution::P540;
    }
    if (text == "720p") {
        return HunyuanI2VResolution::P720;
    }
    throw UserError("HunyuanVideo I2V: resolution '" + std::string(text) +
                    "' is not one of 360p, 540p, 720p");
}

std::string_view hunyuanI2VResolutionName(HunyuanI2VResolution resolution) {
    switch (resolution) {
        case HunyuanI2VResolution::P360:
            return "360p";
        case HunyuanI2VResolution::P540:
            return "540p";
        case HunyuanI2VResolution::P720:
            return "720p";
    }
    return "720p";
}

std::int64_t hunyuanBucketBaseSize(HunyuanI2VResolution resolution) {
    switch (resolution) {
        case HunyuanI2VResolution::P360:
            return 480;
        case HunyuanI2VResolution::P540:
            return 720;
        case HunyuanI2VResolution::P720:
            return 960;
    }
    return 960;
}

std::vector<HunyuanBucket> hunyuanCropSizeList(std::int64_t baseSize, std::int64_t patchSize,
                                               double maxRatio) {
    if (baseSize < 1 || patchSize < 1 || !(maxRatio >= 1.0)) {
        throw UserError("HunyuanVideo I2V: bad bucket parameters (base " +
                        std::to_string(baseSize) + ", patch " + std::to_string(patchSize) + ")");
    }
    // num_patches = round((base_size / patch_size) ** 2): Python's round, halves to even.
    const double side = static_cast<double>(baseSize) / static_cast<double>(patchSize);
    const std::int64_t patches = roundHalfEven(side * side);
    std::vector<HunyuanBucket> buckets;
    std::int64_t wp = patches;
    std::int64_t hp = 1;
    while (wp > 0) {
        const double ratio =
            static_cast<double>(std::max(wp, hp)) / static_cast<double>(std::min(wp, hp));
        if (ratio <= maxRatio) {
            // (wp * patch, hp * patch), which inference.py reads as (height, width).
            buckets.push_back({wp * patchSize, hp * patchSize});
        }
        if ((hp + 1) * wp <= patches) {
            ++hp;
        } else {
            --wp;
        }
    }
    return buckets;
}

HunyuanBucket hunyuanClosestBucket(std::int64_t imageHeight, std::int64_t imageWidth,
                                   const std::vector<HunyuanBucket>& buckets) {
    requirePositive(imageHeight, imageWidth, "image");
    const double aspect = static_cast<double>(imageHeight) / static_cast<double>(imageWidth);
    std::optional<std::size_t> best;
    double bestDistance = 0.0;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        const double ratio = roundTo5Decimals(static_cast<double>(buckets[i].height) /
                                              static_cast<double>(buckets[i].width));
        const double difference = ratio - aspect;
        const bool candidate = aspect >= 1.0 ? difference <= 0.0 : difference > 0.0;
        // min(..., key=abs): the first of equal distances.
        if (candidate && (!best || std::fabs(difference) < bestDistance)) {
            best = i;
            bestDistance = std::fabs(difference);
        }
    }
    if (!best) {
        throw UserError("HunyuanVideo I2V: no size bucket fits an image of " +
                        std::to_string(imageWidth) + "x" + std::to_string(imageHeight));
    }
    return buckets[*best];
}

std::int64_t hunyuanLatentFrames(std::int64_t frames) {
    if (frames < 1 || (frames - 1) % kHunyuanVAETemporalFactor != 0) {
        throw UserError("HunyuanVideo: the frame count must be 4n+1 (1, 5, 9, ..., 129), not " +
                        std::to_string(frames));
    }
    return (frames - 1) / kHunyuanVAETemporalFactor + 1;
}

std::array<std::int64_t, 5> hunyuanLatentShape(std::int64_t frames, std::int64_t height,
                                               std::int64_t width) {
    const std::int64_t latentFrames = hunyuanLatentFrames(frames);
    constexpr std::int64_t multiple = kHunyuanVAESpatialFactor * 2;
    if (height < multiple || width < multiple || height % multiple != 0 || width % multiple != 0) {
        throw UserError("HunyuanVideo: the video size must be a multiple of 16 pixels, not " +
                        std::to_string(width) + "x" + std::to_string(height));
    }
    return {1, kHunyuanLatentChannels, latentFrames, height / kHunyuanVAESpatialFactor,
            width / kHunyuanVAESpatialFactor};
}

HunyuanI2VGeometry hunyuanI2VGeometry(std::int64_t imageHeight, std::int64_t imageWidth,
                                      HunyuanI2VResolution resolution, std::int64_t frames) {
    requirePositive(imageHeight, imageWidth, "image");
    const HunyuanBucket bucket = hunyuanClosestBucket(
        imageHeight, imageWidth, hunyuanCropSizeList(hunyuanBucketBaseSize(resolution), 32));
    HunyuanI2VGeometry g;
    g.frames = frames;
    g.height = bucket.height;
    g.width = bucket.width;
    const std::array<std::int64_t, 5> shape = hunyuanLatentShape(frames, g.height, g.width);
    g.latentFrames = shape[2];
    g.latentHeight = shape[3];
    g.latentWidth = shape[4];
    g.imageHeight = imageHeight;
    g.imageWidth = imageWidth;
    // torchvision _compute_resized_output_size: the short side becomes `size`, the long side
    // int(size * long / short) (a float division, truncated).
    const std::int64_t size = std::min(g.height, g.width);
    const bool portrait = imageWidth <= imageHeight;
    const std::int64_t shortSide = portrait ? imageWidth : imageHeight;
    const std::int64_t longSide = portrait ? imageHeight : imageWidth;
    const auto newLong = static_cast<std::int64_t>(static_cast<double>(size * longSide) /
                                                   static_cast<double>(shortSide));
    g.resizedWidth = portrait ? size : newLong;
    g.resizedHeight = portrait ? newLong : size;
    // CenterCrop: int(round((image - crop) / 2.0)) with Python's round; a crop larger than
    // the image pads it with zeros first (left/top get the smaller half), see the .cpp.
    const std::int64_t padTop = std::max<std::int64_t>(0, (g.height - g.resizedHeight) / 2);
    const std::int64_t padLeft = std::max<std::int64_t>(0, (g.width - g.resizedWidth) / 2);
    const std::int64_t paddedHeight =
        g.resizedHeight + (g.height > g.resizedHeight ? g.height - g.resizedHeight : 0);
    const std::int64_t paddedWidth =
        g.resizedWidth + (g.width > g.resizedWidth ? g.width - g.resizedWidth : 0);
    g.cropTop = roundHalfEven(static_cast<double>(paddedHeight - g.height) / 2.0) - padTop;
    g.cropLeft = roundHalfEven(static_cast<double>(paddedWidth - g.width) / 2.0) - padLeft;
    return g;
}

at::Tensor hunyuanPreprocessImage(const at::Tensor& image, const HunyuanI2VGeometry& geometry) {
    if (!image.defined() || image.dim() != 3 || image.size(2) != 3) {
        std::ostringstream message;
        message << "HunyuanVideo I2V: the image must be [H, W, 3] RGB, not ";
        if (image.defined()) {
            message << image.sizes();
        } else {
            message << "(none)";
        }
        throw UserError(message.str());
    }
    if (image.size(0) != geometry.imageHeight || image.size(1) != geometry.imageWidth) {
        throw UserError("HunyuanVideo I2V: the image is " + std::to_string(image.size(1)) + "x" +
                        std::to_string(image.size(0)) + " but the geometry was made for " +
                        std::to_string(geometry.imageWidth) + "x" +
                        std::to_string(geometry.imageHeight));
    }
    // transforms.Resize(min(bucket)): PIL's resize with the bilinear filter.
    const at::Tensor resized =
        pilResize(image, geometry.resizedHeight, geometry.resizedWidth, PilFilter::Bilinear);
    // transforms.CenterCrop(bucket): offsets may be negative when the crop is larger than the
    // image, whose outside is black (torchvision pads with 0 first).
    at::Tensor crop = at::zeros({geometry.height, geometry.width, 3}, resized.options());
    const std::int64_t top = geometry.cropTop;
    const std::int64_t left = geometry.cropLeft;
    const std::int64_t rowFrom = std::max<std::int64_t>(0, top);
    const std::int64_t rowTo = std::min(geometry.resizedHeight, top + geometry.height);
    const std::int64_t colFrom = std::max<std::int64_t>(0, left);
    const std::int64_t colTo = std::min(geometry.resizedWidth, left + geometry.width);
    if (rowTo > rowFrom && colTo > colFrom) {
        crop.slice(0, rowFrom - top, rowTo - top)
            .slice(1, colFrom - left, colTo - left)
            .copy_(resized.slice(0, rowFrom, rowTo).slice(1, colFrom, colTo));
    }
    // ToTensor: [H, W, C] uint8 -> [C, H, W] float32 / 255; Normalize([0.5], [0.5]):
    // (x - 0.5) / 0.5; then unsqueeze(0).unsqueeze(2): [1, 3, 1, H, W].
    const at::Tensor pixels = crop.permute({2, 0, 1}).to(at::kFloat).div(255).sub(0.5).div(0.5);
    return pixels.unsqueeze(0).unsqueeze(2).contiguous().to(image.device());
}

at::Tensor hunyuanNegativeImage(const at::Tensor& image) {
    if (!image.defined() || image.dim() != 3 || image.size(2) != 3) {
        throw UserError("HunyuanVideo I2V: the image must be [H, W, 3] RGB");
    }
    return at::zeros(image.sizes(), image.options().dtype(at::kByte));
}

}  // namespace storyreel::infer::hunyuan
