#include "core/render/engine_catalog.h"

#include <catch2/catch.hpp>

using namespace storyreel::render;

TEST_CASE("The catalog offers the four presets, neural ones needing a GPU", "[render]") {
    const auto presets = presetCatalog();
    REQUIRE(presets.size() == 4);
    CHECK(presets[0].id == "animatic");
    CHECK_FALSE(presets[0].needsGpu);
    for (const char* id : {"fast", "fast-wan", "quality"}) {
        const PresetInfo* preset = findPreset(id);
        REQUIRE(preset != nullptr);
        CHECK(preset->needsGpu);
    }
    CHECK(findPreset("ultra") == nullptr);
}

TEST_CASE("A preset that cannot run says why", "[render]") {
    for (const PresetInfo& preset : presetCatalog()) {
        INFO(preset.id);
        CHECK(preset.available == preset.unavailableReason.empty());
    }
}
