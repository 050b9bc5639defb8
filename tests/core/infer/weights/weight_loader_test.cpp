// WeightLoader on the golden checkpoints: a quantised GGUF DiT (kept quantised or
// dequantised at load), a float32 safetensors DiT with a LoRA merged at load, a ComfyUI
// scaled-fp8 umT5 and a Wan VAE rewritten as a torch .pth.
#include "core/infer/weights/weight_loader.h"

#include "core/infer/lora/lora_file.h"
#include "core/infer/lora/lora_stack.h"
#include "core/infer/memory/memory_profile.h"
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/registry/model_family.h"
#include "core/infer/weights/safetensors_reader.h"
#include "tests/core/infer/lora/safetensors_writer.h"
#include "tests/core/infer/registry/registry_files.h"
#include "tests/core/infer/weights/golden_dir.h"
#include "tests/core/infer/weights/pth_writer.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>
#include <string>

using namespace storyreel::infer;
using storyreel::test::freshDir;
using storyreel::test::goldenDir;
using storyreel::test::NamedTensors;
using storyreel::test::readAll;
using storyreel::test::writeSafetensors;

namespace fs = std::filesystem;

namespace {

// A checkpoint, its recognition and its internal view, kept together.
struct Opened {
    std::unique_ptr<CheckpointFile> file;
    ModelRecognition recognition;
    std::unique_ptr<InternalView> view;
};

Opened open(const fs::path& path, ModelFamily expected) {
    Opened opened;
    opened.file = openCheckpoint(path);
    opened.recognition = recogniseModel(opened.file->tensors(), opened.file->metadata(),
                                        opened.file->architecture());
    // The GGUF miniatures hold one block of a DiT, which recognition may not call complete.
    const ModelFamily family =
        opened.recognition.family == ModelFamily::Unknown ? expected : opened.recognition.family;
    REQUIRE(family == expected);
    opened.view = std::make_unique<InternalView>(*opened.file, family, opened.recognition.layout);
    return opened;
}

// A LoRA of rank 4 on `modules` ("blocks.0.ffn.0") of a model with `shapes`, plus a full
// .diff on each of `diffs` (parameters of any shape).
std::shared_ptr<LoraStack> makeLora(const fs::path& path, const ParameterShapes& shapes,
                                    const std::vector<std::string>& modules,
                                    const std::vector<std::string>& diffs, float strength) {
    at::manual_seed(9);
    NamedTensors tensors;
    for (const std::string& module : modules) {
        const auto& shape = shapes.at(module + ".weight");
        tensors.emplace_back("diffusion_model." + module + ".lora_down.weight",
                             at::randn({4, shape[1]}) * 0.1);
        tensors.emplace_back("diffusion_model." + module + ".lora_up.weight",
                             at::randn({shape[0], 4}) * 0.1);
    }
    for (const std::string& name : diffs) {
        tensors.emplace_back("diffusion_model." + name + ".diff", at::randn(shapes.at(name)));
    }
    writeSafetensors(path, tensors);
    auto stack = std::make_shared<LoraStack>();
    stack->add(LoraFile(path, shapes), strength);
    return stack;
}

ParameterShapes shapesOf(const InternalView& view) {
    ParameterShapes shapes;
    for (const std::string& name : view.names()) {
        shapes[name] = view.shape(name);
    }
    return shapes;
}

}  // namespace

