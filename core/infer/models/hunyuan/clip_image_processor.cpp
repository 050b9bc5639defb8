#include "core/infer/models/hunyuan/clip_image_processor.h"

#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/llava_json_fields.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace storyreel::infer::hunyuan {
namespace {

constexpr const char* kContext = "CLIP image processor config";

// Pillow's libImaging/Resample.c: 8-bit passes use coefficients scaled by 2^22.
constexpr int kPrecisionBits = 32 - 8 - 2;

// bicubic_filter with a = -0.5, support 2.
double bicubicFilter(double x) {
    constexpr double a = -0.5;
    x = std::abs(x);
    if (x < 1.0) {
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
    }
    if (x < 2.0) {
        return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
    }
    return 0.0;
}

// precompute_coeffs + normalize_coeffs_8bpc for one axis: per output index its first input
// index, its tap count and `taps` fixed-point weights.
struct AxisCoefficients {
    std::int64_t taps = 0;
    std::vector<std::int64_t> first, count;
    std::vector<std::int32_t> weights;  // [outSize * taps]
};

AxisCoefficients axisCoefficients(std::int64_t inSize, std::int64_t outSize) {
    constexpr double kSupport = 2.0;
    const double scale = static_cast<double>(inSize) / static_cast<double>(outSize);
    const double filterScale = std::max(scale, 1.0);
    const double support = kSupport * filterScale;
    AxisCoefficients c;
    c.taps = static_cast<std::int64_t>(std::ceil(support)) * 2 + 1;
    c.first.resize(outSize);
    c.count.resize(outSize);
    c.weights.assign(outSize * c.taps, 0);
    std::vector<double> k(c.taps);
    for (std::int64_t xx = 0; xx < outSize; ++xx) {
        const double center = (static_cast<double>(xx) + 0.5) * scale;
        // (int) truncates toward zero, as in C.
        std::int64_t xmin = static_cast<int>(center - support + 0.5);
        xmin = std::max<std::int64_t>(xmin, 0);
        std::int64_t xmax = static_cast<int>(center + support + 0.5);
        xmax = std::min(xmax, inSize) - xmin;
        double sum = 0.0;
        for (std::int64_t x = 0; x < xmax; ++x) {
            k[x] = bicubicFilter((static_cast<double>(x + xmin) - center + 0.5) / filterScale);
            sum += k[x];
        }
        for (std::int64_t x = 0; x < xmax; ++x) {
            const double w = sum != 0.0 ? k[x] / sum : k[x];
            const double fixed = w * static_cast<double>(1 << kPrecisionBits);
            c.weights[xx * c.taps + x] =
                static_cast<std::int32_t>(fixed < 0 ? fixed - 0.5 : fixed + 0.5);
        }
        c.first[xx] = xmin;
        c.count[xx] = std::max<std::int64_t>(xmax, 0);
    }
    return c;
}

std::uint8_t clip8(std::int32_t value) {
    return static_cast<std::uint8_t>(std::clamp(value >> kPrecisionBits, 0, 255));
}

// One pass along `axis` (1: columns of each row, 0: rows of each column) of an [H, W, 3]
// uint8 image.
at::Tensor resamplePass(const at::Tensor& image, std::int64_t outSize, int axis) {
    const std::int64_t height = image.size(0);
    const std::int64_t width = image.size(1);
    const AxisCoefficients c = axisCoefficients(axis == 1 ? width : height, outSize);
    const std::int64_t outHeight = axis == 1 ? height : outSize;
    const std::int64_t outWidth = axis == 1 ? outSize : width;
    at::Tensor out = at::empty({outHeight, outWidth, 3}, image.options());
    const std::uint8_t* in = image.data_ptr<std::uint8_t>();
    std::uint8_t* dst = out.data_ptr<std::uint8_t>();
    for (std::int64_t y = 0; y < outHeight; ++y) {
        for (std::int64_t x = 0; x < outWidth; ++x) {
            const std::int64_t o = axis == 1 ? x : y;
            const std::int32_t* k = &c.weights[o * c.taps];
            for (std::int64_t channel = 0; channel < 3; ++channel) {
                std::int32_t sum = 1 << (kPrecisionBits - 1);
                for (std::int64_t t = 0; t < c.count[o]; ++t) {
                    const std::int64_t at = c.first[o] + t;
                    const std::int64_t index = axis == 1 ? (y * width + at) : (at * width + x);
                    sum += static_cast<std::int32_t>(in[index * 3 + channel]) * k[t];
                }
                dst[(y * outWidth + x) * 3 + channel] = clip8(sum);
            }
        }
    }
    return out;
}

std::int64_t readCropSide(const JsonValue& crop, std::string_view key, std::int64_t fallback) {
    return jsonInt(crop, key, fallback, kContext);
}

}  // namespace

