#include "core/render/frames_writer.h"

#include "core/base/user_error.h"
#include "core/media/video_encoder.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <system_error>

namespace storyreel::render {

namespace {

cv::Mat toBgr(const Frame& frame) {
    const cv::Mat rgb(frame.height, frame.width, CV_8UC3,
                      const_cast<std::uint8_t*>(frame.rgb.data()));
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    return bgr;
}

void writePngFolder(const Frames& frames, const std::filesystem::path& out) {
    namespace fs = std::filesystem;
    if (fs::exists(out)) {
        throw UserError::inFile(out, "already exists; frames go to a new folder");
    }
    fs::path partial = out;
    partial += ".partial";
    std::error_code error;
    fs::remove_all(partial, error);
    fs::create_directories(partial);
    try {
        int index = 0;
        for (const Frame& frame : frames.frames) {
            char name[32];
            std::snprintf(name, sizeof name, "frame_%06d.png", ++index);
            if (!cv::imwrite((partial / name).string(), toBgr(frame))) {
                throw UserError::inFile(partial / name, "cannot be written");
            }
        }
        fs::rename(partial, out);
    } catch (...) {
        fs::remove_all(partial, error);
        throw;
    }
}

}  // namespace

void writeFrames(const Frames& frames, const std::filesystem::path& out,
                 const std::map<std::string, std::string>& metadata) {
    if (frames.frames.empty()) {
        throw UserError::inFile(out, "cannot be written: there are no frames");
    }
    if (!out.has_extension()) {
        writePngFolder(frames, out);
        return;
    }
    media::VideoEncoderSettings settings;
    settings.codec =
        out.extension() == ".mkv" ? media::VideoCodec::Ffv1Mkv : media::VideoCodec::H264Mp4;
    settings.width = frames.frames.front().width;
    settings.height = frames.frames.front().height;
    settings.fps = frames.fps;
    settings.metadata = metadata;
    media::VideoEncoder encoder(out, settings);
    for (const Frame& frame : frames.frames) {
        encoder.addFrame(toBgr(frame));
    }
    encoder.finish();
}

}  // namespace storyreel::render
