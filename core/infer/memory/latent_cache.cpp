#include "core/infer/memory/latent_cache.h"

#include "core/base/log.h"
#include "core/base/sha256.h"
#include "core/base/user_error.h"
#include "core/infer/weights/safetensors_file.h"
#include "core/infer/weights/safetensors_writer.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <stdexcept>
#include <string_view>

namespace storyreel::infer {
namespace {

constexpr std::string_view kFormat = "storyreel.latents";
constexpr std::string_view kVersion = "1";
constexpr std::array<std::string_view, 4> kReservedKeys = {"format", "version", "step", "sha256"};

std::string_view bytesOf(const at::Tensor& contiguous) {
    return {static_cast<const char*>(contiguous.data_ptr()),
            static_cast<std::size_t>(contiguous.numel() * contiguous.element_size())};
}

// The dtype a latent file stores (unlike scalarTypeOf, which is what readers decode to).
at::ScalarType storedScalarType(StorageType type) {
    switch (type) {
        case StorageType::F32:
            return at::kFloat;
        case StorageType::BF16:
            return at::kBFloat16;
        case StorageType::F16:
            return at::kHalf;
        case StorageType::F64:
            return at::kDouble;
        default:
            return at::ScalarType::Undefined;
    }
}

const std::string& field(const std::map<std::string, std::string>& metadata,
                         const std::filesystem::path& file, const std::string& key) {
    const auto found = metadata.find(key);
    if (found == metadata.end()) {
        throw UserError::inFile(file, "is not a Storyreel latent file (its header has no '" + key +
                                          "'); delete it to start the job again.");
    }
    return found->second;
}

}  // namespace

void saveLatents(const std::filesystem::path& file, const LatentCheckpoint& checkpoint) {
    for (const std::string_view key : kReservedKeys) {
        if (checkpoint.header.count(std::string(key)) != 0) {
            throw std::invalid_argument("saveLatents: header key '" + std::string(key) +
                                        "' is reserved");
        }
    }
    const at::Tensor latents = checkpoint.latents.contiguous().cpu();
    const at::ScalarType dtype = latents.scalar_type();
    if (dtype != at::kFloat && dtype != at::kBFloat16 && dtype != at::kHalf &&
        dtype != at::kDouble) {
        throw std::invalid_argument(std::string("saveLatents: latents of dtype ") +
                                    c10::toString(dtype) + " are not supported");
    }
    std::map<std::string, std::string> metadata = checkpoint.header;
    metadata["format"] = kFormat;
    metadata["version"] = kVersion;
    metadata["step"] = std::to_string(checkpoint.step);
    metadata["sha256"] = sha256Hex(bytesOf(latents));
    writeSafetensorsFile(file, {{"latents", latents}}, metadata);
}

LatentCheckpoint loadLatents(const std::filesystem::path& file) {
    // Checks the header and that every tensor lies inside the file: a truncated file fails here.
    const SafetensorsFile reader(file);
    const auto& metadata = reader.metadata();
    if (field(metadata, file, "format") != kFormat) {
        throw UserError::inFile(file, "is not a Storyreel latent file (format '" +
                                          field(metadata, file, "format") + "').");
    }
    if (field(metadata, file, "version") != kVersion) {
        throw UserError::inFile(file, "was saved by a newer Storyreel (latent format version " +
                                          field(metadata, file, "version") + ").");
    }
    LatentCheckpoint checkpoint;
    const std::string& step = field(metadata, file, "step");
    const auto [end, error] =
        std::from_chars(step.data(), step.data() + step.size(), checkpoint.step);
    if (error != std::errc() || end != step.data() + step.size() || checkpoint.step < 0) {
        throw UserError::inFile(file, "has an invalid step '" + step + "'.");
    }
    const TensorInfo* info = reader.find("latents");
    const at::ScalarType dtype =
        info ? storedScalarType(info->storageType) : at::ScalarType::Undefined;
    if (dtype == at::ScalarType::Undefined) {
        throw UserError::inFile(file, "holds no float 'latents' tensor.");
    }
    const auto bytes = reader.rawBytes(*info);
    const std::string_view view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (sha256Hex(view) != field(metadata, file, "sha256")) {
        throw UserError::inFile(file,
                                "is corrupt: the latents do not match their checksum. "
                                "Delete it to start the job from the first step.");
    }
    checkpoint.latents = at::empty(info->shape, at::TensorOptions().dtype(dtype));
    std::memcpy(checkpoint.latents.data_ptr(), bytes.data(), bytes.size());
    for (const auto& [key, value] : metadata) {
        if (std::find(kReservedKeys.begin(), kReservedKeys.end(), key) == kReservedKeys.end()) {
            checkpoint.header[key] = value;
        }
    }
    return checkpoint;
}

at::Tensor loadFinishedLatents(const std::filesystem::path& file, const std::string& key,
                               std::int64_t steps) {
    if (file.empty() || !std::filesystem::exists(file)) {
        return {};
    }
    try {
        LatentCheckpoint saved = loadLatents(file);
        const auto found = saved.header.find("key");
        if (found != saved.header.end() && found->second == key && saved.step == steps) {
            return saved.latents.to(at::kFloat);
        }
    } catch (const UserError& error) {
        storyreel::log(LogLevel::Warning, std::string("ignoring saved latents: ") + error.what());
    }
    return {};
}

}  // namespace storyreel::infer
