// The HunyuanVideo VAE port against the golden data computed by the reference
// (../shared/golden/hunyuan, kind hunyuan_vae): every case is built from its own config,
// loads its weights by the reference's names and must reproduce every out.* tensor within
// the suggested tolerance: the posterior, the untiled decode, the I2V image latents, the
// temporally + spatially tiled decode and the spatially tiled encode. Also: the tiling
// arithmetic on tile functions whose untiled result is known, and the messages for weights
// and inputs that do not fit.
#include "core/base/cancel_token.h"
#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/hy_vae_config.h"
#include "core/infer/models/hunyuan/hy_vae_model.h"
#include "core/infer/models/hunyuan/hy_vae_tiling.h"
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/registry/model_family.h"
#include "core/infer/weights/json_value.h"
#include "core/infer/weights/safetensors_reader.h"
#include "tests/core/infer/golden_cases.h"
#include "tests/core/infer/lora/safetensors_writer.h"
#include "tests/core/infer/registry/registry_files.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace storyreel::infer;
using namespace storyreel::infer::hunyuan;
using Catch::Matchers::Contains;
using storyreel::test::goldenCases;
using storyreel::test::relativeError;

namespace {

std::vector<storyreel::test::GoldenCase> vaeCases() {
    const std::vector<storyreel::test::GoldenCase> cases = goldenCases("hunyuan", "hunyuan_vae");
    REQUIRE_FALSE(cases.empty());
    return cases;
}

// Nearest upsampling by (temporal: first frame x1, others x4; spatial x8): a "decoder"
// whose untiled output is known, so a tiled run must give the same frames.
at::Tensor upsampleLikeDecoder(const at::Tensor& z) {
    const std::int64_t frames = z.size(2);
    at::Tensor spatial = z.repeat_interleave(8, 3).repeat_interleave(8, 4);
    if (frames == 1) {
        return spatial;
    }
    return at::cat(
        {spatial.narrow(2, 0, 1), spatial.narrow(2, 1, frames - 1).repeat_interleave(4, 2)}, 2);
}

}  // namespace

TEST_CASE("The HunyuanVideo VAE port encodes and decodes like the reference on every golden case",
          "[hunyuan][vae]") {
    for (const auto& golden : vaeCases()) {
        std::cout << "checking " << golden.name << " (" << golden.call << ")\n";
        INFO(golden.name);
        REQUIRE_FALSE(golden.weights.empty());
        const HunyuanVAEConfig config = HunyuanVAEConfig::fromJson(golden.config);
        HunyuanVAE vae = HunyuanVAE::open(golden.weights, config);
        const SafetensorsReader io(golden.io);

        // The case's tile sizes (metadata "tiling") are the ones the config implies.
        const auto tiling = io.metadata().find("tiling");
        REQUIRE(tiling != io.metadata().end());
        const JsonValue tileSizes = parseJson(tiling->second);
        CHECK(tileSizes.find("tile_sample_min_size")->asInt64() == vae.tiles().sampleSize);
        CHECK(tileSizes.find("tile_latent_min_size")->asInt64() == vae.tiles().latentSize);
        CHECK(tileSizes.find("tile_sample_min_tsize")->asInt64() == vae.tiles().sampleTsize);
        CHECK(tileSizes.find("tile_latent_min_tsize")->asInt64() == vae.tiles().latentTsize);
        CHECK(tileSizes.find("tile_overlap_factor")->asDouble() == vae.tiles().overlapFactor);

        // The Call line: posterior = vae.encode(video); decoded = vae.decode(posterior.mode());
        // image_latents_scaled = encode(image).mode() * scaling_factor; then enable_tiling():
        // decoded_tiled = decode(z_tiled), image_big_mean_tiled = encode(image_big).mode().
        // The untiled decode takes the reference's posterior mean, what its own decode got,
        // so a decode error is not mixed with an encode error.
        std::map<std::string, at::Tensor> got;
        CHECK_FALSE(vae.tiling());
        const HunyuanLatentDist posterior = vae.encode(io.tensor("in.video"));
        got["out.posterior_mean"] = posterior.mean;
        got["out.posterior_logvar"] = posterior.logvar;
        got["out.decoded"] = vae.decode(io.tensor("out.posterior_mean"));
        got["out.image_latents_scaled"] =
            vae.encode(io.tensor("in.image")).mode() * config.scalingFactor;
        vae.setTiling(true);
        CHECK(vae.tiling());
        got["out.decoded_tiled"] = vae.decode(io.tensor("in.z_tiled"));
        got["out.image_big_mean_tiled"] = vae.encode(io.tensor("in.image_big")).mode();

        storyreel::test::checkGoldenOutputs(io, got, golden.tolerance);

        // The tiled paths really tiled: the same latents decoded whole differ at the seams.
        vae.setTiling(false);
        const at::Tensor whole = vae.decode(io.tensor("in.z_tiled"));
        const double seams = relativeError(whole, io.tensor("out.decoded_tiled"));
        std::cout << "  untiled decode of z_tiled vs the tiled reference: rel. difference " << seams
                  << "\n";
        CHECK(seams > golden.tolerance);
    }
}

