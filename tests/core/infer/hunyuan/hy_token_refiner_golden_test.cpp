// HunyuanVideo's token refiner (core/infer/models/hunyuan/hy_token_refiner, the DiT's txt_in)
// against the reference's golden data (../shared/golden/hunyuan, README
// "hunyuan_token_refiner"): built from the case's config, loaded by the reference's names
// (here without the DiT's "txt_in." prefix) and run on the case's inputs.
#include "core/infer/layers/module_weights.h"
#include "core/infer/models/hunyuan/hy_token_refiner.h"
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/weights/safetensors_reader.h"
#include "tests/core/infer/golden_cases.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <iostream>
#include <memory>

using namespace storyreel::infer;
using namespace storyreel::infer::hunyuan;
using storyreel::test::GoldenCase;
using storyreel::test::goldenCases;
using storyreel::test::relativeError;

TEST_CASE("HunyuanVideo token refiner matches the reference on every golden case",
          "[infer][hunyuan]") {
    const std::vector<GoldenCase> cases = goldenCases("hunyuan", "hunyuan_token_refiner");
    REQUIRE_FALSE(cases.empty());
    for (const GoldenCase& golden : cases) {
        std::cout << "checking " << golden.name << "\n";
        const auto number = [&](const char* key) {
            const JsonValue* value = golden.config.find(key);
            REQUIRE(value != nullptr);
            return *value->asDouble();
        };
        // The port implements the refiner as SingleTokenRefiner builds it (no q/k norm).
        REQUIRE_FALSE(golden.config.find("qk_norm")->boolean());
        REQUIRE(golden.config.find("act_type")->text() == "silu");
        const std::unique_ptr<CheckpointFile> file = openCheckpoint(golden.weights);
        const InternalView view(*file, ModelFamily::HunyuanDiT, CheckpointLayout::Official);
        const ModuleWeights weights(view, {}, "HunyuanVideo token refiner", golden.name);
        const HunyuanTokenRefiner refiner(
            weights, "", static_cast<std::int64_t>(number("in_channels")),
            static_cast<std::int64_t>(number("hidden_size")),
            static_cast<std::int64_t>(number("heads_num")),
            static_cast<std::int64_t>(number("depth")), number("mlp_width_ratio"));

        const SafetensorsReader io(golden.io);
        const at::Tensor x = io.tensor("in.x");
        const at::Tensor t = io.tensor("in.t");
        const at::Tensor mask = io.tensor("in.mask").to(at::kLong);
        REQUIRE((mask == 0).any().item<bool>());  // the case has padding to check
        const at::Tensor out = refiner.forward(x, t, mask);
        const at::Tensor want = io.tensor("out.out");
        REQUIRE(out.sizes() == want.sizes());
        const double error = relativeError(out, want);
        std::cout << "  " << golden.name << " out.out: rel. error " << error << " (tolerance "
                  << golden.tolerance << ")\n";
        CHECK(error <= golden.tolerance);
        CHECK(at::isfinite(out).all().item<bool>());  // padded rows attend to token 0

        // Valid rows do not see the padding; a mask row without tokens is refused.
        at::manual_seed(5);
        const at::Tensor padded = (mask == 0).unsqueeze(-1);
        const at::Tensor altered =
            refiner.forward(at::where(padded, at::randn_like(x), x), t, mask);
        const at::Tensor valid = (mask != 0).unsqueeze(-1).expand_as(out);
        CHECK(relativeError(altered.masked_select(valid), want.masked_select(valid)) <= 1e-6);
        CHECK_THROWS_AS(refiner.forward(x, t, at::zeros_like(mask)), std::invalid_argument);
    }
}
