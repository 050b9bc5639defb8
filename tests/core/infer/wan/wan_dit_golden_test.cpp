// The Wan 2.1 transformer port (core/infer/models/wan) against the reference's golden data
// (../shared/golden/wan, README "wan_dit_*"): every case of kind wan_dit is built from its
// config, loaded from its weights file by the reference's parameter names and run on its
// inputs; every wan_rope_time case checks RoPE and the timestep sinusoid. On a mismatch the
// dbg.* intermediates (the reference's forward hooks) say where the port diverges.
#include "core/base/user_error.h"
#include "core/infer/layers/quantized_linear.h"
#include "core/infer/models/wan/wan_attention.h"
#include "core/infer/models/wan/wan_config.h"
#include "core/infer/models/wan/wan_model.h"
#include "core/infer/models/wan/wan_rope.h"
#include "core/infer/models/wan/wan_weights.h"
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/registry/model_family.h"
#include "core/infer/weights/safetensors_reader.h"
#include "tests/core/infer/golden_cases.h"
#include "tests/core/infer/lora/safetensors_writer.h"
#include "tests/core/infer/registry/registry_files.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace storyreel::infer;
using namespace storyreel::infer::wan;
using storyreel::test::GoldenCase;
using storyreel::test::goldenCases;
using storyreel::test::NamedTensors;
using storyreel::test::relativeError;

namespace fs = std::filesystem;

namespace {

// A Wan DiT checkpoint opened as the application opens one: by content, recognised by its
// tensors, seen under the internal names.
struct OpenedDit {
    std::unique_ptr<CheckpointFile> file;
    std::unique_ptr<InternalView> view;
};

OpenedDit openDit(const fs::path& path) {
    OpenedDit opened;
    opened.file = openCheckpoint(path);
    const ModelRecognition r = recogniseModel(opened.file->tensors(), opened.file->metadata(),
                                              opened.file->architecture());
    REQUIRE(r.family == ModelFamily::WanDiT);
    opened.view = std::make_unique<InternalView>(*opened.file, r.family, r.layout);
    return opened;
}

// The inputs of a wan_dit case (README "Call": one item per list).
struct DitInputs {
    at::Tensor x, t, context, clipFea, y;
    std::int64_t seqLen = 0;
};

DitInputs readInputs(const SafetensorsReader& io) {
    DitInputs in;
    in.x = io.tensor("in.x");
    in.t = io.tensor("in.t").to(at::kLong);
    in.context = io.tensor("in.context");
    in.seqLen = io.tensor("in.seq_len").to(at::kLong).item<std::int64_t>();
    if (io.contains("in.clip_fea")) {
        in.clipFea = io.tensor("in.clip_fea");
    }
    if (io.contains("in.y")) {
        in.y = io.tensor("in.y");
    }
    return in;
}

at::Tensor run(WanModel& model, const DitInputs& in) {
    const std::vector<at::Tensor> ys =
        in.y.defined() ? std::vector<at::Tensor>{in.y} : std::vector<at::Tensor>{};
    return model.forward({in.x}, in.t, {in.context}, in.seqLen, in.clipFea, ys).front();
}

// dbg.<name> -> the name WanModel::Trace uses.
std::string traceName(const std::string& dbg) {
    static const std::map<std::string, std::string> names = {
        {"e_time_embedding", "time_embedding"},
        {"e0_time_projection", "time_projection"},
        {"text_embedding_rows", "text_embedding"},
    };
    if (const auto found = names.find(dbg); found != names.end()) {
        return found->second;
    }
    if (dbg.rfind("block", 0) == 0) {
        return "blocks." + dbg.substr(5);
    }
    return dbg;  // patch_embedding, img_emb, head
}

// Where the port departs from the reference: the error of each intermediate, in forward
// order of the file's names; `worst` receives the largest of them (infinity when one is
// missing or misshapen).
std::string divergenceReport(const SafetensorsReader& io,
                             const std::vector<std::pair<std::string, at::Tensor>>& traced,
                             double* worst = nullptr) {
    std::string report;
    double largest = 0.0;
    for (const std::string& name : io.names()) {
        if (name.rfind("dbg.", 0) != 0) {
            continue;
        }
        const at::Tensor want = io.tensor(name);
        const std::string wanted = traceName(name.substr(4));
        std::string line = name + ": not traced";
        double error = std::numeric_limits<double>::infinity();
        for (const auto& [traceKey, got] : traced) {
            if (traceKey != wanted) {
                continue;
            }
            at::Tensor value = got;
            if (wanted == "text_embedding") {
                value = value.narrow(1, 0, want.size(1));  // rows 0..L of the 512
            }
            if (value.sizes() == want.sizes()) {
                error = relativeError(value, want);
                std::ostringstream text;
                text << name << ": rel. error " << error;
                line = text.str();
            } else {
                line = name + ": shape differs";
            }
            break;
        }
        largest = std::max(largest, error);
        report += "    " + line + "\n";
    }
    if (worst != nullptr) {
        *worst = largest;
    }
    return report;
}

// Each wan_dit case's model with its weights file as written (float32).
struct LoadedCase {
    WanModelConfig config;
    OpenedDit dit;
    std::unique_ptr<WanModel> model;
};

LoadedCase loadCase(const GoldenCase& golden, const fs::path& weightsFile,
                    at::ScalarType computeDtype = at::kFloat) {
    LoadedCase loaded;
    loaded.config = WanModelConfig::fromJson(golden.config);
    loaded.dit = openDit(weightsFile);
    const WanWeights weights(*loaded.dit.view, {}, loaded.config.describe());
    loaded.model = std::make_unique<WanModel>(loaded.config, weights, computeDtype);
    return loaded;
}

}  // namespace