at::Tensor pilBicubicResize(const at::Tensor& rgb, std::int64_t height, std::int64_t width) {
    if (rgb.dim() != 3 || rgb.size(2) != 3 || rgb.scalar_type() != at::kByte || height <= 0 ||
        width <= 0) {
        throw UserError("PIL bicubic resize: expected a [H, W, 3] uint8 image and a positive size");
    }
    at::Tensor image = rgb.cpu().contiguous();
    // ImagingResampleInner: horizontal pass first, then vertical, each only when needed.
    if (width != image.size(1)) {
        image = resamplePass(image, width, 1);
    }
    if (height != image.size(0)) {
        image = resamplePass(image, height, 0);
    }
    return image.is_same(rgb) ? image.clone() : image;
}

ClipImageProcessorConfig ClipImageProcessorConfig::fromJson(const JsonValue& json) {
    ClipImageProcessorConfig c;
    for (const char* flag : {"do_resize", "do_center_crop", "do_rescale", "do_normalize"}) {
        if (!jsonBool(json, flag, true, kContext)) {
            throw UserError(std::string(kContext) + ": \"" + flag +
                            "\" false is not supported (the LLaVA encoder's processor does "
                            "every step)");
        }
    }
    if (const JsonValue* size = jsonObject(json, "size", kContext)) {
        if (!jsonHas(*size, "shortest_edge")) {
            throw UserError(std::string(kContext) +
                            ": \"size\" must give \"shortest_edge\" (as CLIP's processor does)");
        }
        c.shortestEdge = jsonInt(*size, "shortest_edge", c.shortestEdge, kContext);
    } else if (jsonHas(json, "size")) {
        c.shortestEdge = jsonInt(json, "size", c.shortestEdge, kContext);
    }
    const JsonValue* crop = json.find("crop_size");
    if (crop != nullptr && crop->isObject()) {
        c.cropHeight = readCropSide(*crop, "height", c.cropHeight);
        c.cropWidth = readCropSide(*crop, "width", c.cropWidth);
    } else if (crop != nullptr && crop->isArray() && crop->size() == 2 && crop->at(0).asInt64() &&
               crop->at(1).asInt64()) {
        c.cropHeight = *crop->at(0).asInt64();
        c.cropWidth = *crop->at(1).asInt64();
    } else if (crop != nullptr && crop->asInt64()) {
        c.cropHeight = c.cropWidth = *crop->asInt64();
    } else if (crop != nullptr && crop->kind() != JsonValue::Kind::Null) {
        throw UserError(std::string(kContext) +
                        ": \"crop_size\" must be an integer, [height, width] or "
                        "{\"height\", \"width\"}");
    }
    c.rescaleFactor = jsonDouble(json, "rescale_factor",
                                 jsonDouble(json, "rescale", c.rescaleFactor, kContext), kContext);
    const JsonValue* resample = json.find("resample");
    const bool bicubic = resample == nullptr ||
                         (resample->isString() && resample->text() == "bicubic") ||
                         (resample->asInt64() && *resample->asInt64() == 3);
    if (!bicubic) {
        throw UserError(std::string(kContext) +
                        ": only the bicubic resample filter (3) is supported");
    }
    const std::vector<double> mean =
        jsonDoubles(json, "image_mean", {c.mean.begin(), c.mean.end()}, kContext);
    const std::vector<double> std =
        jsonDoubles(json, "image_std", {c.std.begin(), c.std.end()}, kContext);
    if (mean.size() != 3 || std.size() != 3) {
        throw UserError(std::string(kContext) + ": image_mean and image_std need 3 values");
    }
    std::copy(mean.begin(), mean.end(), c.mean.begin());
    std::copy(std.begin(), std.end(), c.std.begin());
    if (c.shortestEdge <= 0 || c.cropHeight <= 0 || c.cropWidth <= 0) {
        throw UserError(std::string(kContext) + ": sizes must be positive");
    }
    return c;
}

