// The HunyuanVideo-I2V transformer port (core/infer/models/hunyuan) against the reference's
// golden data (../shared/golden/hunyuan, README "hunyuan_dit_*"): every case of kind
// hunyuan_dit is built from its config, loaded from its weights file by the reference's
// parameter names and run on its inputs; then the properties the README states (padded
// text is invisible), block swap, bfloat16, a Q8_0 GGUF copy and the loader's messages.
#include "core/base/cancel_token.h"
#include "core/base/user_error.h"
#include "core/infer/layers/module_weights.h"
#include "core/infer/layers/quantized_linear.h"
#include "core/infer/models/hunyuan/hy_dit_config.h"
#include "core/infer/models/hunyuan/hy_dit_model.h"
#include "core/infer/models/hunyuan/hy_rope.h"
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/registry/model_family.h"
#include "core/infer/weights/safetensors_reader.h"
#include "tests/core/infer/golden_cases.h"
#include "tests/core/infer/lora/safetensors_writer.h"
#include "tests/core/infer/registry/registry_files.h"
#include "tests/core/infer/wan/tiny_wan_models.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

using namespace storyreel::infer;
using namespace storyreel::infer::hunyuan;
using storyreel::test::GoldenCase;
using storyreel::test::goldenCases;
using storyreel::test::NamedTensors;
using storyreel::test::relativeError;

namespace fs = std::filesystem;

