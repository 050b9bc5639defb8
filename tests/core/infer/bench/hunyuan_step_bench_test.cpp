// The hunyuan-step benchmark's own machinery (core/infer/bench): its seeded weights are the
// same whether read from the safetensors file the reference gets or drawn directly (the GPU
// preset's way), name every parameter HunyuanDiT loads and follow the documented rule; the
// GPU preset is the real HYVideo-T/2 at the 540p bucket; and its code path (device-drawn
// weights, a memory profile with block swap, --vs-wan with the Wan step) runs on the CPU
// with a tiny shape.
#include "core/infer/bench/hunyuan_step_bench.h"

#include "core/base/user_error.h"
#include "core/infer/bench/seeded_hunyuan_checkpoint.h"
#include "core/infer/layers/module_weights.h"
#include "core/infer/models/hunyuan/hy_dit_model.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/registry/model_family.h"
#include "core/infer/weights/json_value.h"
#include "tests/core/infer/bench/bench_test_support.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

using namespace storyreel::infer;
using namespace storyreel::infer::bench;
using storyreel::infer::bench::testing::checkWrittenAsDrawn;
using storyreel::infer::bench::testing::freshBenchFolder;

namespace {

hunyuan::HunyuanDiTConfig tinyDit() {
    hunyuan::HunyuanDiTConfig config = hunyuan::kHunyuanVideoI2V;
    config.hiddenSize = 64;
    config.headsNum = 2;
    config.ropeDimList = {4, 14, 14};
    config.doubleBlocks = 1;
    config.singleBlocks = 2;
    config.textStatesDim = 24;
    config.textStatesDim2 = 12;
    return config;
}

}  // namespace

TEST_CASE("The bench's seeded HunyuanVideo weights are the same from their file and drawn directly",
          "[infer][bench][hunyuan]") {
    const SeededHunyuanCheckpoint seeded(tinyDit(), 7, at::kCPU);
    const std::filesystem::path file = freshBenchFolder("hunyuan-seeded") / "dit.safetensors";
    writeSeededCheckpoint(seeded, file);

    const std::unique_ptr<CheckpointFile> written = checkWrittenAsDrawn(seeded, file);
    const ModelRecognition r =
        recogniseModel(written->tensors(), written->metadata(), written->architecture());
    CHECK(r.family == ModelFamily::HunyuanDiT);
    CHECK(r.config.at("hidden") == 64);
    CHECK(r.config.at("double_blocks") == 1);
    CHECK(r.config.at("single_blocks") == 2);
    // The metadata's config is the golden format: it reads back as the same configuration,
    // and the file alone tells it too.
    const hunyuan::HunyuanDiTConfig back =
        hunyuan::HunyuanDiTConfig::fromJson(parseJson(seeded.referenceConfigJson()));
    CHECK(back.describe() == tinyDit().describe());
    CHECK(back.ropeDimList == tinyDit().ropeDimList);
    const InternalView view(*written, ModelFamily::HunyuanDiT, CheckpointLayout::Official);
    CHECK(hunyuan::HunyuanDiTConfig::fromCheckpoint(view).hiddenSize == 64);
}

TEST_CASE("The bench's seeded HunyuanVideo weights are all HunyuanDiT loads, by the rule",
          "[infer][bench][hunyuan]") {
    const SeededHunyuanCheckpoint seeded(tinyDit(), 7, at::kCPU);
    // Every tensor is used: building the model from exactly these succeeds.
    const InternalView view(seeded, ModelFamily::HunyuanDiT, CheckpointLayout::Official);
    const ModuleWeights weights(view, {}, "HunyuanVideo DiT", tinyDit().describe());
    const hunyuan::HunyuanDiT model(tinyDit(), weights);
    std::int64_t parameters = 0;
    for (const at::Tensor& p : model.parameters()) {
        parameters += p.numel();
    }
    for (const at::Tensor& b : model.buffers()) {
        parameters += b.numel();
    }
    std::int64_t listed = 0;
    for (const TensorInfo& info : seeded.tensors()) {
        listed += info.numel();
    }
    CHECK(parameters == listed);

    // Matrices ~ N(0, 1/fan_in): linear1 is [3*64 + 256, 64].
    const at::Tensor linear1 = seeded.read("single_blocks.0.linear1.weight");
    CHECK(linear1.sizes() == at::IntArrayRef({448, 64}));
    CHECK(std::abs(linear1.std().item<double>() * std::sqrt(64.0) - 1.0) < 0.05);
    // The patch convolution's fan-in is in_channels * 1 * 2 * 2.
    const at::Tensor patch = seeded.read("img_in.proj.weight");
    CHECK(std::abs(patch.std().item<double>() * std::sqrt(64.0) - 1.0) < 0.1);
    // The zero-initialised modulation is live; norm gains ~ 1 + 0.1 N, biases ~ 0.1 N.
    CHECK(seeded.read("double_blocks.0.img_mod.linear.weight").abs().sum().item<double>() > 0);
    CHECK(std::abs(seeded.read("double_blocks.0.img_attn_q_norm.weight").mean().item<double>() -
                   1.0) < 0.1);
    CHECK(std::abs(seeded.read("single_blocks.1.linear1.bias").std().item<double>() - 0.1) < 0.03);
    // Reading again gives the same values; another seed others.
    CHECK(at::equal(seeded.read("single_blocks.0.linear1.weight"), linear1));
    const SeededHunyuanCheckpoint other(tinyDit(), 8, at::kCPU);
    CHECK_FALSE(at::equal(other.read("single_blocks.0.linear1.weight"), linear1));
    using Catch::Contains;
    CHECK_THROWS_WITH(seeded.read("single_blocks.9.linear1.weight"),
                      Contains("single_blocks.9.linear1.weight"));
}

