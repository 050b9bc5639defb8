// The HunyuanVideo-I2V models as a user installs them: the DiT, the VAE, the LLaVA-Llama-3
// text encoder (one file or folder with its vision tower, or ComfyUI's text-only file plus
// its llava_llama3_vision file), CLIP-L's text encoder and both tokenizers, found anywhere
// below a models folder by content (the registry's scanModelsFolder: official .pt files,
// ComfyUI's repackaged files and city96's GGUF DiTs all count), then opened with the memory
// profile's dtypes, block swap and GGUF policy. Hyper-parameters come from the config.json
// beside a file when there is one (official VAE, LLaVA and CLIP folders), otherwise from
// tensor shapes; the prompt template's crop positions come from the tokenizer itself.
//
//   const HunyuanModelFiles files = findHunyuanModelFiles("/data/models");   // UserError
//   std::unique_ptr<HunyuanModelSet> models = HunyuanModelSet::open(files, options);
//   HunyuanI2VPipeline pipeline(models->components(), {options.device, options.profile});
//
// Thread-safety: finding and opening read files; one thread per HunyuanModelSet.
#pragma once

#include "core/base/cancel_token.h"
#include "core/infer/memory/memory_profile.h"
#include "core/infer/models/hunyuan/hy_dit_config.h"
#include "core/infer/models/hunyuan/hy_i2v_pipeline.h"
#include "core/infer/models/hunyuan/hy_prompt_crop.h"

#include <c10/core/Device.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

namespace storyreel::infer {
class HunyuanPromptTokenizer;
class OpenedCheckpoints;
}  // namespace storyreel::infer

namespace storyreel::infer::hunyuan {

struct HunyuanModelFiles {
    std::filesystem::path folder;
    std::filesystem::path transformer;
    std::filesystem::path vae;
    std::filesystem::path textEncoder;    // LLaVA-Llama-3 (with or without its vision tower)
    std::filesystem::path visionEncoder;  // ComfyUI's llava_llama3_vision; empty otherwise
    std::filesystem::path clipText;       // CLIP-L's text encoder
    std::filesystem::path llmTokenizer;   // LLaVA's tokenizer.json
    std::filesystem::path clipTokenizer;  // a folder with vocab.json and merges.txt
};

// Throws UserError naming every missing component, what it must be and the folder it looked
// in (and files that were found but do not fit).
HunyuanModelFiles findHunyuanModelFiles(const std::filesystem::path& folder);

// The crop positions of the video I2V template as `tokenizer` tokenizes it: crop_start (where
// the prompt starts), image_emb_start (the <image> token), the "\n\n" id before the prompt,
// and `imageTokens` image features. For Llama 3's tokenizer these are the reference's
// constants (103, 5, 581, 576, 271); a small test tokenizer gets its own.
HunyuanPromptTemplate hunyuanPromptCrop(const HunyuanPromptTokenizer& tokenizer,
                                        std::int64_t imageTokens);

struct HunyuanOpenOptions {
    c10::Device device = c10::Device(c10::kCPU);
    MemoryProfile profile;
    const CancelToken* cancel = nullptr;
};

// The DiT's hyper-parameters and stored bytes per parameter, from the file's header alone,
// for estimates made before anything is loaded.
struct HunyuanTransformerSummary {
    HunyuanDiTConfig config;
    double storedBytesPerParameter = 2.0;
};
HunyuanTransformerSummary summarizeHunyuanTransformer(const std::filesystem::path& file);

class HunyuanModelSet {
public:
    // Opens and places everything; throws UserError naming the file at fault.
    static std::unique_ptr<HunyuanModelSet> open(const HunyuanModelFiles& files,
                                                 const HunyuanOpenOptions& options);
    ~HunyuanModelSet();

    HunyuanI2VComponents components() const { return components_; }
    const HunyuanDiTConfig& transformerConfig() const { return transformerConfig_; }
    double storedBytesPerParameter() const { return storedBytesPerParameter_; }

private:
    HunyuanModelSet() = default;

    std::unique_ptr<OpenedCheckpoints> opened_;  // files and views the models came from
    HunyuanI2VComponents components_;
    HunyuanDiTConfig transformerConfig_;
    double storedBytesPerParameter_ = 2.0;
};

}  // namespace storyreel::infer::hunyuan