TEST_CASE("HunyuanVideo VAE tiling puts every tile where the untiled result has it",
          "[hunyuan][vae]") {
    HunyuanVAETiles tiles;
    tiles.sampleSize = 32;
    tiles.latentSize = 4;
    tiles.sampleTsize = 16;
    tiles.latentTsize = 4;
    at::manual_seed(3);
    // Decode: 6 latent frames (tiles at frames 0 and 3), 7 x 10 latent pixels (3 x 3 tiles).
    const at::Tensor z = at::randn({1, 2, 6, 7, 10});
    const at::Tensor whole = upsampleLikeDecoder(z);
    const at::Tensor tiled = temporalTiledDecode(z, tiles, true, upsampleLikeDecoder);
    REQUIRE(storyreel::test::shapeOf(tiled) == storyreel::test::shapeOf(whole));
    CHECK(relativeError(tiled, whole) < 1e-6);
    CHECK(relativeError(spatialTiledDecode(z, tiles, upsampleLikeDecoder), whole) < 1e-6);

    // Encode: average pooling by 8 is what a tiled encode of 40 x 56 pixels (2 x 3 tiles of
    // 32, every 24) must reproduce.
    const at::Tensor x = at::randn({1, 2, 1, 40, 56});
    const auto pool = [](const at::Tensor& tile) {
        return at::avg_pool3d(tile, {1, 8, 8}, {1, 8, 8});
    };
    const at::Tensor pooled = spatialTiledEncode(x, tiles, pool);
    REQUIRE(storyreel::test::shapeOf(pooled) == "[1, 2, 1, 5, 7]");
    CHECK(relativeError(pooled, pool(x)) < 1e-6);

    // blend_h over 2 columns: b[..., y] = a[..., -2 + y] * (1 - y / 2) + b[..., y] * (y / 2).
    const at::Tensor a = at::arange(4, at::kFloat).view({1, 1, 1, 1, 4});
    const at::Tensor b = at::full({1, 1, 1, 1, 3}, 10.0f);
    blendTiles(a, b, -1, 2);
    CHECK(b.flatten().equal(at::tensor({2.0f, 0.5f * 3.0f + 5.0f, 10.0f})));

    storyreel::CancelToken cancel;
    cancel.requestCancel();
    CHECK_THROWS_AS(temporalTiledDecode(z, tiles, true, upsampleLikeDecoder, &cancel),
                    storyreel::Cancelled);
}