TEST_CASE("The Wan DiT port matches the reference on every golden wan_dit case", "[infer][wan]") {
    const std::vector<GoldenCase> cases = goldenCases("wan", "wan_dit");
    REQUIRE_FALSE(cases.empty());
    for (const GoldenCase& golden : cases) {
        std::cout << "checking " << golden.name << " (" << golden.call << ")\n";
        REQUIRE_FALSE(golden.weights.empty());
        LoadedCase loaded = loadCase(golden, golden.weights);
        std::vector<std::pair<std::string, at::Tensor>> traced;
        loaded.model->setTrace([&](const std::string& name, const at::Tensor& value) {
            traced.emplace_back(name, value.clone());
        });
        const SafetensorsReader io(golden.io);
        const at::Tensor out = run(*loaded.model, readInputs(io));

        for (const std::string& name : io.names()) {
            if (name.rfind("out.", 0) != 0) {
                continue;
            }
            REQUIRE(name == "out.x");  // the only output of WanModel cases
            const at::Tensor want = io.tensor(name);
            REQUIRE(out.sizes() == want.sizes());
            const double error = relativeError(out, want);
            std::cout << "  " << golden.name << " " << name << ": rel. error " << error
                      << " (tolerance " << golden.tolerance << ")\n";
            INFO(golden.name << " " << name << " rel. error " << error << "; intermediates:\n"
                             << divergenceReport(io, traced));
            CHECK(error <= golden.tolerance);
        }
        // The intermediates agree as well (where a mismatch starts).
        double worst = 0.0;
        const std::string report = divergenceReport(io, traced, &worst);
        std::cout << "  " << golden.name << " dbg.* intermediates: largest rel. error " << worst
                  << "\n"
                  << report;
        INFO(golden.name << " intermediates:\n" << report);
        CHECK(worst <= golden.tolerance);
    }
}

TEST_CASE("Wan DiT tokens padded beyond seq_len are masked as keys and cut off", "[infer][wan]") {
    // README: the reference's output is unchanged when seq_len is padded by 5.
    for (const GoldenCase& golden : goldenCases("wan", "wan_dit")) {
        std::cout << "checking " << golden.name << " with seq_len + 5\n";
        LoadedCase loaded = loadCase(golden, golden.weights);
        const SafetensorsReader io(golden.io);
        DitInputs in = readInputs(io);
        in.seqLen += 5;
        const double error = relativeError(run(*loaded.model, in), io.tensor("out.x"));
        std::cout << "  " << golden.name << " out.x, seq_len + 5: rel. error " << error << "\n";
        CHECK(error <= golden.tolerance);
    }
}

