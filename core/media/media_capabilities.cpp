#include "core/media/media_capabilities.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
}

namespace storyreel::media {
namespace {

std::string versionString(unsigned version) {
    return std::to_string(AV_VERSION_MAJOR(version)) + "." +
           std::to_string(AV_VERSION_MINOR(version)) + "." +
           std::to_string(AV_VERSION_MICRO(version));
}

// OpenCV's codecs are build options; a tiny encode/decode proves one is really there.
bool roundTripsInMemory(const std::string& extension) {
    const cv::Mat probe(4, 4, CV_8UC3, cv::Scalar(10, 120, 230));
    std::vector<std::uint8_t> bytes;
    try {
        if (!cv::imencode("." + extension, probe, bytes)) {
            return false;
        }
        const cv::Mat decoded = cv::imdecode(bytes, cv::IMREAD_COLOR);
        return decoded.rows == probe.rows && decoded.cols == probe.cols;
    } catch (const cv::Exception&) {
        return false;
    }
}

}  // namespace

MediaCapabilities probeMediaCapabilities() {
    MediaCapabilities caps;
    caps.ffmpegVersion = av_version_info();
    caps.avcodecVersion = versionString(avcodec_version());
    caps.opencvVersion = CV_VERSION;
    // Takes are encoded with libx264 specifically: other H.264 encoders differ in settings.
    caps.hasH264Encoder = avcodec_find_encoder_by_name("libx264") != nullptr;
    caps.hasH264Decoder = avcodec_find_decoder(AV_CODEC_ID_H264) != nullptr;
    for (const char* extension : {"png", "jpg", "webp", "tiff", "bmp"}) {
        if (roundTripsInMemory(extension)) {
            caps.imageExtensions.emplace_back(extension);
        }
    }
    return caps;
}

}  // namespace storyreel::media
