// Saved latents: a round trip keeps values, dtype, step and header; a truncated, altered or
// foreign file is refused with a message naming it; a failed save leaves the old file.
#include "core/infer/memory/latent_cache.h"

#include "core/base/user_error.h"
#include "core/infer/memory/seeded_noise.h"
#include "core/infer/weights/safetensors_writer.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

using Catch::Matchers::Contains;
using storyreel::UserError;
using storyreel::infer::LatentCheckpoint;
using storyreel::infer::loadLatents;
using storyreel::infer::saveLatents;
using storyreel::infer::seededNoise;

namespace fs = std::filesystem;

namespace {

fs::path testDir() {
    const fs::path dir = fs::path(STORYREEL_TEST_BINARY_DIR) / "latent_cache_test";
    fs::create_directories(dir);
    return dir;
}

std::string readAll(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void writeAll(const fs::path& file, const std::string& bytes) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace

TEST_CASE("Saved latents load back with their step, dtype and header", "[infer][memory][latents]") {
    const auto dtype = GENERATE(at::kFloat, at::kBFloat16);
    const fs::path file = testDir() / "roundtrip.safetensors";
    const LatentCheckpoint saved{seededNoise({16, 3, 6, 10}, 5).to(dtype),
                                 12,
                                 {{"seed", "5"}, {"engine", "wan \"quality\""}}};
    saveLatents(file, saved);
    CHECK_FALSE(fs::exists(file.string() + ".tmp"));

    const LatentCheckpoint loaded = loadLatents(file);
    CHECK(loaded.step == 12);
    CHECK(loaded.latents.scalar_type() == dtype);
    CHECK(at::equal(loaded.latents, saved.latents));
    CHECK(loaded.header == saved.header);

    // A later save replaces the file whole.
    saveLatents(file, {saved.latents * 2, 13, {}});
    CHECK(loadLatents(file).step == 13);
    CHECK(loadLatents(file).header.empty());
}

TEST_CASE("A truncated or altered latent file is refused with its name",
          "[infer][memory][latents]") {
    const fs::path file = testDir() / "damaged.safetensors";
    saveLatents(file, {seededNoise({4, 2, 8, 8}, 9), 3, {}});
    const std::string bytes = readAll(file);

    writeAll(file, bytes.substr(0, bytes.size() - 100));
    CHECK_THROWS_WITH(loadLatents(file), Contains(file.string()));

    std::string flipped = bytes;
    flipped[flipped.size() - 7] ^= 0x40;
    writeAll(file, flipped);
    CHECK_THROWS_WITH(loadLatents(file), Contains(file.string()) && Contains("checksum"));

    writeAll(file, bytes.substr(0, 5));
    CHECK_THROWS_AS(loadLatents(file), UserError);
    CHECK_THROWS_AS(loadLatents(testDir() / "missing.safetensors"), UserError);
}

TEST_CASE("A safetensors file that is not a latent file is refused", "[infer][memory][latents]") {
    const fs::path file = testDir() / "weights.safetensors";
    storyreel::infer::writeSafetensorsFile(file, {{"latents", at::zeros({2, 2})}},
                                           {{"format", "pt"}});
    CHECK_THROWS_WITH(loadLatents(file), Contains("not a Storyreel latent file"));
    storyreel::infer::writeSafetensorsFile(file, {{"latents", at::zeros({2, 2})}});
    CHECK_THROWS_WITH(loadLatents(file), Contains(file.string()));
}

TEST_CASE("Saving latents refuses reserved header keys and integer tensors",
          "[infer][memory][latents]") {
    const fs::path file = testDir() / "refused.safetensors";
    CHECK_THROWS_AS(saveLatents(file, {at::zeros({2}), 1, {{"step", "4"}}}), std::invalid_argument);
    CHECK_THROWS_AS(saveLatents(file, {at::zeros({2}, at::kLong), 1, {}}), std::invalid_argument);
    CHECK_FALSE(fs::exists(file));
}
