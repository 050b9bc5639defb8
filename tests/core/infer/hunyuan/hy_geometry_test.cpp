// HunyuanVideo-I2V's image geometry on sizes checked by hand against hyvideo/inference.py
// predict and hyvideo/utils/data_utils.py (generate_crop_size_list, get_closest_ratio), and
// Pillow's bilinear resize on pixels computed by hand from Resample.c's arithmetic.
#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/hy_i2v_geometry.h"
#include "core/infer/models/hunyuan/hy_latent_preview.h"
#include "core/infer/models/hunyuan/pil_resize.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

using Catch::Matchers::Contains;
using storyreel::UserError;
using namespace storyreel::infer::hunyuan;

namespace {

at::Tensor row(const std::vector<std::uint8_t>& values) {
    // [1, W, 3], the same value in every channel
    at::Tensor image = at::empty({1, static_cast<std::int64_t>(values.size()), 3}, at::kByte);
    for (std::size_t i = 0; i < values.size(); ++i) {
        image[0][static_cast<std::int64_t>(i)].fill_(values[i]);
    }
    return image;
}

std::vector<int> channel0(const at::Tensor& image) {
    const at::Tensor flat = image.select(2, 0).reshape({-1}).to(at::kInt);
    return {flat.data_ptr<int>(), flat.data_ptr<int>() + flat.numel()};
}

}  // namespace

TEST_CASE("The bucket lists are generate_crop_size_list's", "[hunyuan][geometry]") {
    // num_patches = round((base / 32)^2): 225 for 480, round(506.25) = 506 for 720, 900 for
    // 960; entries run from the tallest (ratio 4) to the widest, as (height, width).
    const std::vector<HunyuanBucket> p720 = hunyuanCropSizeList(960, 32);
    REQUIRE(p720.size() == 91);
    CHECK(p720.front() == HunyuanBucket{1920, 480});
    CHECK(p720.back() == HunyuanBucket{480, 1920});
    CHECK(std::find(p720.begin(), p720.end(), HunyuanBucket{960, 960}) != p720.end());
    const std::vector<HunyuanBucket> p540 = hunyuanCropSizeList(720, 32);
    REQUIRE(p540.size() == 67);
    CHECK(p540.front() == HunyuanBucket{1408, 352});
    CHECK(std::find(p540.begin(), p540.end(), HunyuanBucket{704, 704}) != p540.end());
    const std::vector<HunyuanBucket> p360 = hunyuanCropSizeList(480, 32);
    REQUIRE(p360.size() == 43);
    CHECK(p360.front() == HunyuanBucket{896, 224});
    for (const auto& bucket : p720) {
        CHECK(bucket.height * bucket.width <= 960 * 960);
        CHECK(bucket.height % 32 == 0);
        CHECK(bucket.width % 32 == 0);
    }
    CHECK(hunyuanBucketBaseSize(parseHunyuanI2VResolution("540p")) == 720);
    CHECK_THROWS_WITH(parseHunyuanI2VResolution("1080p"), Contains("1080p"));
}