TEST_CASE("hunyuan-step's GPU preset is the real HYVideo-T/2 at the 540p bucket",
          "[infer][bench][hunyuan]") {
    const HunyuanStepOptions options = parseHunyuanStepOptions({"--preset", "gpu-t2"});
    CHECK(options.config.describe() == hunyuan::kHunyuanVideoI2V.describe());
    CHECK(options.config.ropeDimList == hunyuan::kHunyuanVideoI2V.ropeDimList);
    CHECK(options.frames == 129);
    CHECK(options.height == 544);  // the 540p bucket of a 16:9 image
    CHECK(options.width == 928);
    CHECK(options.device == "cuda");
    CHECK(options.dtype == at::kBFloat16);
    CHECK(options.deviceWeights);
    CHECK(options.wan.config.dim == wan::kWanI2V14B.dim);
    CHECK(options.wan.config.numLayers == wan::kWanI2V14B.numLayers);
    // The CPU default: 12 heads of 128 with the released rope split.
    const HunyuanStepOptions cpu = parseHunyuanStepOptions({});
    CHECK(cpu.config.headDim() == 128);
    CHECK(cpu.config.ropeDimList == std::array<std::int64_t, 3>{16, 56, 56});
    CHECK(cpu.imageTokens + cpu.textTokens == 396);  // 144 + 252, as the LLaVA crop gives
}

TEST_CASE("hunyuan-step runs the GPU preset's path and --vs-wan on the CPU with a tiny shape",
          "[infer][bench][hunyuan][wan]") {
    // The T/2 preset with everything that needs a GPU scaled down: weights drawn on the
    // device (no file), the 16gb profile with one resident block (the others swapped), and
    // the Wan comparison with a tiny Wan.
    const HunyuanStepOptions options =
        parseHunyuanStepOptions({"--preset",
                                 "gpu-t2",
                                 "--device",
                                 "cpu",
                                 "--dtype",
                                 "float32",
                                 "--hidden",
                                 "64",
                                 "--heads",
                                 "2",
                                 "--double",
                                 "1",
                                 "--single",
                                 "2",
                                 "--frames",
                                 "5",
                                 "--height",
                                 "32",
                                 "--width",
                                 "48",
                                 "--text-tokens",
                                 "6",
                                 "--prompt-tokens",
                                 "3",
                                 "--profile",
                                 "16gb",
                                 "--resident-blocks",
                                 "1",
                                 "--threads",
                                 "1",
                                 "--warmup",
                                 "0",
                                 "--repeats",
                                 "1",
                                 "--vs-wan",
                                 "--wan-dim",
                                 "64",
                                 "--wan-heads",
                                 "4",
                                 "--wan-ffn",
                                 "128",
                                 "--wan-layers",
                                 "2",
                                 "--work",
                                 freshBenchFolder("hunyuan-gpu-path").string()});
    CHECK(options.deviceWeights);
    CHECK(options.config.isTokenReplace());
    CHECK(options.config.textStatesDim == 4096);  // the preset's real text widths stay
    CHECK(options.config.ropeDimList == std::array<std::int64_t, 3>{4, 14, 14});
    const int threads = at::get_num_threads();
    const HunyuanStepResult result = runHunyuanStepBench(options);
    at::set_num_threads(threads);  // the bench sets ATen's (process-wide) thread count
    CHECK(result.residentBlocks == 1);
    CHECK(result.blockLoads == 2);  // 3 blocks, 1 resident, one forward
    REQUIRE(result.storyreel.seconds.size() == 1);
    CHECK(result.storyreel.seconds.front() > 0.0);
    CHECK(result.storyreel.stepPeakBytes > 0);
    CHECK(result.tokens == 2 * 2 * 3);  // latent 2 x 4 x 6, 2x2 patches
    CHECK(result.textRows == 144 + 6);
    CHECK(result.validTextRows == 144 + 3);
    CHECK(result.reference.seconds.empty());
    CHECK(result.outputError < 0.0);
    REQUIRE(result.wan.has_value());
    CHECK(result.wan->tokens == 2 * 2 * 3);  // the same video for Wan
    REQUIRE(result.wan->storyreel.seconds.size() == 1);
    CHECK(result.hunyuanClipSeconds == Approx(50 * result.storyreel.seconds.front()));
    CHECK(result.wanClipSeconds == Approx(40 * result.wan->storyreel.seconds.front()));
}

TEST_CASE("hunyuan-step options name the one that is wrong", "[infer][bench][hunyuan]") {
    using Catch::Contains;
    CHECK_THROWS_WITH(parseHunyuanStepOptions({"--height", "100"}), Contains("multiples of 16"));
    CHECK_THROWS_WITH(parseHunyuanStepOptions({"--frames", "8"}), Contains("4k + 1"));
    CHECK_THROWS_WITH(parseHunyuanStepOptions({"--preset", "gpu-14b"}), Contains("gpu-t2"));
    CHECK_THROWS_WITH(parseHunyuanStepOptions({"--double", "many"}), Contains("--double"));
    CHECK_THROWS_WITH(parseHunyuanStepOptions({"--hidden", "100", "--heads", "3"}),
                      Contains("--heads"));
    CHECK_THROWS_WITH(parseHunyuanStepOptions({"--prompt-tokens", "300"}),
                      Contains("--prompt-tokens"));
    CHECK_THROWS_WITH(parseHunyuanStepOptions({"--ref-attention", "flash"}),
                      Contains("block-mask"));
    CHECK(parseHunyuanStepOptions({"--ref-attention", "segments"}).referenceAttention ==
          "segments");
    CHECK_THROWS_AS(parseHunyuanStepOptions({"--frobnicate"}), storyreel::UserError);
}
