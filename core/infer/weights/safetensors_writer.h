// Writes .safetensors files (huggingface/safetensors: an 8-byte little-endian header
// length, a JSON header padded with spaces to 8 bytes, then the tensors' bytes back to
// back). The project reads checkpoints with SafetensorsFile; it writes its own small files
// (saved latents) with this, atomically.
//
//   writeSafetensorsFile(dir / "latents.safetensors", {{"latents", x}}, {{"step", "12"}});
//
// Thread-safety: pure functions; callers serialise writes to one file.
#pragma once

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace storyreel::infer {

using NamedTensorList = std::vector<std::pair<std::string, at::Tensor>>;

// The file's bytes: tensors in the order given, stored in their own dtype (F32, F16, BF16,
// F64, I64, I32 or U8; anything else throws std::invalid_argument), `metadata` as the
// header's __metadata__. Assumes a little-endian host, like the reader.
std::string safetensorsBytes(const NamedTensorList& tensors,
                             const std::map<std::string, std::string>& metadata = {});

// safetensorsBytes written with writeFileAtomically (temporary file, fsync, rename):
// throws UserError naming the file when it cannot be written.
void writeSafetensorsFile(const std::filesystem::path& file, const NamedTensorList& tensors,
                          const std::map<std::string, std::string>& metadata = {});

}  // namespace storyreel::infer
