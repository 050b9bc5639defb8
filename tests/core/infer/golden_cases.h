// The golden cases of a model folder (../shared/golden/wan, .../hunyuan): every
// <case>.io.safetensors whose __metadata__ "kind" is the one a test handles, with its config,
// weights file and suggested tolerance, so tests are driven by the data, never by file names
// (a new case of a known kind is tested without code changes). Also the comparison the
// golden READMEs state: ||got - want|| / ||want|| per output tensor.
//
//   for (const GoldenCase& c : goldenCases("wan", "wan_dit")) {
//       std::cout << "checking " << c.name << "\n";
//       const JsonValue& config = c.config;   // constructor arguments
//   }
//
// Thread-safety: reads files; call from the test thread.
#pragma once

#include "core/infer/weights/json_value.h"
#include "core/infer/weights/message_text.h"
#include "core/infer/weights/safetensors_reader.h"
#include "tests/core/infer/weights/golden_dir.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace storyreel::test {

struct GoldenCase {
    std::string name;               // "wan_dit_i2v"
    std::filesystem::path io;       // <case>.io.safetensors
    std::filesystem::path weights;  // <case>.weights.safetensors, empty when the case has none
    infer::JsonValue config;        // __metadata__ "config"
    std::string call;               // __metadata__ "call", for messages
    double tolerance = 1e-4;        // __metadata__ "suggested_tolerance"
};

inline std::vector<GoldenCase> goldenCases(const std::string& folder, const std::string& kind) {
    std::vector<GoldenCase> cases;
    const std::filesystem::path root = goldenDir() / folder;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(root, error)) {
        const std::string file = entry.path().filename().string();
        const std::string suffix = ".io.safetensors";
        if (file.size() <= suffix.size() || !file.ends_with(suffix)) {
            continue;
        }
        const infer::SafetensorsReader reader(entry.path());
        const auto& metadata = reader.metadata();
        const auto kindEntry = metadata.find("kind");
        if (kindEntry == metadata.end() || kindEntry->second != kind) {
            continue;
        }
        GoldenCase golden;
        golden.name = file.substr(0, file.size() - suffix.size());
        golden.io = entry.path();
        const std::filesystem::path weights = root / (golden.name + ".weights.safetensors");
        if (std::filesystem::exists(weights)) {
            golden.weights = weights;
        }
        if (const auto config = metadata.find("config"); config != metadata.end()) {
            golden.config = infer::parseJson(config->second);
        }
        if (const auto call = metadata.find("call"); call != metadata.end()) {
            golden.call = call->second;
        }
        if (const auto tolerance = metadata.find("suggested_tolerance");
            tolerance != metadata.end()) {
            golden.tolerance = std::stod(tolerance->second);
        }
        cases.push_back(std::move(golden));
    }
    std::sort(cases.begin(), cases.end(),
              [](const GoldenCase& a, const GoldenCase& b) { return a.name < b.name; });
    return cases;
}

// ||got - want|| / ||want|| in float64 (0 when both are zero).
inline double relativeError(const at::Tensor& got, const at::Tensor& want) {
    const at::Tensor a = got.to(at::kDouble).reshape({-1});
    const at::Tensor b = want.to(at::kDouble).reshape({-1});
    const double norm = b.norm().item<double>();
    const double difference = (a - b).norm().item<double>();
    return norm > 0.0 ? difference / norm : difference;
}

// "[1, 16, 2, 3, 4]", for messages and shape checks.
inline std::string shapeOf(const at::Tensor& tensor) {
    return infer::shapeText(tensor.sizes());
}

// Every out.* tensor of a case's io file against the tensor `got` holds under its name: the
// same shape and a relative error within `tolerance`, each printed. An output `got` lacks
// fails (the test does not compute it yet), and so does an entry of `got` the file lacks.
inline void checkGoldenOutputs(const infer::SafetensorsReader& io,
                               const std::map<std::string, at::Tensor>& got, double tolerance) {
    int compared = 0;
    for (const std::string& name : io.names()) {
        if (name.rfind("out.", 0) != 0) {
            continue;
        }
        INFO(name);
        const auto found = got.find(name);
        REQUIRE(found != got.end());  // an output this test does not compute yet
        const at::Tensor want = io.tensor(name);
        REQUIRE(shapeOf(found->second) == shapeOf(want));
        const double error = relativeError(found->second, want);
        std::cout << "  " << name << " " << shapeOf(want) << " rel. error " << error
                  << " (tolerance " << tolerance << ")\n";
        CHECK(error <= tolerance);
        ++compared;
    }
    CHECK(compared == static_cast<int>(got.size()));
}

}  // namespace storyreel::test
