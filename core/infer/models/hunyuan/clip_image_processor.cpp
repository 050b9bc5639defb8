#include "core/infer/models/hunyuan/clip_image_processor.h"

#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/llava_json_fields.h"
#include "core/infer/models/hunyuan/pil_resize.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace storyreel::infer::hunyuan {
namespace {

constexpr const char* kContext = "CLIP image processor config";

std::int64_t readCropSide(const JsonValue& crop, std::string_view key, std::int64_t fallback) {
    return jsonInt(crop, key, fallback, kContext);
}

}  // namespace

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
    at::Tensor resized = pilResize(image, newHeight, newWidth, PilFilter::Bicubic);
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