TEST_CASE("A Wan DiT batch of videos of different lengths gives each item's own output",
          "[infer][wan]") {
    for (const GoldenCase& golden : goldenCases("wan", "wan_dit")) {
        std::cout << "checking " << golden.name << " as a batch of two\n";
        LoadedCase loaded = loadCase(golden, golden.weights);
        const SafetensorsReader io(golden.io);
        const DitInputs in = readInputs(io);
        // The second item: one frame less (fewer tokens, so padded and masked in the batch)
        // and the context shortened by one row.
        const std::int64_t frames = in.x.size(1);
        REQUIRE(frames > 1);
        DitInputs shorter = in;
        shorter.x = in.x.narrow(1, 0, frames - 1);
        shorter.context = in.context.narrow(0, 0, in.context.size(0) - 1);
        if (in.y.defined()) {
            shorter.y = in.y.narrow(1, 0, frames - 1);
        }
        const at::Tensor single0 = run(*loaded.model, in);
        const at::Tensor single1 = run(*loaded.model, shorter);

        std::vector<at::Tensor> ys;
        if (in.y.defined()) {
            ys = {in.y, shorter.y};
        }
        const at::Tensor clipFea =
            in.clipFea.defined() ? at::cat({in.clipFea, in.clipFea}) : at::Tensor();
        const std::vector<at::Tensor> batch =
            loaded.model->forward({in.x, shorter.x}, at::cat({in.t, in.t}),
                                  {in.context, shorter.context}, in.seqLen, clipFea, ys);
        REQUIRE(batch.size() == 2);
        REQUIRE(batch[1].sizes() == single1.sizes());
        // Only the order of float32 sums may differ (other matrix shapes).
        CHECK(relativeError(batch[0], single0) <= 1e-6);
        CHECK(relativeError(batch[1], single1) <= 1e-6);
    }
}

TEST_CASE("Wan RoPE and the timestep sinusoid match the reference on every golden case",
          "[infer][wan]") {
    const std::vector<GoldenCase> cases = goldenCases("wan", "wan_rope_time");
    REQUIRE_FALSE(cases.empty());
    for (const GoldenCase& golden : cases) {
        std::cout << "checking " << golden.name << " (" << golden.call << ")\n";
        const auto number = [&](const char* key) {
            const JsonValue* value = golden.config.find(key);
            REQUIRE(value != nullptr);
            return *value->asDouble();
        };
        const SafetensorsReader io(golden.io);
        const WanRope rope(static_cast<std::int64_t>(number("head_dim")), WanRope::kMaxPositions,
                           number("rope_theta"));
        // Rotating a few tokens at a time (as for 75,600 tokens) changes no value.
        const at::Tensor x = io.tensor("in.x");
        CHECK(at::equal(rope.apply(x, rope.prepare(io.tensor("in.grid_sizes"), at::kCPU), 1),
                        rope.apply(x, io.tensor("in.grid_sizes"))));
        const std::map<std::string, at::Tensor> got = {
            {"out.x_rope", rope.apply(io.tensor("in.x"), io.tensor("in.grid_sizes"))},
            {"out.sinusoid", sinusoidalEmbedding1d(static_cast<std::int64_t>(number("freq_dim")),
                                                   io.tensor("in.t").to(at::kLong))
                                 .to(at::kFloat)},
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
                      << " (tolerance " << golden.tolerance << ")\n";
            CHECK(error <= golden.tolerance);
        }
    }
}

TEST_CASE("A bfloat16 copy of the Wan DiT weights runs in bfloat16 close to the reference",
          "[infer][wan]") {
    // Weights stored as bfloat16 and linear layers and attention computed in bfloat16 (the
    // released pipeline's autocast; modulation, norms, time embedding and head stay float32).
    // bfloat16 keeps 8 significant bits (unit roundoff 2^-8 = 3.9e-3); every linear input,
    // weight and attention operand is rounded once per block, so the output may differ from
    // the float32 reference by a few unit roundoffs, not more: tolerance 2e-2 (~5 * 2^-8).
    // A port with a real mistake (a wrong norm, split or modulation) is off by O(1).
    constexpr double kTolerance = 2e-2;
    for (const GoldenCase& golden : goldenCases("wan", "wan_dit")) {
        std::cout << "checking " << golden.name << " with bfloat16 weights\n";
        NamedTensors tensors = storyreel::test::readAll(golden.weights);
        for (auto& [name, tensor] : tensors) {
            tensor = tensor.to(at::kBFloat16);
        }
        const fs::path file =
            storyreel::test::freshDir("wan-dit-bf16") / (golden.name + ".bf16.safetensors");
        storyreel::test::writeSafetensors(file, tensors);

        LoadedCase loaded = loadCase(golden, file, at::kBFloat16);
        const SafetensorsReader io(golden.io);
        const at::Tensor out = run(*loaded.model, readInputs(io));
        const double error = relativeError(out, io.tensor("out.x"));
        std::cout << "  " << golden.name << " out.x in bfloat16: rel. error " << error
                  << " (tolerance " << kTolerance << ")\n";
        CHECK(error <= kTolerance);
        CHECK(error > 0.0);  // it did run in bfloat16
    }
}