TEST_CASE("The HunyuanVideo VAE config reads the released values, the JSON and the shapes",
          "[hunyuan][vae]") {
    const HunyuanVAEConfig released = HunyuanVAEConfig::released();
    CHECK(released.scalingFactor == 0.476986);
    CHECK(released.tileSampleMinSize() == 256);
    CHECK(released.tileLatentMinSize() == 32);
    CHECK(released.tileSampleMinTsize() == 64);
    CHECK(released.tileLatentMinTsize() == 16);
    CHECK(released.spatialFactor() == 8);
    CHECK(released.temporalFactor() == 4);
    // Encoder down_blocks 0: (1,2,2); 1 and 2: (2,2,2); 3: none (README "Facts for the port").
    CHECK(released.downsampleStride(0) == Triple{1, 2, 2});
    CHECK(released.downsampleStride(1) == Triple{2, 2, 2});
    CHECK(released.downsampleStride(2) == Triple{2, 2, 2});
    CHECK(released.downsampleStride(3) == Triple{1, 1, 1});

    REQUIRE_THROWS_WITH(HunyuanVAEConfig::fromJson(parseJson(R"({"act_fn": "gelu"})")),
                        Contains("act_fn"));
    REQUIRE_THROWS_WITH(HunyuanVAEConfig::fromJson(parseJson(R"({"time_compression_ratio": 8})")),
                        Contains("time_compression_ratio"));
    REQUIRE_THROWS_WITH(HunyuanVAEConfig::fromJson(parseJson(R"({"down_block_types": ["X"]})")),
                        Contains("down_block_types"));
    REQUIRE_THROWS_WITH(HunyuanVAEConfig::fromJson(parseJson(R"({"norm_num_groups": 3})")),
                        Contains("norm_num_groups"));

    // Shapes: a file with the tensors the inference reads, channels 32 and 64.
    const std::filesystem::path dir = storyreel::test::freshDir("hy_vae_shapes");
    const storyreel::test::NamedTensors tensors = {
        {"encoder.conv_in.conv.weight", at::zeros({32, 3, 3, 3, 3})},
        {"encoder.down_blocks.0.resnets.0.conv1.conv.weight", at::zeros({32, 32, 3, 3, 3})},
        {"encoder.down_blocks.0.resnets.1.conv1.conv.weight", at::zeros({32, 32, 3, 3, 3})},
        {"encoder.down_blocks.0.resnets.2.conv1.conv.weight", at::zeros({32, 32, 3, 3, 3})},
        {"encoder.down_blocks.1.resnets.0.conv1.conv.weight", at::zeros({64, 32, 3, 3, 3})},
        {"decoder.conv_out.conv.weight", at::zeros({3, 32, 3, 3, 3})},
        {"post_quant_conv.weight", at::zeros({8, 8, 1, 1, 1})}};
    storyreel::test::writeSafetensors(dir / "vae.safetensors", tensors);
    const std::unique_ptr<CheckpointFile> file = openCheckpoint(dir / "vae.safetensors");
    const ModelRecognition recognition =
        recogniseModel(file->tensors(), file->metadata(), file->architecture());
    REQUIRE(recognition.family == ModelFamily::HunyuanVAE);
    const InternalView view(*file, recognition.family, recognition.layout);
    const HunyuanVAEConfig inferred = HunyuanVAEConfig::fromWeights(view);
    CHECK(inferred.blockOutChannels == std::vector<std::int64_t>{32, 64});
    CHECK(inferred.layersPerBlock == 3);
    CHECK(inferred.latentChannels == 8);
    CHECK_FALSE(inferred.midBlockAddAttention);
    CHECK(inferred.scalingFactor == 0.476986);

    // The tiny golden VAE (8 channels) cannot have the released 32 groups.
    const auto cases = vaeCases();
    const std::unique_ptr<CheckpointFile> tiny = openCheckpoint(cases.front().weights);
    const InternalView tinyView(*tiny, ModelFamily::HunyuanVAE, CheckpointLayout::Official);
    REQUIRE_THROWS_WITH(
        HunyuanVAEConfig::fromWeights(tinyView),
        Contains("config.json") && Contains(cases.front().weights.filename().string()));
}

TEST_CASE("HunyuanVideo VAE weights and inputs that do not fit are refused by name",
          "[hunyuan][vae]") {
    const auto cases = vaeCases();
    const auto& golden = cases.front();
    const HunyuanVAEConfig config = HunyuanVAEConfig::fromJson(golden.config);
    const std::string file = golden.weights.filename().string();

    HunyuanVAEConfig wider = config;
    wider.blockOutChannels[0] *= 2;
    REQUIRE_THROWS_WITH(
        HunyuanVAE::open(golden.weights, wider),
        Contains("encoder.conv_in.conv.weight") && Contains("has shape") && Contains(file));

    const std::filesystem::path dir = storyreel::test::freshDir("hy_vae");
    storyreel::test::NamedTensors tensors = storyreel::test::readAll(golden.weights);
    std::erase_if(tensors, [](const auto& t) {
        return t.first == "decoder.mid_block.attentions.0.to_k.bias";
    });
    storyreel::test::writeSafetensors(dir / "vae.safetensors", tensors);
    REQUIRE_THROWS_WITH(HunyuanVAE::open(dir / "vae.safetensors", config),
                        Contains("decoder.mid_block.attentions.0.to_k.bias") &&
                            Contains("missing") && Contains("vae.safetensors"));

    tensors.emplace_back("decoder.mid_block.attentions.0.to_k.bias", at::zeros({16}));
    tensors.emplace_back("decoder.up_blocks.0.resnets.9.conv1.conv.weight",
                         at::zeros({16, 16, 3, 3, 3}));
    storyreel::test::writeSafetensors(dir / "extra.safetensors", tensors);
    REQUIRE_THROWS_WITH(HunyuanVAE::open(dir / "extra.safetensors", config),
                        Contains("decoder.up_blocks.0.resnets.9.conv1.conv.weight"));

    const std::filesystem::path dit =
        golden.weights.parent_path() / "hunyuan_token_refiner.weights.safetensors";
    if (std::filesystem::exists(dit)) {
        REQUIRE_THROWS_WITH(HunyuanVAE::open(dit, config), Contains("is not a HunyuanVideo VAE") &&
                                                               Contains(dit.filename().string()));
    }

    const HunyuanVAE vae = HunyuanVAE::open(golden.weights, config);
    REQUIRE_THROWS_WITH(vae.encode(at::zeros({1, 3, 6, 16, 16})),
                        Contains("6 frames") && Contains("1 + 4k"));
    REQUIRE_THROWS_WITH(vae.encode(at::zeros({1, 4, 5, 16, 16})), Contains("3 channels"));
    REQUIRE_THROWS_WITH(vae.encode(at::zeros({3, 5, 16, 16})), Contains("[3, 5, 16, 16]"));
    REQUIRE_THROWS_WITH(vae.decode(at::zeros({1, 8, 2, 2, 2})), Contains("16 channels"));

    storyreel::CancelToken cancel;
    cancel.requestCancel();
    CHECK_THROWS_AS(vae.decode(at::zeros({1, 16, 2, 2, 2}), &cancel), storyreel::Cancelled);
    CHECK_THROWS_AS(vae.encode(at::zeros({1, 3, 1, 8, 8}), &cancel), storyreel::Cancelled);
}