namespace {

constexpr const char* kModelName = "HunyuanVideo DiT";

// A DiT checkpoint opened as the application opens one: by content, recognised by its
// tensors, seen under the internal names; and the model built on it.
struct LoadedDit {
    std::unique_ptr<CheckpointFile> file;
    std::unique_ptr<InternalView> view;
    std::unique_ptr<ModuleWeights> weights;
    HunyuanDiTConfig config;
    std::unique_ptr<HunyuanDiT> model;
};

LoadedDit loadDit(const GoldenCase& golden, const fs::path& path,
                  at::ScalarType dtype = at::kFloat) {
    LoadedDit loaded;
    loaded.file = openCheckpoint(path);
    const ModelRecognition r = recogniseModel(loaded.file->tensors(), loaded.file->metadata(),
                                              loaded.file->architecture());
    REQUIRE(r.family == ModelFamily::HunyuanDiT);
    loaded.view = std::make_unique<InternalView>(*loaded.file, r.family, r.layout);
    loaded.config = HunyuanDiTConfig::fromJson(golden.config);
    loaded.weights = std::make_unique<ModuleWeights>(*loaded.view, WeightLoadOptions{}, kModelName,
                                                     loaded.config.describe());
    loaded.model = std::make_unique<HunyuanDiT>(loaded.config, *loaded.weights, dtype);
    return loaded;
}

HunyuanDiTInputs readInputs(const SafetensorsReader& io) {
    HunyuanDiTInputs in;
    in.x = io.tensor("in.x");
    in.t = io.tensor("in.t");
    in.textStates = io.tensor("in.text_states");
    in.textMask = io.tensor("in.text_mask").to(at::kLong);
    in.textStates2 = io.tensor("in.text_states_2");
    in.guidance = io.tensor("in.guidance");
    in.freqsCos = io.tensor("in.freqs_cos");
    in.freqsSin = io.tensor("in.freqs_sin");
    return in;
}

std::int64_t ropeCallValue(const SafetensorsReader& io, const char* key) {
    const JsonValue call = parseJson(io.metadata().at("rope_call"));
    const JsonValue* value = call.find(key);
    REQUIRE(value != nullptr);
    return *value->asInt64();
}

// Replaces the first `from` in `name` by `to`.
std::string replaced(std::string name, const std::string& from, const std::string& to) {
    const std::size_t at = name.find(from);
    return at == std::string::npos ? name : name.replace(at, from.size(), to);
}

// hyvideo names -> diffusers HunyuanVideoTransformer3DModel (convert_hunyuan_video_to_diffusers.py
// run forwards): fused qkv and linear1 split, the final modulation's halves swapped to
// (scale, shift). Spelled here independently of the registry's backward table.
NamedTensors toHunyuanDiffusers(const NamedTensors& official, std::int64_t hidden) {
    const std::vector<std::pair<std::string, std::string>> renames = {
        {"img_in.proj", "x_embedder.proj"},
        {"time_in.mlp.0", "time_text_embed.timestep_embedder.linear_1"},
        {"time_in.mlp.2", "time_text_embed.timestep_embedder.linear_2"},
        {"guidance_in.mlp.0", "time_text_embed.guidance_embedder.linear_1"},
        {"guidance_in.mlp.2", "time_text_embed.guidance_embedder.linear_2"},
        {"vector_in.in_layer", "time_text_embed.text_embedder.linear_1"},
        {"vector_in.out_layer", "time_text_embed.text_embedder.linear_2"},
        {"txt_in.input_embedder", "context_embedder.proj_in"},
        {"txt_in.t_embedder.mlp.0", "context_embedder.time_text_embed.timestep_embedder.linear_1"},
        {"txt_in.t_embedder.mlp.2", "context_embedder.time_text_embed.timestep_embedder.linear_2"},
        {"txt_in.c_embedder.linear_1", "context_embedder.time_text_embed.text_embedder.linear_1"},
        {"txt_in.c_embedder.linear_2", "context_embedder.time_text_embed.text_embedder.linear_2"},
        {"txt_in.individual_token_refiner.blocks.",
         "context_embedder.token_refiner.refiner_blocks."},
        {".self_attn_proj", ".attn.to_out.0"},
        {".mlp.fc1", ".ff.net.0.proj"},
        {".mlp.fc2", ".ff.net.2"},
        {".adaLN_modulation.1", ".norm_out.linear"},
        {"double_blocks.", "transformer_blocks."},
        {".img_mod.linear", ".norm1.linear"},
        {".txt_mod.linear", ".norm1_context.linear"},
        {".img_attn_q_norm", ".attn.norm_q"},
        {".img_attn_k_norm", ".attn.norm_k"},
        {".txt_attn_q_norm", ".attn.norm_added_q"},
        {".txt_attn_k_norm", ".attn.norm_added_k"},
        {".img_attn_proj", ".attn.to_out.0"},
        {".txt_attn_proj", ".attn.to_add_out"},
        {".img_mlp.fc1", ".ff.net.0.proj"},
        {".img_mlp.fc2", ".ff.net.2"},
        {".txt_mlp.fc1", ".ff_context.net.0.proj"},
        {".txt_mlp.fc2", ".ff_context.net.2"},
        {"single_blocks.", "single_transformer_blocks."},
        {".linear2", ".proj_out"},
        {".q_norm", ".attn.norm_q"},
        {".k_norm", ".attn.norm_k"},
        {".modulation.linear", ".norm.linear"},
        {"final_layer.linear", "proj_out"},
    };
    NamedTensors out;
    for (const auto& [name, tensor] : official) {
        if (name.rfind("final_layer.adaLN_modulation.1", 0) == 0) {
            const std::vector<at::Tensor> halves = tensor.chunk(2, 0);  // (shift, scale)
            out.emplace_back(replaced(name, "final_layer.adaLN_modulation.1", "norm_out.linear"),
                             at::cat({halves[1], halves[0]}, 0));
            continue;
        }
        std::string renamed = name;
        for (const auto& [from, to] : renames) {
            renamed = replaced(renamed, from, to);
        }
        const auto split = [&](const std::string& fused, const std::vector<std::string>& parts,
                               const std::vector<std::int64_t>& sizes) {
            if (renamed.find(fused) == std::string::npos) {
                return false;
            }
            std::int64_t start = 0;
            for (std::size_t i = 0; i < parts.size(); ++i) {
                out.emplace_back(replaced(renamed, fused, parts[i]),
                                 tensor.narrow(0, start, sizes[i]).clone());
                start += sizes[i];
            }
            return true;
        };
        const std::vector<std::int64_t> thirds = {hidden, hidden, hidden};
        if (split(".self_attn_qkv", {".attn.to_q", ".attn.to_k", ".attn.to_v"}, thirds) ||
            split(".img_attn_qkv", {".attn.to_q", ".attn.to_k", ".attn.to_v"}, thirds) ||
            split(".txt_attn_qkv", {".attn.add_q_proj", ".attn.add_k_proj", ".attn.add_v_proj"},
                  thirds) ||
            split(".linear1", {".attn.to_q", ".attn.to_k", ".attn.to_v", ".proj_mlp"},
                  {hidden, hidden, hidden, tensor.size(0) - 3 * hidden})) {
            continue;
        }
        out.emplace_back(renamed, tensor);
    }
    return out;
}

std::vector<GoldenCase> ditCases() {
    std::vector<GoldenCase> cases = goldenCases("hunyuan", "hunyuan_dit");
    REQUIRE_FALSE(cases.empty());
    return cases;
}

}  // namespace

