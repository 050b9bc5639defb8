#include "core/media/media_capabilities.h"

#include <catch2/catch.hpp>

#include <algorithm>

TEST_CASE("The media libraries can encode and decode H.264 and read the usual images", "[media]") {
    const auto caps = storyreel::media::probeMediaCapabilities();
    CHECK_FALSE(caps.ffmpegVersion.empty());
    CHECK(caps.opencvVersion.starts_with("4."));
    CHECK(caps.hasH264Encoder);
    CHECK(caps.hasH264Decoder);
    for (const char* extension : {"png", "jpg", "webp", "tiff", "bmp"}) {
        INFO(extension);
        CHECK(std::find(caps.imageExtensions.begin(), caps.imageExtensions.end(), extension) !=
              caps.imageExtensions.end());
    }
}
