// The Wan 2.1 VAE port against the golden data computed by the reference
// (../shared/golden/wan, kind wan_vae): every case is built from its own config, loads its
// weights by the reference's names and must reproduce every out.* tensor within the
// suggested tolerance. Also: tiled decoding against the untiled one, and the messages for
// weights that do not fit the config.
#include "core/base/cancel_token.h"
#include "core/base/user_error.h"
#include "core/infer/models/wan/wan_vae.h"
#include "core/infer/models/wan/wan_vae_config.h"
#include "core/infer/models/wan/wan_vae_tiling.h"
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
#include <optional>
#include <string>
#include <vector>

using namespace storyreel::infer;
using namespace storyreel::infer::wan;
using Catch::Matchers::Contains;
using storyreel::test::goldenCases;
using storyreel::test::relativeError;

TEST_CASE("The Wan VAE port encodes and decodes like the reference on every golden case",
          "[infer][wan][vae]") {
    const std::vector<storyreel::test::GoldenCase> cases = goldenCases("wan", "wan_vae");
    REQUIRE_FALSE(cases.empty());
    for (const auto& golden : cases) {
        std::cout << "checking " << golden.name << " (" << golden.call << ")\n";
        INFO(golden.name);
        REQUIRE_FALSE(golden.weights.empty());
        const WanVAE vae = WanVAE::open(golden.weights, WanVAEConfig::fromJson(golden.config));
        const SafetensorsReader io(golden.io);

        // The Call line: latent = vae.encode([video])[0]; decoded = vae.decode([latent])[0];
        // decoded_random = vae.decode([z_random])[0]; mu = vae.model.encode(video[None],
        // [0.0, 1.0])[0]; decoded_raw = vae.model.decode(latent[None], vae.scale)[0] (no
        // clamp). The decodes take the reference's latent (out.latent), which is what its
        // own decode received, so a decode error is not mixed with an encode error.
        const at::Tensor video = io.tensor("in.video");
        const at::Tensor zRandom = io.tensor("in.z_random");
        const at::Tensor latent = io.tensor("out.latent");
        std::map<std::string, at::Tensor> got;
        got["out.latent"] = vae.encode(video);
        got["out.mu"] = vae.model().encode(video.unsqueeze(0)).squeeze(0);
        got["out.decoded"] = vae.decode(latent);
        got["out.decoded_raw"] = vae.decodeUnclamped(latent);
        got["out.decoded_random"] = vae.decode(zRandom);
        got["out.decoded_random_raw"] = vae.decodeUnclamped(zRandom);

        // The wrapper's statistics are the reference's.
        CHECK(relativeError(at::tensor(at::ArrayRef<float>(kWanLatentMean.data(), 16)),
                            io.tensor("dbg.latents_mean")) == 0.0);
        CHECK(relativeError(at::tensor(at::ArrayRef<float>(kWanLatentStd.data(), 16)),
                            io.tensor("dbg.latents_std")) == 0.0);

        storyreel::test::checkGoldenOutputs(io, got, golden.tolerance);
    }
}

TEST_CASE("A tiled Wan VAE decode stays within 1% of the untiled decode", "[infer][wan][vae]") {
    const std::vector<storyreel::test::GoldenCase> cases = goldenCases("wan", "wan_vae");
    REQUIRE_FALSE(cases.empty());
    for (const auto& golden : cases) {
        INFO(golden.name);
        const WanVAE vae = WanVAE::open(golden.weights, WanVAEConfig::fromJson(golden.config));
        // 4x4 latent tiles overlapping by 1, with the default context (the decoder's reach,
        // 13 latent pixels here). On 8x12 (3 x 4 tiles) that context reaches every edge; on
        // 8x24 (3 x 8 tiles) most tiles are decoded from a crop of the frame.
        for (const std::int64_t width : {12, 24}) {
            at::manual_seed(1234);
            const at::Tensor latent = at::randn({16, 3, 8, width});
            const VAETiles tiles{4, 1, std::nullopt};
            const at::Tensor whole = vae.decode(latent);
            const at::Tensor tiled = decodeTiled(vae, latent, tiles);
            REQUIRE(storyreel::test::shapeOf(tiled) == storyreel::test::shapeOf(whole));
            const double difference = relativeError(tiled, whole);
            std::cout << "tiling " << golden.name << ": latent " << storyreel::test::shapeOf(latent)
                      << ", 4x4 tiles, overlap 1, context " << vae.model().upsamplingReach()
                      << ": rel. difference " << difference << "\n";
            CHECK(difference < 0.01);
        }
    }
}