TEST_CASE("HunyuanVideo DiT matches the reference on every golden case", "[infer][hunyuan]") {
    for (const GoldenCase& golden : ditCases()) {
        std::cout << "checking " << golden.name << " ("
                  << golden.config.find("i2v_condition_type")->text() << ")\n";
        LoadedDit loaded = loadDit(golden, golden.weights);
        // The checkpoint alone tells the same configuration (condition type from the
        // input channels, sizes from the shapes).
        CHECK(HunyuanDiTConfig::fromCheckpoint(*loaded.view).describe() ==
              loaded.config.describe());
        const SafetensorsReader io(golden.io);
        const HunyuanDiTInputs in = readInputs(io);
        const at::Tensor out = loaded.model->forward(in);
        const at::Tensor want = io.tensor("out.x");
        REQUIRE(out.sizes() == want.sizes());
        const double error = relativeError(out, want);
        std::cout << "  " << golden.name << " out.x: rel. error " << error << " (tolerance "
                  << golden.tolerance << ")\n";
        CHECK(error <= golden.tolerance);

        // The stored freqs are get_rotary_pos_embed(video_length, height, width) of rope_call;
        // without freqs the model computes them from x's latent grid.
        const HunyuanRotaryTables tables =
            hunyuanRotaryTables(loaded.config, ropeCallValue(io, "video_length"),
                                ropeCallValue(io, "height"), ropeCallValue(io, "width"));
        CHECK(relativeError(tables.cos, in.freqsCos) <= 1e-6);
        CHECK(relativeError(tables.sin, in.freqsSin) <= 1e-6);
        HunyuanDiTInputs withoutFreqs = in;
        withoutFreqs.freqsCos = at::Tensor();
        withoutFreqs.freqsSin = at::Tensor();
        const double computed = relativeError(loaded.model->forward(withoutFreqs), want);
        std::cout << "  " << golden.name << " out.x with computed RoPE: rel. error " << computed
                  << "\n";
        CHECK(computed <= golden.tolerance);
    }
}

TEST_CASE("Padded text (text_mask 0) does not change the HunyuanVideo DiT output",
          "[infer][hunyuan]") {
    // README: the reference's output is unchanged when the padding is altered (the refiner
    // masks it and the varlen segments keep it apart).
    for (const GoldenCase& golden : ditCases()) {
        LoadedDit loaded = loadDit(golden, golden.weights);
        const SafetensorsReader io(golden.io);
        const HunyuanDiTInputs in = readInputs(io);
        const at::Tensor padded = (in.textMask == 0).unsqueeze(-1);
        REQUIRE(padded.any().item<bool>());
        std::cout << "checking " << golden.name << " with altered text padding\n";
        at::manual_seed(11);
        HunyuanDiTInputs altered = in;
        altered.textStates = at::where(padded, at::randn_like(in.textStates) * 3.0, in.textStates);
        const at::Tensor base = loaded.model->forward(in);
        const double error = relativeError(loaded.model->forward(altered), base);
        std::cout << "  " << golden.name << " altered padding: rel. change " << error << "\n";
        CHECK(error <= 1e-7);

        // Whereas a valid token does matter.
        HunyuanDiTInputs changed = in;
        changed.textStates = in.textStates.clone();
        changed.textStates[0][0].add_(1.0);
        CHECK(relativeError(loaded.model->forward(changed), base) > 1e-4);
    }
}

TEST_CASE("A HunyuanVideo DiT batch gives each row its own output", "[infer][hunyuan]") {
    for (const GoldenCase& golden : ditCases()) {
        const SafetensorsReader io(golden.io);
        const HunyuanDiTInputs in = readInputs(io);
        if (in.x.size(0) < 2) {
            continue;
        }
        std::cout << "checking " << golden.name << " row by row\n";
        LoadedDit loaded = loadDit(golden, golden.weights);
        const at::Tensor batch = loaded.model->forward(in);
        for (std::int64_t b = 0; b < in.x.size(0); ++b) {
            HunyuanDiTInputs row = in;
            for (at::Tensor* tensor : {&row.x, &row.t, &row.textStates, &row.textMask,
                                       &row.textStates2, &row.guidance}) {
                *tensor = tensor->narrow(0, b, 1);
            }
            // Only the order of float32 sums may differ (other matrix shapes).
            CHECK(relativeError(loaded.model->forward(row), batch.narrow(0, b, 1)) <= 1e-6);
        }
    }
}

