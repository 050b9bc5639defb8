#include "core/render/engine_catalog.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace storyreel::render;

TEST_CASE("The catalog offers the four presets, neural ones needing a GPU", "[render]") {
    const auto presets = presetCatalog();
    REQUIRE(presets.size() == 4);
    CHECK(presets[0].id == "animatic");
    CHECK_FALSE(presets[0].needsGpu);
    for (const char* id : {"fast", "fast-wan", "quality"}) {
        const std::optional<PresetInfo> preset = findPreset(id);
        REQUIRE(preset.has_value());
        CHECK(preset->needsGpu);
    }
    CHECK_FALSE(findPreset("ultra").has_value());
}

TEST_CASE("A preset that cannot run says why", "[render]") {
    for (const PresetInfo& preset : presetCatalog()) {
        INFO(preset.id);
        CHECK(preset.available == preset.unavailableReason.empty());
    }
}

TEST_CASE("Wan presets run when their files are in the models folder, else say where",
          "[render][models]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / "storyreel_catalog_test" / "models";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto wanPresets = [](const std::vector<PresetInfo>& presets) {
        std::vector<PresetInfo> wan;
        for (const PresetInfo& preset : presets) {
            if (preset.id == "quality" || preset.id == "fast-wan") {
                wan.push_back(preset);
            }
        }
        REQUIRE(wan.size() == 2);
        return wan;
    };
    for (const PresetInfo& preset : wanPresets(presetCatalog(fs::path()))) {
        CHECK(preset.engineBuilt);
        CHECK_FALSE(preset.available);
        CHECK(preset.unavailableReason.find("no models folder") != std::string::npos);
    }
    for (const PresetInfo& preset : wanPresets(presetCatalog(dir))) {
        CHECK(preset.engineBuilt);
        CHECK_FALSE(preset.available);
        CHECK(preset.unavailableReason.find(dir.string()) != std::string::npos);
        CHECK(preset.unavailableReason.find("transformer") != std::string::npos);
    }
    // The golden files are recognised as the four components; a tokenizer completes them.
    const fs::path golden = fs::path(STORYREEL_GOLDEN_DEFAULT) / "wan";
    for (const char* file :
         {"wan_dit_i2v.weights.safetensors", "wan_vae.weights.safetensors",
          "wan_t5_encoder.weights.safetensors", "wan_clip_visual.weights.safetensors"}) {
        fs::copy_file(golden / file, dir / file);
    }
    fs::create_directories(dir / "google" / "umt5-xxl");
    std::ofstream(dir / "google" / "umt5-xxl" / "tokenizer.json") << "{}";
    const auto found = wanPresets(presetCatalog(dir));
    CHECK(found[0].id == "fast-wan");
    CHECK_FALSE(found[0].available);  // no step-distillation LoRA
    CHECK(found[0].unavailableReason.find("step-distillation LoRA") != std::string::npos);
    CHECK(found[1].id == "quality");
    CHECK(found[1].available);
    CHECK(found[1].unavailableReason.empty());

    // The catalog of $STORYREEL_MODELS_DIR follows the variable and refreshPresetCatalog(),
    // without a restart (the model manager changes both).
    const char* before = std::getenv("STORYREEL_MODELS_DIR");
    const std::string saved = before != nullptr ? before : "";
    ::setenv("STORYREEL_MODELS_DIR", dir.c_str(), 1);
    CHECK(findPreset("quality")->available);
    fs::remove(dir / "wan_vae.weights.safetensors");
    CHECK(findPreset("quality")->available);  // kept until asked to look again
    refreshPresetCatalog();
    CHECK_FALSE(findPreset("quality")->available);
    ::setenv("STORYREEL_MODELS_DIR", (dir / "elsewhere").c_str(), 1);
    CHECK(findPreset("quality")->unavailableReason.find("elsewhere") != std::string::npos);
    if (saved.empty()) {
        ::unsetenv("STORYREEL_MODELS_DIR");
    } else {
        ::setenv("STORYREEL_MODELS_DIR", saved.c_str(), 1);
    }
    fs::remove_all(dir.parent_path());
}
