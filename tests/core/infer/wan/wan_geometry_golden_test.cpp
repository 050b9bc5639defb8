// Checks the I2V geometry against the reference (../shared/golden/wan, kind
// "wan_i2v_geometry"): for every sub-case of every case, the video and latent sizes, the
// latent frame count, the DiT's sequence length and the first-frame mask, all exactly.
#include "core/base/user_error.h"
#include "core/infer/models/wan/wan_i2v_geometry.h"
#include "core/infer/weights/json_value.h"
#include "core/infer/weights/safetensors_reader.h"
#include "tests/core/infer/golden_cases.h"
#include "tests/core/infer/wan/golden_io.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <iostream>
#include <string>

using Catch::Matchers::Contains;
using storyreel::UserError;
using storyreel::infer::JsonValue;
using storyreel::infer::kWanMaxArea480p;
using storyreel::infer::kWanMaxArea720p;
using storyreel::infer::SafetensorsReader;
using storyreel::infer::wanDefaultI2VShift;
using storyreel::infer::wanFirstFrameMask;
using storyreel::infer::WanGeometryConfig;
using storyreel::infer::wanI2VGeometry;
using storyreel::infer::WanI2VGeometry;
using storyreel::test::GoldenCase;
using storyreel::test::goldenCases;
using storyreel::test::goldenKeys;
using storyreel::test::int64Tensor;

namespace {

std::array<std::int64_t, 3> triple(const GoldenCase& golden, const char* key) {
    const JsonValue* value = golden.config.find(key);
    INFO(golden.name << ": config " << key);
    REQUIRE(value != nullptr);
    REQUIRE(value->size() == 3);
    return {*value->at(0).asInt64(), *value->at(1).asInt64(), *value->at(2).asInt64()};
}

WanGeometryConfig geometryConfig(const GoldenCase& golden) {
    WanGeometryConfig config;
    config.vaeStride = triple(golden, "vae_stride");
    config.patchSize = triple(golden, "patch_size");
    const JsonValue* spSize = golden.config.find("sp_size");
    REQUIRE(spSize != nullptr);
    config.spSize = *spSize->asInt64();
    return config;
}

std::int64_t scalar(const SafetensorsReader& io, const std::string& name) {
    const at::Tensor value = int64Tensor(io, name);
    REQUIRE(value.numel() == 1);
    return value.item<std::int64_t>();
}

void checkSubCase(const GoldenCase& golden, const SafetensorsReader& io,
                  const WanGeometryConfig& config, const std::string& key) {
    const at::Tensor imageHw = int64Tensor(io, "in." + key + ".image_hw");
    const std::int64_t imageHeight = imageHw[0].item<std::int64_t>();
    const std::int64_t imageWidth = imageHw[1].item<std::int64_t>();
    const std::int64_t maxArea = scalar(io, "in." + key + ".max_area");
    const std::int64_t frames = scalar(io, "in." + key + ".frame_num");

    const WanI2VGeometry g = wanI2VGeometry(imageHeight, imageWidth, maxArea, frames, config);
    const at::Tensor mask = wanFirstFrameMask(g);
    std::cout << golden.name << " " << key << ": image " << imageWidth << "x" << imageHeight
              << " (WxH), max_area " << maxArea << ", " << frames << " frames -> video " << g.width
              << "x" << g.height << ", latent " << g.latentFrames << "x" << g.latentHeight << "x"
              << g.latentWidth << ", seq_len " << g.seqLen << "\n";

    INFO(golden.name << " " << key);
    const at::Tensor latHw = int64Tensor(io, "out." + key + ".lat_hw");
    CHECK(g.latentHeight == latHw[0].item<std::int64_t>());
    CHECK(g.latentWidth == latHw[1].item<std::int64_t>());
    const at::Tensor pixelHw = int64Tensor(io, "out." + key + ".pixel_hw");
    CHECK(g.height == pixelHw[0].item<std::int64_t>());
    CHECK(g.width == pixelHw[1].item<std::int64_t>());
    CHECK(g.latentFrames == scalar(io, "out." + key + ".lat_frames"));
    CHECK(g.seqLen == scalar(io, "out." + key + ".seq_len"));
    // The VAE encodes the image followed by frames - 1 zero frames.
    CHECK(g.frames == scalar(io, "out." + key + ".vae_frames"));
    // CLIP receives the image at its own size, whatever the geometry.
    CHECK(at::equal(int64Tensor(io, "out." + key + ".clip_input_hw"), imageHw));

    // msk_profile [4, lat_frames] is the reference's mask at any (h, w): it is constant there.
    const at::Tensor profile = io.tensor("out." + key + ".msk_profile");
    REQUIRE(mask.sizes() == at::IntArrayRef({4, g.latentFrames, g.latentHeight, g.latentWidth}));
    CHECK(mask.scalar_type() == at::kFloat);
    CHECK(at::equal(mask, profile.view({4, g.latentFrames, 1, 1}).expand_as(mask)));
}

}  // namespace

TEST_CASE("Wan I2V geometry matches the reference exactly", "[infer][wan][geometry]") {
    const std::vector<GoldenCase> cases = goldenCases("wan", "wan_i2v_geometry");
    REQUIRE_FALSE(cases.empty());
    for (const GoldenCase& golden : cases) {
        REQUIRE(golden.tolerance == 0.0);
        const WanGeometryConfig config = geometryConfig(golden);
        const SafetensorsReader io(golden.io);
        const std::vector<std::string> keys = goldenKeys(io, "inputs", "image_hw");
        REQUIRE_FALSE(keys.empty());
        for (const std::string& key : keys) {
            checkSubCase(golden, io, config, key);
        }
    }
}

TEST_CASE("Wan I2V geometry refuses frame counts that are not 4n+1 and empty videos",
          "[infer][wan][geometry]") {
    CHECK_NOTHROW(wanI2VGeometry(480, 832, kWanMaxArea480p, 1));
    CHECK_THROWS_AS(wanI2VGeometry(480, 832, kWanMaxArea480p, 80), UserError);
    CHECK_THROWS_WITH(wanI2VGeometry(480, 832, kWanMaxArea480p, 80), Contains("4n+1"));
    CHECK_THROWS_WITH(wanI2VGeometry(480, 832, 100, 81), Contains("larger size"));
    CHECK_THROWS_AS(wanI2VGeometry(0, 832, kWanMaxArea480p, 81), std::invalid_argument);
}

TEST_CASE("Wan I2V defaults follow generate.py", "[infer][wan][geometry]") {
    CHECK(wanDefaultI2VShift(kWanMaxArea480p) == 3.0);
    CHECK(wanDefaultI2VShift(kWanMaxArea720p) == 5.0);
    // sqrt(399360 * (480 / 832)) is 479.99999999999994 in float64, so the reference turns an
    // 832x480 image into an 832x464 video at 480p; a 1280x720 image stays 1280x720 at 720p.
    const WanI2VGeometry g480 = wanI2VGeometry(480, 832, kWanMaxArea480p, 81);
    CHECK(g480.height == 464);
    CHECK(g480.width == 832);
    CHECK(g480.latentFrames == 21);
    CHECK(g480.seqLen == 21 * 58 * 104 / 4);
    const WanI2VGeometry g720 = wanI2VGeometry(720, 1280, kWanMaxArea720p, 81);
    CHECK(g720.height == 720);
    CHECK(g720.width == 1280);
    CHECK(g720.seqLen == 21 * 90 * 160 / 4);
}