TEST_CASE("Block swap with one resident block gives the identical Wan DiT output",
          "[infer][wan][memory]") {
    for (const GoldenCase& golden : goldenCases("wan", "wan_dit")) {
        std::cout << "checking " << golden.name << " with block swap\n";
        const SafetensorsReader io(golden.io);
        const DitInputs in = readInputs(io);
        LoadedCase resident = loadCase(golden, golden.weights);
        const at::Tensor expected = run(*resident.model, in);

        LoadedCase swapped = loadCase(golden, golden.weights);
        swapped.model->enableBlockSwap(at::kCPU, 1);
        const at::Tensor out = run(*swapped.model, in);
        CHECK(at::equal(out, expected));
        const auto swappedBlocks = static_cast<std::int64_t>(swapped.config.numLayers - 1);
        CHECK(swapped.model->blockSwap()->stats().blockLoads == swappedBlocks);
        // A second call swaps again and still agrees.
        CHECK(at::equal(run(*swapped.model, in), expected));
        CHECK(swapped.model->blockSwap()->stats().blockLoads == 2 * swappedBlocks);
    }
}

TEST_CASE("A diffusers-layout Wan DiT loads through the registry and gives the same output",
          "[infer][wan][registry]") {
    for (const GoldenCase& golden : goldenCases("wan", "wan_dit")) {
        std::cout << "checking " << golden.name << " in the diffusers layout\n";
        const fs::path file = storyreel::test::freshDir("wan-dit-diffusers") /
                              (golden.name + ".diffusers.safetensors");
        storyreel::test::writeSafetensors(
            file, storyreel::test::toWanDiffusers(storyreel::test::readAll(golden.weights)));
        const SafetensorsReader io(golden.io);
        const DitInputs in = readInputs(io);
        LoadedCase official = loadCase(golden, golden.weights);
        LoadedCase diffusers = loadCase(golden, file);
        CHECK(diffusers.dit.view->file().path() == file);
        CHECK(at::equal(run(*diffusers.model, in), run(*official.model, in)));
    }
}

TEST_CASE("Loading a Wan DiT names the missing or mismatched tensor and the file", "[infer][wan]") {
    const std::vector<GoldenCase> cases = goldenCases("wan", "wan_dit");
    REQUIRE_FALSE(cases.empty());
    const GoldenCase& golden = cases.front();
    const WanModelConfig config = WanModelConfig::fromJson(golden.config);
    const std::string dropped =
        "blocks." + std::to_string(config.numLayers - 1) + ".cross_attn.v.weight";
    NamedTensors tensors;
    for (auto& named : storyreel::test::readAll(golden.weights)) {
        if (named.first != dropped) {
            tensors.push_back(std::move(named));
        }
    }
    const fs::path file = storyreel::test::freshDir("wan-dit-missing") / "incomplete.safetensors";
    storyreel::test::writeSafetensors(file, tensors);
    const std::unique_ptr<CheckpointFile> incomplete = openCheckpoint(file);
    const InternalView view(*incomplete, ModelFamily::WanDiT, CheckpointLayout::Official);
    const WanWeights weights(view, {}, config.describe());
    using Catch::Contains;
    REQUIRE_THROWS_AS(WanModel(config, weights), storyreel::UserError);
    CHECK_THROWS_WITH(WanModel(config, weights), Contains("incomplete.safetensors") &&
                                                     Contains(dropped) && Contains("missing"));

    // The right tensors, read for another size.
    WanModelConfig wider = config;
    wider.ffnDim *= 2;
    const OpenedDit whole = openDit(golden.weights);
    const WanWeights other(*whole.view, {}, wider.describe());
    CHECK_THROWS_WITH(WanModel(wider, other), Contains(golden.weights.filename().string()) &&
                                                  Contains("blocks.0.ffn.0.weight") &&
                                                  Contains("has shape"));
}