TEST_CASE("Block swap with one resident block gives the identical HunyuanVideo DiT output",
          "[infer][hunyuan][memory]") {
    for (const GoldenCase& golden : ditCases()) {
        std::cout << "checking " << golden.name << " with block swap\n";
        const SafetensorsReader io(golden.io);
        const HunyuanDiTInputs in = readInputs(io);
        LoadedDit resident = loadDit(golden, golden.weights);
        const at::Tensor expected = resident.model->forward(in);

        LoadedDit swapped = loadDit(golden, golden.weights);
        swapped.model->enableBlockSwap(at::kCPU, 1);
        const std::int64_t blocks = swapped.config.doubleBlocks + swapped.config.singleBlocks;
        REQUIRE(static_cast<std::int64_t>(swapped.model->blocks().size()) == blocks);
        CHECK(at::equal(swapped.model->forward(in), expected));
        CHECK(swapped.model->blockSwap()->stats().blockLoads == blocks - 1);
        CHECK(at::equal(swapped.model->forward(in), expected));
        CHECK(swapped.model->blockSwap()->stats().blockLoads == 2 * (blocks - 1));
    }
}

TEST_CASE("A bfloat16 copy of the HunyuanVideo DiT runs in bfloat16 close to the reference",
          "[infer][hunyuan]") {
    // Weights stored as bfloat16, linear layers and attention in bfloat16 (the reference's
    // autocast); modulation, norms and the residual streams stay float32. bfloat16's unit
    // roundoff is 2^-8 = 3.9e-3; each block rounds its linear inputs, weights and attention
    // operands once, so a few unit roundoffs (2e-2) bound a correct port, while a real
    // mistake is off by O(1).
    constexpr double kTolerance = 2e-2;
    for (const GoldenCase& golden : ditCases()) {
        std::cout << "checking " << golden.name << " with bfloat16 weights\n";
        NamedTensors tensors = storyreel::test::readAll(golden.weights);
        for (auto& [name, tensor] : tensors) {
            tensor = tensor.to(at::kBFloat16);
        }
        const fs::path file =
            storyreel::test::freshDir("hy-dit-bf16") / (golden.name + ".bf16.safetensors");
        storyreel::test::writeSafetensors(file, tensors);
        LoadedDit loaded = loadDit(golden, file, at::kBFloat16);
        const SafetensorsReader io(golden.io);
        const at::Tensor out = loaded.model->forward(readInputs(io));
        CHECK(out.scalar_type() == at::kFloat);
        const double error = relativeError(out, io.tensor("out.x"));
        std::cout << "  " << golden.name << " out.x in bfloat16: rel. error " << error
                  << " (tolerance " << kTolerance << ")\n";
        CHECK(error <= kTolerance);
        CHECK(error > 0.0);  // it did run in bfloat16
    }
}

TEST_CASE("A Q8_0 GGUF of the HunyuanVideo DiT gives the output of its dequantised values",
          "[infer][hunyuan][gguf]") {
    for (const GoldenCase& golden : ditCases()) {
        std::cout << "checking " << golden.name << " as a Q8_0 GGUF\n";
        const NamedTensors tensors = storyreel::test::readAll(golden.weights);
        const fs::path dir = storyreel::test::freshDir("hy-dit-gguf");
        const fs::path gguf = dir / (golden.name + "-Q8_0.gguf");
        storyreel::test::writeGgufQ8(gguf, tensors, "hyvid");
        const fs::path dense = dir / (golden.name + ".q8-values.safetensors");
        storyreel::test::writeSafetensors(dense, storyreel::test::q8RoundTrip(tensors));

        LoadedDit quantised = loadDit(golden, gguf);
        CHECK(quantised.view->file().path() == gguf);
        std::int64_t quantisedLayers = 0;
        for (const auto& module : quantised.model->modules(/*include_self=*/false)) {
            if (const auto* linear = dynamic_cast<const QuantizedLinear*>(module.get())) {
                quantisedLayers += linear->isQuantized() ? 1 : 0;
            }
        }
        CHECK(quantisedLayers > 0);
        LoadedDit reference = loadDit(golden, dense);
        const SafetensorsReader io(golden.io);
        const HunyuanDiTInputs in = readInputs(io);
        const at::Tensor out = quantised.model->forward(in);
        const double error = relativeError(out, reference.model->forward(in));
        std::cout << "  " << golden.name << " Q8_0 (" << quantisedLayers
                  << " layers kept quantised) vs its dequantised values: rel. error " << error
                  << "; vs the float32 reference " << relativeError(out, io.tensor("out.x"))
                  << "\n";
        CHECK(error <= 1e-6);
    }
}

