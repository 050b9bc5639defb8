// One internal naming per model: the official reference's parameter names (the names the
// golden data and the ports use), and how every layout's names map onto them, so that model
// code never sees a layout. Ported from the renames in diffusers
// (scripts/convert_wan_to_diffusers.py, convert_hunyuan_video_to_diffusers.py), ComfyUI
// (prefix stripping, comfy/model_detection.py) and ComfyUI-GGUF (loader.py T5_SD_MAP).
//
//   std::optional<MappedName> m = mapToInternal(ModelFamily::HunyuanDiT,
//       CheckpointLayout::Diffusers, "transformer_blocks.0.attn.to_k.weight");
//   // m->internalName == "double_blocks.0.img_attn_qkv.weight", Concat part 1 of 3
//
// Thread-safety: pure functions and value types.
#pragma once

#include "core/infer/registry/model_family.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer {

enum class MappingKind {
    Rename,      // the same tensor under another name
    Concat,      // one of `parts` tensors concatenated along dim 0 (split q/k/v -> fused qkv)
    SwapHalves,  // the two halves along dim 0 swapped (diffusers' norm_out holds scale, shift)
    Unsqueeze,   // the same values with `leadingOnes` dimensions of size 1 in front
    Transpose,   // a 2-D matrix transposed (a Linear weight vs a projection matrix)
};

std::string_view mappingKindName(MappingKind kind);

struct MappedName {
    std::string internalName;
    MappingKind kind = MappingKind::Rename;
    int part = 0;   // Concat: position of this tensor among the parts
    int parts = 1;  // Concat: how many tensors make the internal one
    int leadingOnes = 0;
};

// The internal name that `name` (a tensor of a `family` checkpoint in `layout`, prefix
// included) feeds, or nullopt when it feeds none (scaled-fp8 bookkeeping, buffers such as
// position_ids, names this layout does not know).
std::optional<MappedName> mapToInternal(ModelFamily family, CheckpointLayout layout,
                                        std::string_view name);

// Internal name -> shape for a checkpoint's tensors (concatenated parts added up, ...);
// tensors that map to nothing are left out.
std::map<std::string, std::vector<std::int64_t>> internalShapes(
    ModelFamily family, CheckpointLayout layout, const std::vector<TensorInfo>& tensors);

// The shape of an internal tensor made from `sources` (ordered by part) of `kind`.
std::vector<std::int64_t> internalShape(MappingKind kind, int leadingOnes,
                                        const std::vector<std::vector<std::int64_t>>& sources);

}  // namespace storyreel::infer