TEST_CASE("The video takes the bucket closest in aspect ratio, as get_closest_ratio picks it",
          "[hunyuan][geometry]") {
    struct Case {
        HunyuanI2VResolution resolution;
        std::int64_t imageHeight, imageWidth;
        HunyuanBucket bucket;
        std::int64_t resizedHeight, resizedWidth, cropTop, cropLeft;
    };
    // 16:9 at 720p: ratio 0.5625; the closest ratio strictly above is 22/39 = 0.56410 (22/40
    // = 0.55 is below): 704x1248. The short side 720 -> 704, the long one int(704 * 1280 /
    // 720) = int(1251.56) = 1251; crop left round(1.5) = 2 (Python rounds halves to even).
    const std::vector<Case> cases = {
        {HunyuanI2VResolution::P720, 720, 1280, {704, 1248}, 704, 1251, 0, 2},
        // portrait: the closest ratio not above 1.7778 is 39/22 = 1.77273
        {HunyuanI2VResolution::P720, 1280, 720, {1248, 704}, 1251, 704, 2, 0},
        {HunyuanI2VResolution::P720, 1000, 1000, {960, 960}, 960, 960, 0, 0},
        // 540p: 17/29 = 0.58621 (16/29 = 0.55172 is below); int(544 * 1920 / 1080) = 967
        {HunyuanI2VResolution::P540, 1080, 1920, {544, 928}, 544, 967, 0, 20},
        // 360p: 11/19 = 0.57895; int(352 * 160 / 90) = 625, left round(8.5) = 8
        {HunyuanI2VResolution::P360, 90, 160, {352, 608}, 352, 625, 0, 8},
        // 4:3 at 720p: 26/34 = 0.76471; int(832 * 640 / 480) = 1109, left round(10.5) = 10
        {HunyuanI2VResolution::P720, 480, 640, {832, 1088}, 832, 1109, 0, 10},
        // extreme aspects clamp to the ratio-4 buckets
        {HunyuanI2VResolution::P360, 3000, 100, {896, 224}, 6720, 224, 2912, 0},
    };
    for (const Case& c : cases) {
        INFO(c.imageWidth << "x" << c.imageHeight << " at "
                          << hunyuanI2VResolutionName(c.resolution));
        const HunyuanI2VGeometry g =
            hunyuanI2VGeometry(c.imageHeight, c.imageWidth, c.resolution, 129);
        CHECK(g.height == c.bucket.height);
        CHECK(g.width == c.bucket.width);
        CHECK(g.resizedHeight == c.resizedHeight);
        CHECK(g.resizedWidth == c.resizedWidth);
        CHECK(g.cropTop == c.cropTop);
        CHECK(g.cropLeft == c.cropLeft);
        CHECK(g.latentFrames == 33);
        CHECK(g.latentHeight == c.bucket.height / 8);
        CHECK(g.latentWidth == c.bucket.width / 8);
    }
    CHECK_THROWS_AS(hunyuanI2VGeometry(0, 100, HunyuanI2VResolution::P720, 129), UserError);
}

TEST_CASE("Latent shapes need 4n+1 frames and sizes in multiples of 16", "[hunyuan][geometry]") {
    CHECK(hunyuanLatentFrames(129) == 33);
    CHECK(hunyuanLatentFrames(1) == 1);
    CHECK(hunyuanLatentShape(129, 720, 1280) == std::array<std::int64_t, 5>{1, 16, 33, 90, 160});
    CHECK(hunyuanLatentShape(9, 32, 48) == std::array<std::int64_t, 5>{1, 16, 3, 4, 6});
    CHECK_THROWS_WITH(hunyuanLatentFrames(130), Contains("4n+1") && Contains("130"));
    CHECK_THROWS_WITH(hunyuanLatentFrames(0), Contains("4n+1"));
    CHECK_THROWS_WITH(hunyuanLatentShape(129, 720, 1288), Contains("multiple of 16"));
}

TEST_CASE("pilResize reproduces Pillow's bilinear arithmetic", "[hunyuan][geometry]") {
    // Downscale by 2: support 2, taps (3/7, 3/7, 1/7) and (1/7, 3/7, 3/7) in 22-bit fixed
    // point: (300 + 200) / 7 = 71.43 -> 71 and (100 + 600 + 765) / 7 = 209.29 -> 209.
    CHECK(channel0(pilResize(row({0, 100, 200, 255}), 1, 2, PilFilter::Bilinear)) ==
          std::vector<int>{71, 209});
    // Upscale by 2: centres 0.25, 0.75, 1.25, 1.75: 0, 255/4 = 63.75 -> 64, 191.25 -> 191, 255.
    CHECK(channel0(pilResize(row({0, 255}), 1, 4, PilFilter::Bilinear)) ==
          std::vector<int>{0, 64, 191, 255});
    // Bicubic (a = -0.5, support 2), upscale by 2: the outer pixels overshoot and clip;
    // 255 * 0.2265625 / 1.09375 = 52.8 -> 53 and 255 * 0.8671875 / 1.09375 = 202.2 -> 202.
    CHECK(channel0(pilResize(row({0, 255}), 1, 4, PilFilter::Bicubic)) ==
          std::vector<int>{0, 53, 202, 255});
    // The vertical pass does the same along the other axis.
    const at::Tensor column = row({0, 100, 200, 255}).permute({1, 0, 2}).contiguous();
    CHECK(channel0(pilResize(column, 2, 1, PilFilter::Bilinear)) == std::vector<int>{71, 209});
    // Both passes: a constant image stays constant; the size is what was asked.
    const at::Tensor flat = at::full({7, 9, 3}, 51, at::kByte);
    const at::Tensor resized = pilResize(flat, 20, 5, PilFilter::Bilinear);
    CHECK(resized.sizes() == at::IntArrayRef({20, 5, 3}));
    CHECK(at::equal(resized, at::full({20, 5, 3}, 51, at::kByte)));
    CHECK_THROWS_AS(pilResize(at::zeros({4, 4}, at::kByte), 2, 2, PilFilter::Bilinear), UserError);
}