TEST_CASE("GGUF block-quantised weights stay quantised when the profile says so",
          "[infer][weights][gguf]") {
    const Opened gguf = open(goldenDir() / "gguf/mixed_wan_Q4_K_M.gguf", ModelFamily::WanDiT);
    const WeightLoader loader(*gguf.view);  // as stored, quantised kept
    const Weight q = loader.load("blocks.0.self_attn.q.weight");
    REQUIRE(q.isQuantized());
    CHECK(q.quantized().type() == StorageType::Q4_K);
    CHECK(q.shape() == std::vector<std::int64_t>{256, 256});
    CHECK(q.sizeBytes() == 36864);
    CHECK(at::equal(q.values(at::kCPU, at::kFloat),
                    gguf.view->tensor("blocks.0.self_attn.q.weight")));
    CHECK(loader.load("blocks.0.ffn.2.weight").quantized().type() == StorageType::Q6_K);
    CHECK(loader.load("blocks.0.cross_attn.o.weight").quantized().type() == StorageType::Q8_0);
    // Plain GGUF types are dense, in their stored dtype.
    const Weight norm = loader.load("blocks.0.norm3.weight");
    REQUIRE_FALSE(norm.isQuantized());
    CHECK(norm.dense().scalar_type() == at::kFloat);
    CHECK(loader.load("text_embedding.0.weight").dense().scalar_type() == at::kHalf);
    CHECK(loader.load("blocks.0.modulation").shape() == std::vector<std::int64_t>{1, 6, 256});

    WeightLoadOptions atLoad;
    atLoad.keepQuantized = false;
    atLoad.dtype = at::kBFloat16;
    const Weight dense = WeightLoader(*gguf.view, atLoad).load("blocks.0.self_attn.q.weight");
    REQUIRE_FALSE(dense.isQuantized());
    CHECK(at::equal(dense.dense(),
                    gguf.view->tensor("blocks.0.self_attn.q.weight").to(at::kBFloat16)));
}

TEST_CASE("A LoRA is merged into dense weights and left to the layer for quantised ones",
          "[infer][weights][gguf][lora]") {
    // Q4_K.gguf stores every tensor in Q4_K, the 3-D modulation too.
    const Opened gguf = open(goldenDir() / "gguf/Q4_K.gguf", ModelFamily::WanDiT);
    const ParameterShapes shapes = shapesOf(*gguf.view);
    const auto loras = makeLora(freshDir("loader-lora-gguf") / "lora.safetensors", shapes,
                                {"blocks.0.self_attn.q"}, {"blocks.0.modulation"}, 0.5f);
    WeightLoadOptions options;
    options.loras = loras;
    const WeightLoader loader(*gguf.view, options);

    const Weight q = loader.load("blocks.0.self_attn.q.weight");
    CHECK(q.isQuantized());
    CHECK(loader.needsRuntimeLora("blocks.0.self_attn.q.weight", q));
    // Not a linear weight: dequantised at load so that the LoRA merges.
    const Weight modulation = loader.load("blocks.0.modulation");
    REQUIRE_FALSE(modulation.isQuantized());
    CHECK_FALSE(loader.needsRuntimeLora("blocks.0.modulation", modulation));
    const at::Tensor merged =
        gguf.view->tensor("blocks.0.modulation") + loras->delta("blocks.0.modulation");
    CHECK(at::equal(modulation.dense(), merged.to(at::kBFloat16)));  // as stored: bfloat16
    // Untouched quantised weights need nothing at run time.
    const Weight norm = loader.load("blocks.0.self_attn.norm_q.weight");
    CHECK(norm.isQuantized());
    CHECK_FALSE(loader.needsRuntimeLora("blocks.0.self_attn.norm_q.weight", norm));
}

TEST_CASE("Safetensors weights come in the profile's dtype with the LoRA merged in float32",
          "[infer][weights][lora]") {
    const Opened dit =
        open(goldenDir() / "wan/wan_dit_t2v.weights.safetensors", ModelFamily::WanDiT);
    const ParameterShapes shapes = shapesOf(*dit.view);
    const auto loras = makeLora(freshDir("loader-lora-st") / "lora.safetensors", shapes,
                                {"blocks.0.ffn.0"}, {}, 0.8f);
    const WeightLoadOptions small = weightLoadOptions(profileByName("8gb"));
    CHECK_FALSE(small.dtype.has_value());  // as stored
    CHECK(small.keepQuantized);
    const WeightLoader loader(*dit.view, weightLoadOptions(profileByName("48gb"), loras));
    CHECK(loader.options().dtype == at::kBFloat16);
    CHECK_FALSE(loader.options().keepQuantized);
    const Weight ffn = loader.load("blocks.0.ffn.0.weight");
    REQUIRE_FALSE(ffn.isQuantized());
    CHECK(ffn.dense().scalar_type() == at::kBFloat16);
    const at::Tensor want =
        (dit.view->tensor("blocks.0.ffn.0.weight") + loras->delta("blocks.0.ffn.0.weight"))
            .to(at::kBFloat16);
    CHECK(at::equal(ffn.dense(), want));
    CHECK_FALSE(loader.needsRuntimeLora("blocks.0.ffn.0.weight", ffn));
    CHECK(at::equal(loader.load("blocks.0.ffn.2.weight").dense(),
                    dit.view->tensor("blocks.0.ffn.2.weight").to(at::kBFloat16)));
    CHECK(loader.loadDense("blocks.0.norm3.weight", at::kFloat).scalar_type() == at::kFloat);
    CHECK_THROWS_WITH(loader.load("blocks.9.ffn.0.weight"),
                      Catch::Contains("has no tensor for 'blocks.9.ffn.0.weight'"));
}

