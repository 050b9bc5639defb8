// The Wan 2.1 I2V models as a user installs them: the four components (DiT, VAE, umT5 text
// encoder, CLIP image encoder) and the umT5 tokenizer found anywhere below a models folder
// by content (the registry's scanModelsFolder, so official, ComfyUI, diffusers and GGUF files
// all count), opened through WeightLoader with the memory profile's dtype and GGUF policy
// (quantised DiT blocks stay quantised when the profile says so), with LoRAs merged or
// applied at run time (LoraStack), and placed on the device. Hyper-parameters come from
// the official config.json beside the DiT when there is one, otherwise from tensor shapes.
//
//   const WanModelFiles files = findWanModelFiles("/data/models", "quality");  // UserError
//   std::unique_ptr<WanModelSet> models = WanModelSet::open(files, options);
//   WanI2VPipeline pipeline(models->components(), {options.device, options.profile});
//
// Thread-safety: finding and opening read files; one thread per WanModelSet.
#pragma once

#include "core/base/cancel_token.h"
#include "core/infer/memory/memory_profile.h"
#include "core/infer/models/wan/clip_visual.h"
#include "core/infer/models/wan/umt5_encoder.h"
#include "core/infer/models/wan/wan_config.h"
#include "core/infer/models/wan/wan_i2v_pipeline.h"
#include "core/infer/models/wan/wan_vae_config.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/registry/model_family.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer {
class OpenedCheckpoints;
}

namespace storyreel::infer::wan {

struct WanModelFiles {
    std::filesystem::path folder;
    std::filesystem::path transformer;
    std::filesystem::path vae;
    std::filesystem::path textEncoder;
    std::filesystem::path imageEncoder;
    // tokenizer.json or spiece.model (or its folder), or the text encoder itself when it
    // embeds the SentencePiece model (ComfyUI's umt5_xxl_*.safetensors: spiece_model).
    std::filesystem::path tokenizer;
    std::filesystem::path distillationLora;  // "fast-wan": the step-distillation LoRA
};

// `preset` is "quality" or "fast-wan". Throws UserError naming every missing component,
// what it must be and the folder it looked in (and files that were found but do not fit).
// "fast-wan" without a LoRA in the folder is accepted when `haveUserLoras` (the caller
// passes the distillation LoRA itself).
WanModelFiles findWanModelFiles(const std::filesystem::path& folder, std::string_view preset,
                                bool haveUserLoras = false);

// The umT5 tokenizer file below `folder`: a tokenizer.json or spiece.model, preferring one
// in a folder whose path names umt5. Empty when there is none (findWanModelFiles then takes
// the tokenizer a ComfyUI umT5 file embeds).
std::filesystem::path findUmt5Tokenizer(const std::filesystem::path& folder);

struct WanLoraChoice {
    std::filesystem::path file;
    float strength = 1.0f;
};

struct WanOpenOptions {
    c10::Device device = c10::Device(c10::kCPU);
    MemoryProfile profile;
    std::vector<WanLoraChoice> loras;  // the distillation LoRA is added by open() for fast-wan
    const CancelToken* cancel = nullptr;
};

// Hyper-parameters of each component, from config.json (DiT) or the tensors' shapes.
// Throw UserError naming the file when the shapes leave something undecided.
WanModelConfig transformerConfigFor(const InternalView& view, const ModelRecognition& recognition,
                                    const std::filesystem::path& file);
UMT5EncoderConfig umt5ConfigFromWeights(const InternalView& view);
ClipVisualConfig clipConfigFromWeights(const InternalView& view);
WanVAEConfig vaeConfigFromWeights(const ModelRecognition& recognition);

// The DiT's hyper-parameters and stored bytes per parameter, read from the file's header
// alone, for estimates made before anything is loaded.
struct WanTransformerSummary {
    WanModelConfig config;
    double storedBytesPerParameter = 2.0;
};
WanTransformerSummary summarizeWanTransformer(const std::filesystem::path& file);

class WanModelSet {
public:
    // Opens and places everything; throws UserError naming the file at fault.
    static std::unique_ptr<WanModelSet> open(const WanModelFiles& files,
                                             const WanOpenOptions& options);
    ~WanModelSet();

    WanI2VComponents components() const { return components_; }
    const WanModelConfig& transformerConfig() const { return transformerConfig_; }
    // Bytes a stored DiT weight takes on average (2 for bf16, about 1.06 for Q8_0, ...).
    double storedBytesPerParameter() const { return storedBytesPerParameter_; }

private:
    WanModelSet() = default;

    std::unique_ptr<OpenedCheckpoints> opened_;  // files and views the models came from
    WanI2VComponents components_;
    WanModelConfig transformerConfig_;
    double storedBytesPerParameter_ = 2.0;
};

}  // namespace storyreel::infer::wan
