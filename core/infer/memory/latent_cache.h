// Saved latents, so that a job resumes after its last saved step and a failed VAE decode
// is retried without denoising again. A latent file is a .safetensors file with one tensor,
// "latents", and a header (__metadata__) holding the format name, the step, a SHA-256 of
// the tensor's bytes and the caller's own fields (seed, steps, engine...). It is written
// atomically (temporary file, fsync, rename); a truncated or altered file is refused with
// a message that names it.
//
//   saveLatents(take / "latents.safetensors", {x, 12, {{"seed", "42"}}});
//   LatentCheckpoint saved = loadLatents(take / "latents.safetensors");  // step 12
//
// Thread-safety: pure functions; callers serialise writes to one file.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace storyreel::infer {

struct LatentCheckpoint {
    at::Tensor latents;  // float32, bfloat16, float16 or float64; any device (saved from the CPU)
    std::int64_t step = 0;  // denoising steps done: the job resumes at this step index
    // The caller's fields. "format", "version", "step" and "sha256" are the file's own.
    std::map<std::string, std::string> header;
};

// Throws UserError naming the file when it cannot be written, std::invalid_argument for a
// header that uses a reserved key or latents of another dtype.
void saveLatents(const std::filesystem::path& file, const LatentCheckpoint& checkpoint);

// Latents on the CPU in their saved dtype. Throws UserError naming the file when it is
// missing, truncated, not a latent file, or its checksum does not match.
LatentCheckpoint loadLatents(const std::filesystem::path& file);

// The float32 latents a finished run left in `file`: saved under the header field "key" equal
// to `key` after `steps` steps. Undefined when there is no such file or it holds another run;
// a file that cannot be read is logged as a warning and ignored (the run denoises again).
at::Tensor loadFinishedLatents(const std::filesystem::path& file, const std::string& key,
                               std::int64_t steps);

}  // namespace storyreel::infer
