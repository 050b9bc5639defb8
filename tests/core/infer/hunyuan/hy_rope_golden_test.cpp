// HunyuanVideo's rotary position embedding (core/infer/models/hunyuan/hy_rope) against the
// reference's golden data (../shared/golden/hunyuan, README "hunyuan_rope"): the tables
// get_rotary_pos_embed computes for a video size, with and without RIFLEx, and
// apply_rotary_emb on q and k.
#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/hy_dit_config.h"
#include "core/infer/models/hunyuan/hy_rope.h"
#include "core/infer/weights/safetensors_reader.h"
#include "tests/core/infer/golden_cases.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <iostream>
#include <map>
#include <string>

using namespace storyreel::infer;
using namespace storyreel::infer::hunyuan;
using storyreel::test::GoldenCase;
using storyreel::test::goldenCases;
using storyreel::test::relativeError;

namespace {

// README "hunyuan_rope": suggested tolerance 1e-5 (the files carry none).
constexpr double kRopeTolerance = 1e-5;

std::int64_t intOf(const JsonValue& object, const char* key) {
    const JsonValue* value = object.find(key);
    REQUIRE(value != nullptr);
    REQUIRE(value->asInt64().has_value());
    return *value->asInt64();
}

std::array<std::int64_t, 3> ints3(const JsonValue& object, const char* key) {
    const JsonValue* value = object.find(key);
    REQUIRE(value != nullptr);
    REQUIRE(value->size() == 3);
    return {*value->at(0).asInt64(), *value->at(1).asInt64(), *value->at(2).asInt64()};
}

// A DiT configuration with the case's head (one head of head_dim) and patch.
HunyuanDiTConfig ropeConfig(const JsonValue& config) {
    HunyuanDiTConfig dit;
    dit.headsNum = 1;
    dit.hiddenSize = intOf(config, "head_dim");
    dit.ropeDimList = ints3(config, "rope_dim_list");
    dit.patchSize = ints3(config, "patch_size");
    dit.ropeTheta = *config.find("theta")->asDouble();
    dit.validate();
    return dit;
}

}  // namespace

TEST_CASE("HunyuanVideo RoPE tables and rotation match the reference on every golden case",
          "[infer][hunyuan]") {
    const std::vector<GoldenCase> cases = goldenCases("hunyuan", "hunyuan_rope");
    REQUIRE_FALSE(cases.empty());
    for (const GoldenCase& golden : cases) {
        std::cout << "checking " << golden.name << "\n";
        const double tolerance = std::min(golden.tolerance, kRopeTolerance);
        const HunyuanDiTConfig config = ropeConfig(golden.config);
        const JsonValue& grid = *golden.config.find("grid");
        const JsonValue& riflexGrid = *golden.config.find("riflex_grid");

        const auto size = [&](const JsonValue& g) {
            return std::array<std::int64_t, 3>{intOf(g, "video_length"), intOf(g, "height"),
                                               intOf(g, "width")};
        };
        const auto [frames, height, width] = size(grid);
        CHECK(hunyuanRopeGrid(config, frames, height, width) == ints3(grid, "rope_sizes"));
        CHECK_FALSE(hunyuanRiflex(frames, ints3(grid, "rope_sizes")[0]).has_value());
        const HunyuanRotaryTables tables = hunyuanRotaryTables(config, frames, height, width);

        const auto [rFrames, rHeight, rWidth] = size(riflexGrid);
        const std::array<std::int64_t, 3> riflexSizes = ints3(riflexGrid, "rope_sizes");
        CHECK(hunyuanRopeGrid(config, rFrames, rHeight, rWidth) == riflexSizes);
        const auto riflex = hunyuanRiflex(rFrames, riflexSizes[0]);
        REQUIRE(riflex.has_value());
        CHECK(riflex->k == intOf(riflexGrid, "k"));
        CHECK(riflex->latentFrames == intOf(riflexGrid, "L_test"));
        const HunyuanRotaryTables riflexTables =
            hunyuanRotaryTables(config, rFrames, rHeight, rWidth);

        const SafetensorsReader io(golden.io);
        const std::map<std::string, at::Tensor> got = {
            {"out.freqs_cos", tables.cos},
            {"out.freqs_sin", tables.sin},
            {"out.q_rot", applyHunyuanRope(io.tensor("in.q"), tables.cos, tables.sin)},
            {"out.k_rot", applyHunyuanRope(io.tensor("in.k"), tables.cos, tables.sin)},
            {"out.riflex_freqs_cos", riflexTables.cos},
            {"out.riflex_freqs_sin", riflexTables.sin},
        };
        for (const std::string& name : io.names()) {
            if (name.rfind("out.", 0) != 0) {
                continue;
            }
            REQUIRE(got.count(name) == 1);
            const at::Tensor want = io.tensor(name);
            REQUIRE(got.at(name).sizes() == want.sizes());
            const double error = relativeError(got.at(name), want);
            std::cout << "  " << golden.name << " " << name << ": rel. error " << error
                      << " (tolerance " << tolerance << ")\n";
            CHECK(error <= tolerance);
        }
        // RIFLEx changes only the temporal frequency k-1 (channels 2(k-1), 2(k-1)+1).
        const HunyuanRotaryTables plain =
            hunyuanRotaryTables(config.ropeDimList, riflexSizes, config.ropeTheta, std::nullopt);
        const at::Tensor differs = (plain.cos != riflexTables.cos).any(0);
        CHECK(differs.nonzero().reshape({-1}).equal(
            at::tensor({2 * (riflex->k - 1), 2 * (riflex->k - 1) + 1}, at::kLong)));
    }
}

TEST_CASE("HunyuanVideo RoPE refuses sizes that are not whole patches", "[infer][hunyuan]") {
    using Catch::Contains;
    CHECK_THROWS_WITH(hunyuanRotaryTables(kHunyuanVideoI2V, 129, 720, 1272),
                      Contains("multiples of 16"));
    CHECK_THROWS_AS(hunyuanRotaryTables(kHunyuanVideoI2V, 0, 720, 1280), storyreel::UserError);
    // 129 frames at 720p: 33 x 45 x 80 tokens of 128 channels.
    const HunyuanRotaryTables tables = hunyuanRotaryTables(kHunyuanVideoI2V, 129, 720, 1280);
    CHECK(tables.cos.sizes() == at::IntArrayRef({33 * 45 * 80, 128}));
    CHECK_THROWS_AS(applyHunyuanRope(at::zeros({1, 5, 2, 128}), tables.cos, tables.sin),
                    std::invalid_argument);
}