TEST_CASE("The HunyuanVideo VAE runs in bfloat16 close to its float32 result", "[hunyuan][vae]") {
    const auto cases = vaeCases();
    const auto& golden = cases.front();
    const HunyuanVAEConfig config = HunyuanVAEConfig::fromJson(golden.config);
    HunyuanVAEPlacement placement;
    placement.dtype = at::kBFloat16;
    HunyuanVAE vae = HunyuanVAE::open(golden.weights, config, placement);
    const SafetensorsReader io(golden.io);
    const HunyuanLatentDist posterior = vae.encode(io.tensor("in.video"));
    CHECK(posterior.mean.scalar_type() == at::kFloat);
    vae.setTiling(true);
    const at::Tensor decoded = vae.decode(io.tensor("in.z_tiled"));
    CHECK(decoded.scalar_type() == at::kFloat);
    const double meanError = relativeError(posterior.mean, io.tensor("out.posterior_mean"));
    const double tiledError = relativeError(decoded, io.tensor("out.decoded_tiled"));
    std::cout << "bfloat16: posterior_mean rel. error " << meanError << ", decoded_tiled "
              << tiledError << "\n";
    // bfloat16 keeps 8 bits of mantissa (relative rounding 2^-9 per operation).
    CHECK(meanError < 0.05);
    CHECK(tiledError < 0.05);
    CHECK(meanError > 1e-5);  // it really ran in bfloat16
}

TEST_CASE("A HunyuanVideo VAE batch of two gives each item's own result", "[hunyuan][vae]") {
    const auto cases = vaeCases();
    const auto& golden = cases.front();
    HunyuanVAE vae = HunyuanVAE::open(golden.weights, HunyuanVAEConfig::fromJson(golden.config));
    const SafetensorsReader io(golden.io);
    const at::Tensor video = io.tensor("in.video");
    at::manual_seed(11);
    const at::Tensor other = at::rand_like(video) * 2 - 1;
    const at::Tensor z = io.tensor("in.z_tiled");
    const at::Tensor otherZ = at::randn_like(z);
    // Batched convolutions block their sums differently: float32 rounding (measured 1.3e-6
    // to 2e-6, the size of the README's float32-vs-float64 figures). Items mixed up across
    // the batch would differ by order 1.
    const double rounding = 1e-5;
    for (const bool tiled : {false, true}) {
        INFO("tiling " << tiled);
        vae.setTiling(tiled);
        const at::Tensor means = vae.encode(at::cat({video, other}, 0)).mean;
        CHECK(relativeError(means.narrow(0, 0, 1), vae.encode(video).mean) < rounding);
        CHECK(relativeError(means.narrow(0, 1, 1), vae.encode(other).mean) < rounding);
        const at::Tensor decoded = vae.decode(at::cat({z, otherZ}, 0));
        CHECK(relativeError(decoded.narrow(0, 0, 1), vae.decode(z)) < rounding);
        CHECK(relativeError(decoded.narrow(0, 1, 1), vae.decode(otherZ)) < rounding);
    }
}
