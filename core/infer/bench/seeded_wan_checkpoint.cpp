#include "core/infer/bench/seeded_wan_checkpoint.h"

#include "core/base/user_error.h"
#include "core/infer/registry/expected_tensors.h"
#include "core/infer/registry/model_family.h"

#include <sstream>

namespace storyreel::infer::bench {
namespace {

// What expectedTensors needs to list an i2v or t2v Wan DiT of `config`.
ModelRecognition recognitionOf(const wan::WanModelConfig& config) {
    ModelRecognition r;
    r.family = ModelFamily::WanDiT;
    r.layout = CheckpointLayout::Official;
    r.config = {{"dim", config.dim},
                {"ffn_dim", config.ffnDim},
                {"text_dim", config.textDim},
                {"freq_dim", config.freqDim},
                {"out_features", config.headOutFeatures()},
                {"in_dim", config.inDim},
                {"layers", config.numLayers},
                {"i2v", config.isI2V() ? 1 : 0}};
    return r;
}

// The reference's WanModel(**config) arguments as JSON.
std::string wanReferenceConfigJson(const wan::WanModelConfig& c) {
    std::ostringstream json;
    json.precision(17);
    json << "{\"model_type\": \"" << (c.isI2V() ? "i2v" : "t2v") << "\", \"patch_size\": [1, 2, 2]"
         << ", \"text_len\": " << c.textLen << ", \"in_dim\": " << c.inDim << ", \"dim\": " << c.dim
         << ", \"ffn_dim\": " << c.ffnDim << ", \"freq_dim\": " << c.freqDim
         << ", \"text_dim\": " << c.textDim << ", \"out_dim\": " << c.outDim
         << ", \"num_heads\": " << c.numHeads << ", \"num_layers\": " << c.numLayers
         << ", \"window_size\": [-1, -1]"
         << ", \"qk_norm\": " << (c.qkNorm ? "true" : "false")
         << ", \"cross_attn_norm\": " << (c.crossAttnNorm ? "true" : "false")
         << ", \"eps\": " << c.eps << "}";
    return json.str();
}

}  // namespace

SeededWanCheckpoint::SeededWanCheckpoint(const wan::WanModelConfig& config, std::uint64_t seed,
                                         c10::Device drawDevice)
    : SeededCheckpoint("seeded Wan DiT (seed " + std::to_string(seed) + ")", seed, drawDevice),
      config_(config) {
    config_.validate();
    if (config_.patchSize != std::array<std::int64_t, 3>{1, 2, 2}) {
        throw UserError("the Wan step bench draws weights for patch size (1, 2, 2) only");
    }
    listTensors(recognitionOf(config_), wanReferenceConfigJson(config_));
}

}  // namespace storyreel::infer::bench