TEST_CASE("Scaled fp8 weights come dequantised with their scale", "[infer][weights][fp8]") {
    const fs::path dir = goldenDir() / "safetensors";
    const Opened t5 =
        open(dir / "umt5_xxl_fp8_e4m3fn_scaled_mini.safetensors", ModelFamily::UMT5Encoder);
    const SafetensorsReader expected(
        dir / "umt5_xxl_fp8_e4m3fn_scaled_mini.dequantized.expected.safetensors");
    const WeightLoader asStored(*t5.view);
    int fp8Weights = 0;
    for (const std::string& name : t5.view->names()) {
        INFO(name);
        const std::string source = t5.view->sourcesOf(name).front();
        const TensorInfo& stored = *t5.file->find(source);
        if (stored.storageType != StorageType::F8_E4M3FN) {
            continue;
        }
        ++fp8Weights;
        const Weight weight = asStored.load(name);
        // As stored: LibTorch has no fp8 dtype, so bfloat16.
        CHECK(weight.dense().scalar_type() == at::kBFloat16);
        CHECK(at::equal(weight.dense(), expected.tensor(source).to(at::kBFloat16)));
    }
    CHECK(fp8Weights == 7);
}

TEST_CASE("A .pth checkpoint loads like its safetensors copy", "[infer][weights][pth]") {
    const fs::path dir = freshDir("loader-pth");
    storyreel::test::PyDict stateDict;
    for (auto& [name, tensor] : readAll(goldenDir() / "wan/wan_vae.weights.safetensors")) {
        stateDict.items.emplace_back(name, tensor);
    }
    storyreel::test::writeFile(dir / "Wan2.1_VAE.pth", storyreel::test::torchSave(stateDict));
    const Opened pth = open(dir / "Wan2.1_VAE.pth", ModelFamily::WanVAE);
    const Opened st = open(goldenDir() / "wan/wan_vae.weights.safetensors", ModelFamily::WanVAE);
    CHECK(pth.view->names() == st.view->names());
    const WeightLoader fromPth(*pth.view);
    const WeightLoader fromSafetensors(*st.view);
    for (const std::string& name : st.view->names()) {
        INFO(name);
        CHECK(at::equal(fromPth.load(name).dense(), fromSafetensors.load(name).dense()));
    }
}

TEST_CASE("Tensors read again after their file pages were dropped are the same",
          "[infer][weights]") {
    // Every reader lets the kernel drop a tensor's pages once copied (MappedFile::dropPages):
    // reading again must fault them back in from the file, unchanged.
    for (const char* file : {"wan/wan_dit_i2v.weights.safetensors"}) {
        const SafetensorsReader reader(goldenDir() / file);
        for (const std::string& name : reader.names()) {
            const at::Tensor first = reader.tensor(name);
            CHECK(at::equal(reader.tensor(name), first));
        }
    }
    const Opened gguf = open(goldenDir() / "gguf/mixed_wan_Q4_K_M.gguf", ModelFamily::WanDiT);
    const WeightLoader loader(*gguf.view);
    const Weight once = loader.load("blocks.0.self_attn.q.weight");
    const Weight twice = loader.load("blocks.0.self_attn.q.weight");
    CHECK(at::equal(once.quantized().raw(), twice.quantized().raw()));
}