TEST_CASE("A diffusers-layout HunyuanVideo DiT loads through the registry with the same output",
          "[infer][hunyuan][registry]") {
    for (const GoldenCase& golden : ditCases()) {
        std::cout << "checking " << golden.name << " in the diffusers layout\n";
        const HunyuanDiTConfig config = HunyuanDiTConfig::fromJson(golden.config);
        const fs::path file = storyreel::test::freshDir("hy-dit-diffusers") /
                              (golden.name + ".diffusers.safetensors");
        storyreel::test::writeSafetensors(
            file, toHunyuanDiffusers(storyreel::test::readAll(golden.weights), config.hiddenSize));
        LoadedDit diffusers = loadDit(golden, file);
        CHECK(diffusers.view->file().path() == file);
        CHECK(HunyuanDiTConfig::fromCheckpoint(*diffusers.view).describe() == config.describe());
        LoadedDit official = loadDit(golden, golden.weights);
        const SafetensorsReader io(golden.io);
        const HunyuanDiTInputs in = readInputs(io);
        CHECK(at::equal(diffusers.model->forward(in), official.model->forward(in)));
    }
}

TEST_CASE("A ComfyUI-prefixed HunyuanVideo DiT loads alike and a cancelled run stops",
          "[infer][hunyuan][registry]") {
    const GoldenCase golden = ditCases().front();
    NamedTensors prefixed;
    for (auto& [name, tensor] : storyreel::test::readAll(golden.weights)) {
        prefixed.emplace_back("model.diffusion_model." + name, tensor);
    }
    const fs::path file = storyreel::test::freshDir("hy-dit-comfy") / "comfy.safetensors";
    storyreel::test::writeSafetensors(file, prefixed);
    LoadedDit comfy = loadDit(golden, file);
    CHECK(HunyuanDiTConfig::fromCheckpoint(*comfy.view).describe() == comfy.config.describe());
    const SafetensorsReader io(golden.io);
    const HunyuanDiTInputs in = readInputs(io);
    CHECK(relativeError(comfy.model->forward(in), io.tensor("out.x")) <= golden.tolerance);

    storyreel::CancelToken cancel;
    cancel.requestCancel();
    CHECK_THROWS_AS(comfy.model->forward(in, &cancel), storyreel::Cancelled);
    comfy.model->enableBlockSwap(at::kCPU, 1);
    CHECK_THROWS_AS(comfy.model->forward(in, &cancel), storyreel::Cancelled);
}

TEST_CASE("Loading a HunyuanVideo DiT names the missing or mismatched tensor and the file",
          "[infer][hunyuan]") {
    const GoldenCase golden = ditCases().front();
    const HunyuanDiTConfig config = HunyuanDiTConfig::fromJson(golden.config);
    const std::string dropped =
        "single_blocks." + std::to_string(config.singleBlocks - 1) + ".linear2.weight";
    NamedTensors tensors;
    for (auto& named : storyreel::test::readAll(golden.weights)) {
        if (named.first != dropped) {
            tensors.push_back(std::move(named));
        }
    }
    const fs::path file = storyreel::test::freshDir("hy-dit-missing") / "incomplete.safetensors";
    storyreel::test::writeSafetensors(file, tensors);
    const std::unique_ptr<CheckpointFile> incomplete = openCheckpoint(file);
    const InternalView view(*incomplete, ModelFamily::HunyuanDiT, CheckpointLayout::Official);
    const ModuleWeights weights(view, {}, kModelName, config.describe());
    using Catch::Contains;
    REQUIRE_THROWS_AS(HunyuanDiT(config, weights), storyreel::UserError);
    CHECK_THROWS_WITH(HunyuanDiT(config, weights), Contains("incomplete.safetensors") &&
                                                       Contains(dropped) && Contains("missing"));

    // The right tensors, read for another MLP width.
    HunyuanDiTConfig wider = config;
    wider.mlpWidthRatio = 2.0;
    LoadedDit whole = loadDit(golden, golden.weights);
    const ModuleWeights other(*whole.view, {}, kModelName, wider.describe());
    CHECK_THROWS_WITH(HunyuanDiT(wider, other),
                      Contains(golden.weights.filename().string()) &&
                          Contains("double_blocks.0.img_mlp.fc1.weight") && Contains("has shape"));

    // Without img_in the configuration cannot be read from the file.
    NamedTensors noPatch;
    for (auto& named : storyreel::test::readAll(golden.weights)) {
        if (named.first.rfind("img_in.", 0) != 0) {
            noPatch.push_back(std::move(named));
        }
    }
    const fs::path headless =
        storyreel::test::freshDir("hy-dit-no-img-in") / "headless.safetensors";
    storyreel::test::writeSafetensors(headless, noPatch);
    const std::unique_ptr<CheckpointFile> headlessFile = openCheckpoint(headless);
    const InternalView headlessView(*headlessFile, ModelFamily::HunyuanDiT,
                                    CheckpointLayout::Official);
    CHECK_THROWS_WITH(HunyuanDiTConfig::fromCheckpoint(headlessView),
                      Contains("headless.safetensors") && Contains("img_in.proj.weight"));
}

