// Encodes frames in process (libavcodec/libavformat): H.264 MP4 for delivery (yuv420p, BT.709
// tags, CRF and preset, the moov atom first (+faststart) so players start at once) or lossless
// FFV1 Matroska for takes; both carry the
// metadata every Storyreel file carries (title, generation parameters, and a plain
// statement when a neural engine made the content). The file appears under its final name
// only when finish() succeeds; until then it is NAME.partial.
//
//   VideoEncoder encoder("shot.mp4", {.width = 1280, .height = 720, .fps = 24});
//   for (const cv::Mat& frame : frames) encoder.addFrame(frame);   // 8-bit BGR
//   encoder.finish();
//
// Thread-safety: one thread per encoder.
#pragma once

#include <opencv2/core.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace storyreel::media {

enum class VideoCodec {
    // H.264 (libx264) yuv420p in MP4: what users watch and share. Not bit-reproducible:
    // libx264's AVX-512 code for MB-tree reads memory it never wrote, so the same frames
    // can encode to slightly different bytes from one run to the next (Debian's x264 164,
    // seen on AVX-512 CPUs; --no-mbtree or no AVX-512 makes it repeatable). Turning MB-tree
    // off costs far more bits at the same CRF, so reproducibility lives in the frames
    // (and in the lossless FFV1 takes), not in the MP4's bytes.
    H264Mp4,
    // FFV1 in Matroska, lossless RGB and intra-only: the intermediate for takes. A take is
    // rendered once (minutes of GPU time) and re-exported many times; storing it losslessly
    // means no generation loss on each export, and intra-only frames make every frame a
    // seek point. It costs several times the size of H.264, which takes (seconds long) afford.
    Ffv1Mkv,
};

struct VideoEncoderSettings {
    VideoCodec codec = VideoCodec::H264Mp4;
    int width = 1280;  // H.264: odd sizes are padded to even (yuv420p needs it) by the edge
    int height = 720;
    double fps = 24.0;
    int crf = 18;                   // x264 constant rate factor: 18 is visually lossless
    std::string preset = "medium";  // x264 speed/size trade-off
    std::map<std::string, std::string> metadata;  // "title", "comment", ... written as tags
};

class VideoEncoder {
public:
    // Throws UserError naming the file when it cannot be created or the codec is missing.
    VideoEncoder(const std::filesystem::path& file, const VideoEncoderSettings& settings);
    ~VideoEncoder();  // without finish(), removes the partial file
    VideoEncoder(const VideoEncoder&) = delete;
    VideoEncoder& operator=(const VideoEncoder&) = delete;

    // A frame of the settings' size (before padding), 8-bit BGR.
    void addFrame(const cv::Mat& bgr);
    void finish();

    int encodedWidth() const;  // after padding to even
    int encodedHeight() const;

    struct State;  // libav's objects, opaque here so callers never include FFmpeg

private:
    std::unique_ptr<State> state_;
};

}  // namespace storyreel::media