TEST_CASE("Wan DiT configs are read from JSON with the reference's defaults and presets",
          "[infer][wan]") {
    const WanModelConfig defaults = WanModelConfig::fromJson(parseJson("{}"));
    CHECK(defaults.modelType == WanModelType::T2V);
    CHECK(defaults.dim == 2048);
    CHECK(defaults.numLayers == 32);
    CHECK(defaults.textLen == 512);

    const WanModelConfig i2v = WanModelConfig::fromJson(parseJson(
        R"({"_class_name": "WanModel", "model_type": "i2v", "dim": 5120, "ffn_dim": 13824,
            "in_dim": 36, "num_heads": 40, "num_layers": 40, "eps": 1e-06,
            "patch_size": [1, 2, 2], "window_size": [-1, -1]})"));
    CHECK(i2v.isI2V());
    CHECK(i2v.describe() == WanModelConfig(kWanI2V14B).describe());
    CHECK(kWanI2V14B.headDim() == 128);
    CHECK(kWanT2V1_3B.headDim() == 128);
    CHECK(kWanT2V14B.inDim == 16);

    // head_dim 128: 64 complex pairs over (frame, row, column) = (22, 21, 21).
    const WanRope rope(kWanI2V14B.headDim());
    CHECK(rope.framePairs() == 22);
    CHECK(rope.spatialPairs() == 21);

    using Catch::Contains;
    CHECK_THROWS_WITH(WanModelConfig::fromJson(parseJson(R"({"model_type": "flf2v"})")),
                      Contains("flf2v"));
    CHECK_THROWS_WITH(WanModelConfig::fromJson(parseJson(R"({"window_size": [8, 8]})")),
                      Contains("window_size"));
    CHECK_THROWS_WITH(WanModelConfig::fromJson(parseJson(R"({"dim": 100, "num_heads": 3})")),
                      Contains("num_heads"));
    CHECK_THROWS_WITH(WanModelConfig::fromJson(parseJson(R"({"dim": "wide"})")),
                      Contains("\"dim\""));
}

TEST_CASE("Wan self-attention runs on GGUF blocks kept quantised as on dequantised weights",
          "[infer][wan][gguf]") {
    // The GGUF miniature holds one Wan block's self-attention (dim 256; q, k, o Q4_K, v Q6_K).
    const std::unique_ptr<CheckpointFile> file =
        openCheckpoint(storyreel::test::goldenDir() / "gguf/mixed_wan_Q4_K_M.gguf");
    const InternalView view(*file, ModelFamily::WanDiT, CheckpointLayout::Gguf);
    WanModelConfig config;
    config.dim = 256;
    config.numHeads = 2;  // head_dim 128, the released models' (22, 21, 21) RoPE split
    WeightLoadOptions atLoad;
    atLoad.keepQuantized = false;
    atLoad.dtype = at::kFloat;  // as stored, blocks dequantised at load would be bfloat16
    const WanSelfAttention quantised(WanWeights(view, {}, config.describe()), "blocks.0.self_attn",
                                     config);
    const WanSelfAttention dense(WanWeights(view, atLoad, config.describe()), "blocks.0.self_attn",
                                 config);
    const auto q = std::dynamic_pointer_cast<QuantizedLinear>(quantised.named_children()["q"]);
    REQUIRE(q != nullptr);
    CHECK(q->isQuantized());
    CHECK_FALSE(
        std::dynamic_pointer_cast<QuantizedLinear>(dense.named_children()["q"])->isQuantized());

    at::manual_seed(3);
    const at::Tensor x = at::randn({1, 14, 256});
    const at::Tensor grid = at::tensor({1, 3, 4}, at::kLong).view({1, 3});
    const at::Tensor seqLens = at::tensor({12}, at::kLong);  // 2 padding tokens
    const WanRope rope(config.headDim());
    const WanRopeTables tables = rope.prepare(grid, at::kCPU);
    const at::Tensor out = quantised.forward(x, seqLens, rope, tables);
    CHECK(out.sizes() == x.sizes());
    CHECK(at::equal(out, dense.forward(x, seqLens, rope, tables)));
}
