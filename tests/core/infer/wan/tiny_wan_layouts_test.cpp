// The tiny Wan models folder in every released layout (tiny_wan_layouts.h) as the registry
// and the Wan models folder see it: each folder gives the four components and a tokenizer,
// and every component reads back, under the official names, as the weights written (the
// same values where the layout stores them losslessly, within the format's rounding where
// it does not). The Q4_K and Q8_0 writers' blocks decode as the writer meant.
#include "tests/core/infer/wan/tiny_wan_layouts.h"

#include "core/infer/models/wan/wan_models_folder.h"
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/registry/model_family.h"
#include "tests/core/infer/golden_cases.h"
#include "tests/core/infer/registry/registry_files.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <iostream>
#include <string>

using namespace storyreel::infer;
using namespace storyreel::test;

namespace {

// The largest relative error (L2) of any official tensor as the file's view gives it.
double worstError(const std::filesystem::path& file, ModelFamily family,
                  const NamedTensors& official) {
    const std::unique_ptr<CheckpointFile> checkpoint = openCheckpoint(file);
    const ModelRecognition r =
        recogniseModel(checkpoint->tensors(), checkpoint->metadata(), checkpoint->architecture());
    INFO(file.string() << " recognised as " << modelFamilyName(r.family) << ", "
                       << checkpointLayoutName(r.layout));
    REQUIRE(r.family == family);
    const InternalView view(*checkpoint, r.family, r.layout);
    // Nothing left over but the tokenizer a ComfyUI umT5 file embeds.
    for (const std::string& name : view.unmapped()) {
        CHECK(name == "spiece_model");
    }
    CHECK(view.names().size() == official.size());
    double worst = 0.0;
    for (const auto& [name, tensor] : official) {
        INFO(name);
        REQUIRE(view.contains(name));
        const at::Tensor got = view.tensor(name);
        REQUIRE(got.sizes() == tensor.sizes());
        worst = std::max(worst, relativeError(got, tensor));
    }
    return worst;
}

}  // namespace

TEST_CASE("Every tiny Wan layout reads back as the official weights", "[infer][wan][layouts]") {
    const TinyWanWeights weights = tinyWanWeights();
    for (const TinyWanLayout layout : allTinyWanLayouts()) {
        const std::string name(tinyWanLayoutName(layout));
        INFO("layout " << name);
        const std::filesystem::path dir = freshDir("tiny-layouts/" + name);
        writeTinyWanLayout(dir, layout);
        const wan::WanModelFiles files = wan::findWanModelFiles(dir, "quality");
        // ComfyUI's umT5 files embed the tokenizer; the others bring a tokenizer folder.
        const bool comfyUmt5 =
            layout == TinyWanLayout::ComfyFp16 || layout == TinyWanLayout::ComfyBf16 ||
            layout == TinyWanLayout::ComfyFp8Scaled || layout == TinyWanLayout::GgufQ4_K;
        CHECK((files.tokenizer == files.textEncoder) == comfyUmt5);
        CHECK_FALSE(files.tokenizer.empty());
        const double dit = worstError(files.transformer, ModelFamily::WanDiT, weights.dit);
        const double vae = worstError(files.vae, ModelFamily::WanVAE, weights.vae);
        const double t5 =
            worstError(files.textEncoder, ModelFamily::UMT5Encoder, weights.textEncoder);
        const double clip =
            worstError(files.imageEncoder, ModelFamily::WanCLIP, weights.imageEncoder);
        std::cout << "tiny layout " << name << ": worst relative error DiT " << dit << ", VAE "
                  << vae << ", umT5 " << t5 << ", CLIP " << clip << "\n";
        // Lossless everywhere but the DiT of the rounding layouts and the fp8 / Q8_0 umT5.
        CHECK(vae == 0.0);
        CHECK(clip == 0.0);
        const bool lossyDit = layout != TinyWanLayout::Official &&
                              layout != TinyWanLayout::Diffusers &&
                              layout != TinyWanLayout::ComfyFp16;
        const bool lossyT5 =
            layout == TinyWanLayout::ComfyFp8Scaled || layout == TinyWanLayout::GgufQ8_0;
        // bf16 rounds to 2^-9 relative, Q8_0 to 1/254 of a block's range, scaled fp8 e4m3
        // and Q4_K to about 2^-4 of a row's or sub-block's range.
        CHECK(dit <= (lossyDit ? 0.1 : 0.0));
        CHECK(t5 <= (lossyT5 ? 0.1 : 0.0));
        if (lossyDit) {
            CHECK(dit > 0.0);
        }
    }
}

TEST_CASE("The tiny GGUF writers' Q4_K and Q8_0 blocks decode to the values meant",
          "[infer][wan][layouts][gguf]") {
    at::manual_seed(5);
    const at::Tensor values = at::randn({8, 512}) * at::linspace(0.1, 2.0, 512);
    for (const std::uint32_t type : {8u, 12u}) {
        // ggufTensor throws when the project's dequantiser reads other values than meant.
        const GgufTensor tensor = ggufTensor("w", values, type);
        const double error = relativeError(tensor.decoded, values);
        std::cout << "ggml type " << type << ": relative error " << error << "\n";
        CHECK(tensor.bytes.size() == (type == 8 ? 8 * 16 * 34 : 8 * 2 * 144));
        CHECK(error > 0.0);
        CHECK(error < (type == 8 ? 0.01 : 0.1));
    }
}
