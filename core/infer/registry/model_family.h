// Model recognition: which model a checkpoint holds (family), in which layout its tensors
// are named, and which released variant its shapes say it is. Judged from tensor names and
// shapes (and metadata when it says more), never from the file name.
//
//   const ModelRecognition r = recogniseModel(file->tensors(), file->metadata(),
//                                             file->architecture());
//   if (r.family == ModelFamily::WanDiT) show(r.variant);   // "Wan 2.1 I2V 14B (480p or ...)"
//
// Thread-safety: pure functions and value types.
#pragma once

#include "core/infer/weights/tensor_info.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer {

enum class ModelFamily {
    Unknown,
    WanDiT,       // wan/modules/model.py WanModel
    WanVAE,       // wan/modules/vae.py WanVAE_ (Wan 2.1, z_dim 16)
    UMT5Encoder,  // wan/modules/t5.py T5Encoder (umT5-XXL)
    WanCLIP,      // wan/modules/clip.py XLM-RoBERTa CLIP, its ViT-H/14 visual tower
    HunyuanDiT,   // hyvideo/modules/models.py HYVideoDiffusionTransformer
    HunyuanVAE,   // hyvideo/vae AutoencoderKLCausal3D (884-16c)
    LlavaLlama3,  // transformers LlavaForConditionalGeneration (llava-llama-3-8b)
    // LLaVA's CLIP ViT-L/14-336 tower and projector alone: ComfyUI's
    // clip_vision/llava_llama3_vision (vision_model.*, multi_modal_projector.*), which goes
    // with its text-only text_encoders/llava_llama3_*.
    LlavaVision,
    ClipLText,    // transformers CLIPTextModel (openai/clip-vit-large-patch14)
    WanLora,      // a LoRA that patches a Wan DiT (the Fast (Wan) step-distillation LoRA)
    HunyuanLora,  // a LoRA that patches a HunyuanVideo DiT
};

enum class CheckpointLayout {
    Official,   // the reference implementation's own parameter names (the internal names)
    ComfyUI,    // ComfyUI repackaged: a `model.diffusion_model.` prefix and/or scaled fp8
    Diffusers,  // diffusers / transformers module names (attn1.to_q, transformer_blocks, ...)
    Gguf,       // ComfyUI-GGUF / llama.cpp files (arch wan, hyvid, t5encoder, llama)
};

// "Wan 2.1 DiT (video transformer)", "umT5-XXL text encoder", ...
std::string_view modelFamilyName(ModelFamily family);
// "official", "ComfyUI repackaged", "diffusers", "GGUF".
std::string_view checkpointLayoutName(CheckpointLayout layout);
// The licence family: "Apache-2.0" (Wan), "Tencent Hunyuan Community License" (HunyuanVideo),
// and the upstream licences of the text encoders.
std::string_view modelFamilyLicence(ModelFamily family);

struct ModelRecognition {
    ModelFamily family = ModelFamily::Unknown;
    CheckpointLayout layout = CheckpointLayout::Official;
    // What layout-specific prefix the names carry ("model.diffusion_model."), or "".
    std::string prefix;
    bool scaledFp8 = false;  // ComfyUI "scaled fp8": fp8 weights with a scale_weight each
    // "Wan 2.1 I2V 14B (480p or 720p: the file does not tell; check its name)", ... or
    // "unknown size (dim 64, 2 layers, in_dim 36)" when the shapes match no release.
    std::string variant;
    bool knownVariant = false;
    // Hyper-parameters read from shapes: "dim", "layers", "in_dim", "i2v", ...
    std::map<std::string, std::int64_t> config;
    // config[key], or 0 when the shapes did not tell it.
    std::int64_t configValue(const std::string& key) const {
        const auto found = config.find(key);
        return found == config.end() ? 0 : found->second;
    }
    // Things a user should know ("text part only: ...").
    std::vector<std::string> notes;
};

// The note on a LLaVA file without its vision tower (ComfyUI's text_encoders/llava_llama3_*),
// which HunyuanVideo-I2V feeds the reference image through.
inline constexpr std::string_view kLlavaTextOnlyNote =
    "text part only: also needs LLaVA's vision tower, ComfyUI's "
    "clip_vision/llava_llama3_vision.safetensors";

// `tensors` as listed by a CheckpointFile; `architecture` is GGUF general.architecture.
ModelRecognition recogniseModel(const std::vector<TensorInfo>& tensors,
                                const std::map<std::string, std::string>& metadata,
                                std::string_view architecture);

// The layout-specific prefixes that are stripped before names are compared.
const std::vector<std::string_view>& knownNamePrefixes();

// True for the bookkeeping tensors of ComfyUI scaled fp8 (`scaled_fp8`, `*.scale_weight`,
// `*.scale_input`), which belong to no model parameter.
bool isScaleTensorName(std::string_view name);

}  // namespace storyreel::infer