TEST_CASE("Tile spans cover the latent with the overlap asked for, and ramps sum to one",
          "[infer][wan][vae]") {
    for (const std::int64_t length : {1, 4, 5, 8, 12, 13, 60, 104}) {
        const std::vector<TileSpan> spans = planTileSpans(length, 4, 1);
        INFO("length " << length);
        CHECK(spans.front().start == 0);
        CHECK(spans.back().start + spans.back().size == length);
        for (std::size_t i = 1; i < spans.size(); ++i) {
            CHECK(spans[i - 1].start + spans[i - 1].size - spans[i].start >= 1);
            CHECK(spans[i].start > spans[i - 1].start);
        }
    }
    CHECK_THROWS_AS(planTileSpans(8, 4, 4), std::invalid_argument);
    const at::Tensor left = tileRamp(16, 0, 8);
    const at::Tensor right = tileRamp(16, 8, 0);
    CHECK(at::allclose(left.narrow(0, 8, 8) + right.narrow(0, 0, 8), at::ones({8})));
    CHECK(left.narrow(0, 0, 8).eq(1).all().item<bool>());

    VaeTiling profile{true, 256, 64};
    const auto tiles = vaeTilesFromProfile(profile, 8);
    REQUIRE(tiles);
    CHECK(tiles->tile == 32);
    CHECK(tiles->overlap == 8);
    CHECK_FALSE(vaeTilesFromProfile(VaeTiling{}, 8));
}

TEST_CASE("Wan VAE weights that do not fit the config are refused by tensor and file",
          "[infer][wan][vae]") {
    const std::vector<storyreel::test::GoldenCase> cases = goldenCases("wan", "wan_vae");
    REQUIRE_FALSE(cases.empty());
    const auto& golden = cases.front();
    const WanVAEConfig config = WanVAEConfig::fromJson(golden.config);

    WanVAEConfig wider = config;
    wider.dim *= 2;
    REQUIRE_THROWS_WITH(WanVAE::open(golden.weights, wider),
                        Contains("encoder.conv1.weight") && Contains("has shape") &&
                            Contains(golden.weights.filename().string()));

    const std::filesystem::path dir = storyreel::test::freshDir("wan_vae");
    storyreel::test::NamedTensors tensors = storyreel::test::readAll(golden.weights);
    std::erase_if(tensors, [](const auto& t) { return t.first == "decoder.head.2.bias"; });
    storyreel::test::writeSafetensors(dir / "vae.safetensors", tensors);
    REQUIRE_THROWS_WITH(
        WanVAE::open(dir / "vae.safetensors", config),
        Contains("decoder.head.2.bias") && Contains("missing") && Contains("vae.safetensors"));

    tensors.emplace_back("decoder.head.2.bias", at::zeros({3}));
    tensors.emplace_back("decoder.upsamples.99.residual.0.gamma", at::ones({8, 1, 1, 1}));
    storyreel::test::writeSafetensors(dir / "extra.safetensors", tensors);
    REQUIRE_THROWS_WITH(WanVAE::open(dir / "extra.safetensors", config),
                        Contains("decoder.upsamples.99.residual.0.gamma"));

    REQUIRE_THROWS_WITH(WanVAEConfig::fromJson(parseJson(R"({"temperal_downsample": [true]})")),
                        Contains("temperal_downsample"));

    const std::filesystem::path dit =
        golden.weights.parent_path() / "wan_dit_t2v.weights.safetensors";
    if (std::filesystem::exists(dit)) {
        REQUIRE_THROWS_WITH(WanVAE::open(dit, config),
                            Contains("is not a Wan 2.1 VAE") && Contains(dit.filename().string()));
    }
}

TEST_CASE("The Wan VAE drops frames past the last chunk of 4 and stops when cancelled",
          "[infer][wan][vae]") {
    const std::vector<storyreel::test::GoldenCase> cases = goldenCases("wan", "wan_vae");
    REQUIRE_FALSE(cases.empty());
    const auto& golden = cases.front();
    const WanVAE vae = WanVAE::open(golden.weights, WanVAEConfig::fromJson(golden.config));
    const SafetensorsReader io(golden.io);
    const at::Tensor video = io.tensor("in.video");  // 5 frames = 1 + 4
    at::manual_seed(7);
    const at::Tensor longer = at::cat({video, at::rand({3, 3, video.size(2), video.size(3)})}, 1);
    // 8 frames: chunks [0], [1..4]; frames 5..7 are dropped, as in the reference.
    const at::Tensor latent = vae.encode(longer);
    CHECK(latent.size(1) == 2);
    CHECK(relativeError(latent, io.tensor("out.latent")) <= golden.tolerance);

    storyreel::CancelToken cancel;
    cancel.requestCancel();
    CHECK_THROWS_AS(vae.decode(latent, &cancel), storyreel::Cancelled);
    CHECK_THROWS_AS(vae.encode(video, &cancel), storyreel::Cancelled);
    CHECK_THROWS_AS(decodeTiled(vae, latent, VAETiles{2, 1, 0}, &cancel), storyreel::Cancelled);
}