TEST_CASE("The conditioning image is resized, center-cropped and normalised to [-1, 1]",
          "[hunyuan][geometry]") {
    // 611x352 at 360p: bucket 608x352 (11/19 = 0.57895 above 0.57610), no resize (the short
    // side is 352 already), crop left round(1.5) = 2: output column j is input column j + 2.
    at::Tensor image = at::empty({352, 611, 3}, at::kByte);
    const at::Tensor columns = at::arange(611, at::kInt).remainder(256).to(at::kByte);
    image.copy_(columns.view({1, 611, 1}).expand({352, 611, 3}));
    const HunyuanI2VGeometry g = hunyuanI2VGeometry(352, 611, HunyuanI2VResolution::P360, 5);
    REQUIRE(g.height == 352);
    REQUIRE(g.width == 608);
    REQUIRE(g.cropLeft == 2);
    const at::Tensor pixels = hunyuanPreprocessImage(image, g);
    REQUIRE(pixels.sizes() == at::IntArrayRef({1, 3, 1, 352, 608}));
    REQUIRE(pixels.scalar_type() == at::kFloat);
    const at::Tensor expected = columns.slice(0, 2, 610).to(at::kFloat).div(255).sub(0.5).div(0.5);
    CHECK(at::equal(pixels[0][1][0][100], expected));
    CHECK(pixels.min().item<float>() == -1.0f);
    CHECK(pixels.max().item<float>() == 1.0f);
    // A uniform image upscaled into its bucket stays uniform: (51 / 255 - 0.5) / 0.5.
    const HunyuanI2VGeometry small = hunyuanI2VGeometry(90, 160, HunyuanI2VResolution::P360, 5);
    const at::Tensor uniform = hunyuanPreprocessImage(at::full({90, 160, 3}, 51, at::kByte), small);
    CHECK(uniform.sizes() == at::IntArrayRef({1, 3, 1, 352, 608}));
    const float value = at::full({1}, 51.0f).div(255).sub(0.5).div(0.5).item<float>();
    CHECK(at::equal(uniform, at::full_like(uniform, value)));
    CHECK_THROWS_WITH(hunyuanPreprocessImage(at::zeros({90, 161, 3}, at::kByte), small),
                      Contains("161x90"));
    CHECK(at::equal(hunyuanNegativeImage(image), at::zeros({352, 611, 3}, at::kByte)));
}

TEST_CASE("The latent preview maps 16 channels to RGB with ComfyUI's HunyuanVideo factors",
          "[hunyuan][geometry]") {
    // A zero latent shows the bias: (bias + 1) * 127.5, rounded.
    const at::Tensor zero = at::zeros({1, 16, 3, 2, 4});
    const at::Tensor rgb = hunyuanLatentPreview(zero);
    REQUIRE(rgb.sizes() == at::IntArrayRef({2, 4, 3}));
    REQUIRE(rgb.scalar_type() == at::kByte);
    CHECK(rgb[0][0][0].item<int>() == 131);  // (0.0259 + 1) * 127.5 = 130.80
    CHECK(rgb[0][0][1].item<int>() == 125);  // (1 - 0.0192) * 127.5 = 125.05
    CHECK(rgb[0][0][2].item<int>() == 118);  // (1 - 0.0761) * 127.5 = 117.80
    // Channel 12 alone (factors -0.2315, -0.1920, -0.1355) on the middle frame only.
    at::Tensor one = at::zeros({16, 3, 2, 4});
    one[12][1].fill_(1.0);
    const at::Tensor middle = hunyuanLatentPreview(one);
    CHECK(middle[1][3][0].item<int>() == 101);  // (1 + 0.0259 - 0.2315) * 127.5 = 101.21
    CHECK(at::equal(hunyuanLatentPreview(one, 0), rgb));
    CHECK_THROWS_AS(hunyuanLatentPreview(at::zeros({4, 3, 2, 2})), UserError);
}