TEST_CASE("HunyuanDiT::forward refuses inputs of the wrong shape", "[infer][hunyuan]") {
    const GoldenCase golden = ditCases().front();
    LoadedDit loaded = loadDit(golden, golden.weights);
    const SafetensorsReader io(golden.io);
    const HunyuanDiTInputs in = readInputs(io);
    HunyuanDiTInputs bad = in;
    bad.x = at::cat({in.x, in.x}, 1);
    CHECK_THROWS_AS(loaded.model->forward(bad), std::invalid_argument);
    bad = in;
    bad.textMask = in.textMask.narrow(1, 0, in.textMask.size(1) - 1);
    CHECK_THROWS_AS(loaded.model->forward(bad), std::invalid_argument);
    bad = in;
    bad.freqsCos = in.freqsCos.narrow(0, 0, in.freqsCos.size(0) - 1);
    bad.freqsSin = in.freqsSin.narrow(0, 0, in.freqsSin.size(0) - 1);
    CHECK_THROWS_AS(loaded.model->forward(bad), std::invalid_argument);
    bad = in;
    bad.guidance = at::Tensor();
    CHECK_THROWS_WITH(loaded.model->forward(bad), Catch::Contains("guidance"));
}

TEST_CASE("HunyuanVideo DiT configs come from JSON with the released model's defaults",
          "[infer][hunyuan]") {
    const HunyuanDiTConfig defaults = HunyuanDiTConfig::fromJson(parseJson("{}"));
    CHECK(defaults.describe() == kHunyuanVideoI2V.describe());
    CHECK(kHunyuanVideoI2V.headDim() == 128);
    CHECK(kHunyuanVideoI2V.mlpHidden() == 12288);
    CHECK(kHunyuanVideoI2V.finalFeatures() == 64);
    CHECK(kHunyuanVideoI2V.isTokenReplace());
    CHECK(kHunyuanVideoI2V.doubleBlocks == 20);
    CHECK(kHunyuanVideoI2V.singleBlocks == 40);
    CHECK(kHunyuanVideoI2V.describe().find("token_replace, hidden 3072, 24 heads") == 0);

    const HunyuanDiTConfig concat = HunyuanDiTConfig::fromJson(
        parseJson(R"({"i2v_condition_type": "latent_concat", "in_channels": 33,
                      "out_channels": 16})"));
    CHECK_FALSE(concat.isTokenReplace());
    CHECK(concat.inChannels == 33);
    CHECK(concat.outChannels == 16);
    // out_channels absent (None in the reference): in_channels.
    CHECK(HunyuanDiTConfig::fromJson(parseJson(R"({"in_channels": 8})")).outChannels == 8);

    using Catch::Contains;
    CHECK_THROWS_WITH(HunyuanDiTConfig::fromJson(parseJson(R"({"mlp_act_type": "relu"})")),
                      Contains("mlp_act_type") && Contains("relu"));
    CHECK_THROWS_WITH(HunyuanDiTConfig::fromJson(parseJson(R"({"i2v_condition_type": "x"})")),
                      Contains("i2v_condition_type"));
    CHECK_THROWS_WITH(HunyuanDiTConfig::fromJson(parseJson(R"({"hidden_size": "wide"})")),
                      Contains("\"hidden_size\""));
    CHECK_THROWS_WITH(HunyuanDiTConfig::fromJson(parseJson(R"({"rope_dim_list": [16, 56, 48]})")),
                      Contains("rope_dim_list"));
    CHECK_THROWS_WITH(HunyuanDiTConfig::fromJson(parseJson(R"({"heads_num": 5})")),
                      Contains("heads_num"));
}
