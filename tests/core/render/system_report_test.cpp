#include "core/render/system_report.h"

#include "core/base/version.h"

#include <catch2/catch.hpp>

TEST_CASE("The system report names versions and lists the CPU", "[render]") {
    const auto report = storyreel::render::systemReport();
    CHECK(report.storyreelVersion == storyreel::kVersion);
    CHECK_FALSE(report.torchVersion.empty());
    CHECK_FALSE(report.ffmpegVersion.empty());
    CHECK(report.opencvVersion.starts_with("4."));
    REQUIRE_FALSE(report.computeDevices.empty());
    CHECK(report.computeDevices.front() == "cpu: CPU");
    CHECK(report.hasCuda == (report.computeDevices.size() > 1));
}
