// Replays the reference's FlowMatchDiscreteScheduler schedules (../shared/golden/hunyuan, kind
// "hunyuan_scheduler"): every stored tag "shift<S>_steps<N>" is rebuilt from its shift and
// step count with the case's reverse / solver / num_train_timesteps, and its timesteps and
// sigmas compared within the suggested tolerance (and reported when bit-exact).
#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/hy_scheduler.h"
#include "core/infer/weights/json_value.h"
#include "core/infer/weights/safetensors_reader.h"
#include "tests/core/infer/golden_cases.h"
#include "tests/core/infer/wan/golden_io.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <iostream>
#include <regex>
#include <string>
#include <vector>

using Catch::Matchers::Contains;
using storyreel::UserError;
using storyreel::infer::JsonValue;
using storyreel::infer::SafetensorsReader;
using storyreel::infer::hunyuan::FlowMatchDiscreteScheduler;
using storyreel::infer::hunyuan::hunyuanFlowSigmas;
using storyreel::test::GoldenCase;
using storyreel::test::goldenCases;
using storyreel::test::goldenKeys;
using storyreel::test::relativeError;

namespace {

struct Tag {
    double shift = 0.0;
    std::int64_t steps = 0;
};

// The README names the tags "shift<S>_steps<N>" (shift7_steps50).
Tag parseTag(const std::string& key) {
    static const std::regex pattern(R"(shift(\d+(?:\.\d+)?)_steps(\d+))");
    std::smatch match;
    INFO("tag " << key);
    REQUIRE(std::regex_match(key, match, pattern));
    return {std::stod(match[1].str()), std::stoll(match[2].str())};
}

const JsonValue& configEntry(const GoldenCase& golden, const char* key) {
    const JsonValue* value = golden.config.find(key);
    INFO(golden.name << ": config has no " << key);
    REQUIRE(value != nullptr);
    return *value;
}

bool listHolds(const JsonValue& list, double value) {
    for (const JsonValue& item : list.items()) {
        if (item.asDouble() && *item.asDouble() == value) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("The Hunyuan scheduler reproduces the reference's timesteps and sigmas",
          "[hunyuan][scheduler]") {
    const std::vector<GoldenCase> cases = goldenCases("hunyuan", "hunyuan_scheduler");
    REQUIRE_FALSE(cases.empty());
    for (const GoldenCase& golden : cases) {
        const bool reverse = configEntry(golden, "reverse").boolean();
        const std::string solver = configEntry(golden, "solver").text();
        const std::int64_t trainTimesteps = *configEntry(golden, "num_train_timesteps").asInt64();
        const JsonValue& shifts = configEntry(golden, "shifts");
        const JsonValue& stepCounts = configEntry(golden, "steps");
        const SafetensorsReader io(golden.io);
        const std::vector<std::string> keys = goldenKeys(io, "outputs", "timesteps");
        REQUIRE_FALSE(keys.empty());
        for (const std::string& key : keys) {
            const Tag tag = parseTag(key);
            INFO(golden.name << " " << key);
            CHECK(listHolds(shifts, tag.shift));
            CHECK(listHolds(stepCounts, static_cast<double>(tag.steps)));
            FlowMatchDiscreteScheduler scheduler(tag.shift, reverse, solver, trainTimesteps);
            scheduler.setTimesteps(tag.steps);
            const at::Tensor wantTimesteps = io.tensor("out." + key + ".timesteps");
            const at::Tensor wantSigmas = io.tensor("out." + key + ".sigmas");
            REQUIRE(scheduler.timesteps().sizes() == wantTimesteps.sizes());
            REQUIRE(scheduler.sigmas().sizes() == wantSigmas.sizes());
            const double timestepError = relativeError(scheduler.timesteps(), wantTimesteps);
            const double sigmaError = relativeError(scheduler.sigmas(), wantSigmas);
            CHECK(timestepError <= golden.tolerance);
            CHECK(sigmaError <= golden.tolerance);
            const bool exact = at::equal(scheduler.timesteps(), wantTimesteps) &&
                               at::equal(scheduler.sigmas(), wantSigmas);
            std::cout << golden.name << " " << key << " (shift " << tag.shift << ", " << tag.steps
                      << " steps): timesteps rel. error " << timestepError << ", sigmas rel. error "
                      << sigmaError << (exact ? " (bit-exact)" : "") << "\n";
        }
    }
}

TEST_CASE("The Hunyuan scheduler steps x + v * (sigma[i+1] - sigma[i]) in float32",
          "[hunyuan][scheduler]") {
    FlowMatchDiscreteScheduler scheduler(7.0);
    scheduler.setTimesteps(3);
    // s = 1, 2/3, 1/3, 0 -> 7s / (1 + 6s): 1, 14/15, 7/9, 0 (float32)
    const at::Tensor sigmas = scheduler.sigmas();
    CHECK(sigmas[0].item<float>() == 1.0f);
    CHECK(sigmas[1].item<float>() == Approx(14.0 / 15.0).epsilon(1e-6));
    CHECK(sigmas[2].item<float>() == Approx(7.0 / 9.0).epsilon(1e-6));
    CHECK(sigmas[3].item<float>() == 0.0f);
    CHECK(scheduler.timesteps()[1].item<float>() == Approx(1000.0 * 14.0 / 15.0).epsilon(1e-6));
    CHECK_FALSE(scheduler.stepIndex().has_value());

    const at::Tensor x = at::ones({2, 3}, at::kDouble);  // upcast to float32 like the reference
    const at::Tensor v = at::full({2, 3}, 2.0);
    const at::Tensor first = scheduler.step(v, scheduler.timesteps()[0], x);
    CHECK(first.scalar_type() == at::kFloat);
    const float dt0 = (sigmas[1] - sigmas[0]).item<float>();
    CHECK(at::equal(first, at::full({2, 3}, 1.0f + 2.0f * dt0)));
    CHECK(scheduler.stepIndex() == 1);
    // Later steps advance by one whatever timestep they are given, as the reference does.
    scheduler.step(v, scheduler.timesteps()[0], first);
    scheduler.step(v, scheduler.timesteps()[0], first);
    CHECK_THROWS_AS(scheduler.step(v, scheduler.timesteps()[0], first), std::logic_error);

    // Not reversed: 1 - sigmas, so the schedule runs from 0 up.
    const at::Tensor forward = hunyuanFlowSigmas(3, 7.0, false);
    CHECK(at::equal(forward, 1 - sigmas));

    FlowMatchDiscreteScheduler other(17.0);
    other.setTimesteps(4);
    CHECK_THROWS_WITH(other.step(v, at::scalar_tensor(123.0), x), Contains("123"));
    CHECK_THROWS_WITH(other.step(v, other.timesteps()[0], at::ones({3, 2})),
                      Contains("does not match"));
    CHECK_THROWS_WITH(FlowMatchDiscreteScheduler(7.0, true, "heun"), Contains("heun"));
    CHECK_THROWS_AS(FlowMatchDiscreteScheduler(0.0), UserError);
    CHECK_THROWS_AS(hunyuanFlowSigmas(0, 7.0), UserError);
}
