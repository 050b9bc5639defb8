// Reads the frames of a video file in order as 8-bit BGR (libavformat/libavcodec), with
// the colour matrix and range its tags declare (BT.709 limited range for Storyreel's MP4s).
//
//   VideoDecoder decoder("take.mp4");
//   cv::Mat frame;
//   while (decoder.read(frame)) show(frame);
//   decoder.seek(120);   // the next read() gives frame 120
//
// Thread-safety: one thread per decoder.
#pragma once

#include <opencv2/core.hpp>

#include <filesystem>
#include <memory>

namespace storyreel::media {

class VideoDecoder {
public:
    // Throws UserError naming the file when it cannot be opened or has no video stream.
    explicit VideoDecoder(const std::filesystem::path& file);
    ~VideoDecoder();
    VideoDecoder(const VideoDecoder&) = delete;
    VideoDecoder& operator=(const VideoDecoder&) = delete;

    int width() const;
    int height() const;
    double fps() const;

    // The next frame; false at the end of the stream.
    bool read(cv::Mat& bgr);

    // Frame-accurate: the next read() returns frame `index` (0-based, at fps()), decoding
    // forward from the keyframe before it; read() returns false when there is no such frame.
    // False when the file cannot seek.
    bool seek(long index);

    // The index of the frame the last read() returned, from its timestamp.
    long frameIndex() const;

    struct State;  // libav's objects, opaque here

private:
    std::unique_ptr<State> state_;
};

}  // namespace storyreel::media