at::Tensor clipImagePixels(const at::Tensor& rgb, const ClipImageProcessorConfig& config) {
    if (rgb.dim() != 3 || rgb.size(2) != 3 || rgb.size(0) <= 0 || rgb.size(1) <= 0) {
        throw UserError("CLIP image processor: the image must be [height, width, 3] RGB");
    }
    at::Tensor image = rgb.cpu();
    if (image.scalar_type() != at::kByte) {
        const at::Tensor wide = image.to(at::kDouble);
        if (wide.lt(0).any().item<bool>() || wide.gt(255).any().item<bool>() ||
            wide.ne(wide.round()).any().item<bool>()) {
            throw UserError(
                "CLIP image processor: the image's values must be whole numbers 0..255");
        }
        image = wide.to(at::kByte);
    }
    // get_resize_output_image_size(default_to_square=False): the short side becomes
    // shortestEdge, the long one int(shortestEdge * long / short).
    const std::int64_t height = image.size(0);
    const std::int64_t width = image.size(1);
    const std::int64_t shortSide = std::min(height, width);
    const std::int64_t longSide = std::max(height, width);
    const auto newLong =
        static_cast<std::int64_t>(static_cast<double>(config.shortestEdge) *
                                  static_cast<double>(longSide) / static_cast<double>(shortSide));
    const std::int64_t newHeight = width <= height ? newLong : config.shortestEdge;
    const std::int64_t newWidth = width <= height ? config.shortestEdge : newLong;
    at::Tensor resized = pilBicubicResize(image, newHeight, newWidth);
    if (config.cropHeight > newHeight || config.cropWidth > newWidth) {
        throw UserError("CLIP image processor: the crop " + std::to_string(config.cropHeight) +
                        "x" + std::to_string(config.cropWidth) + " is larger than the resized " +
                        std::to_string(newHeight) + "x" + std::to_string(newWidth) + " image");
    }
    // center_crop: top and left are floor((size - crop) / 2).
    const std::int64_t top = (newHeight - config.cropHeight) / 2;
    const std::int64_t left = (newWidth - config.cropWidth) / 2;
    const at::Tensor cropped = resized.narrow(0, top, config.cropHeight)
                                   .narrow(1, left, config.cropWidth)
                                   .permute({2, 0, 1});  // [3, h, w]
    // rescale: uint8 * factor in float64, stored as float32; normalize in float32.
    const at::Tensor scaled = cropped.to(at::kDouble).mul(config.rescaleFactor).to(at::kFloat);
    const auto floats = at::TensorOptions().dtype(at::kFloat);
    const at::Tensor mean =
        at::tensor(std::vector<float>(config.mean.begin(), config.mean.end()), floats)
            .view({3, 1, 1});
    const at::Tensor std =
        at::tensor(std::vector<float>(config.std.begin(), config.std.end()), floats)
            .view({3, 1, 1});
    return scaled.sub(mean).div(std).unsqueeze(0).to(rgb.device());
}

}  // namespace storyreel::infer::hunyuan
