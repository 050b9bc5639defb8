#include "core/media/video_decoder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

#include "core/base/user_error.h"

#include <cmath>

namespace storyreel::media {

struct VideoDecoder::State {
    std::filesystem::path file;
    AVFormatContext* format = nullptr;
    AVCodecContext* codec = nullptr;
    SwsContext* scaler = nullptr;
    AVFrame* frame = nullptr;
    AVPacket* packet = nullptr;
    int streamIndex = -1;
    bool draining = false;
    std::int64_t skipBefore = AV_NOPTS_VALUE;  // after a seek: frames before this are dropped
    long lastIndex = -1;

    AVStream* stream() const { return format->streams[streamIndex]; }

    AVRational frameDuration() const {
        const AVRational rate = stream()->avg_frame_rate;
        return rate.num > 0 ? av_inv_q(rate) : AVRational{1, 25};
    }

    std::int64_t startTime() const {
        return stream()->start_time == AV_NOPTS_VALUE ? 0 : stream()->start_time;
    }

    // Timestamp (stream time base) of frame `index`, and back.
    std::int64_t timestampOf(long index) const {
        return startTime() + av_rescale_q(index, frameDuration(), stream()->time_base);
    }

    long indexOf(std::int64_t timestamp) const {
        // Rounded, so timestamps a tick off still name the right frame.
        const AVRational duration = frameDuration();
        const double seconds = (timestamp - startTime()) * av_q2d(stream()->time_base);
        return static_cast<long>(std::llround(seconds / av_q2d(duration)));
    }

    ~State() {
        av_packet_free(&packet);
        av_frame_free(&frame);
        sws_freeContext(scaler);
        avcodec_free_context(&codec);
        avformat_close_input(&format);
    }

    void fail(const std::string& problem) const { throw UserError::inFile(file, problem); }

    // Converts the decoded frame to BGR, honouring its matrix and range.
    void toBgr(cv::Mat& bgr) {
        const auto pixelFormat = static_cast<AVPixelFormat>(frame->format);
        scaler = sws_getCachedContext(scaler, frame->width, frame->height, pixelFormat,
                                      frame->width, frame->height, AV_PIX_FMT_BGR24,
                                      SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr,
                                      nullptr, nullptr);
        const int space =
            frame->colorspace == AVCOL_SPC_UNSPECIFIED ? SWS_CS_ITU709 : frame->colorspace;
        const int* matrix = sws_getCoefficients(space);
        const int fullRange = frame->color_range == AVCOL_RANGE_JPEG ? 1 : 0;
        sws_setColorspaceDetails(scaler, matrix, fullRange, matrix, 1, 0, 1 << 16, 1 << 16);
        bgr.create(frame->height, frame->width, CV_8UC3);
        std::uint8_t* target[] = {bgr.data};
        const int stride[] = {static_cast<int>(bgr.step)};
        sws_scale(scaler, frame->data, frame->linesize, 0, frame->height, target, stride);
    }
};

VideoDecoder::VideoDecoder(const std::filesystem::path& file) : state_(std::make_unique<State>()) {
    State& s = *state_;
    s.file = file;
    if (avformat_open_input(&s.format, file.c_str(), nullptr, nullptr) < 0) {
        s.fail("cannot be opened as a video");
    }
    if (avformat_find_stream_info(s.format, nullptr) < 0) {
        s.fail("the video's streams cannot be read");
    }
    const AVCodec* decoder = nullptr;
    s.streamIndex = av_find_best_stream(s.format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
    if (s.streamIndex < 0 || !decoder) {
        s.fail("has no video stream this FFmpeg can decode");
    }
    s.codec = avcodec_alloc_context3(decoder);
    avcodec_parameters_to_context(s.codec, s.format->streams[s.streamIndex]->codecpar);
    if (avcodec_open2(s.codec, decoder, nullptr) < 0) {
        s.fail("the video decoder cannot start");
    }
    s.frame = av_frame_alloc();
    s.packet = av_packet_alloc();
}

VideoDecoder::~VideoDecoder() = default;

bool VideoDecoder::seek(long index) {
    State& s = *state_;
    if (index < 0) {
        return false;
    }
    const std::int64_t target = s.timestampOf(index);
    if (av_seek_frame(s.format, s.streamIndex, target, AVSEEK_FLAG_BACKWARD) < 0) {
        return false;
    }
    avcodec_flush_buffers(s.codec);
    s.draining = false;
    s.skipBefore = target;
    return true;
}

long VideoDecoder::frameIndex() const {
    return state_->lastIndex;
}

int VideoDecoder::width() const {
    return state_->codec->width;
}

int VideoDecoder::height() const {
    return state_->codec->height;
}

double VideoDecoder::fps() const {
    const AVRational rate = state_->stream()->avg_frame_rate;
    return rate.den > 0 ? av_q2d(rate) : 0.0;
}

bool VideoDecoder::read(cv::Mat& bgr) {
    State& s = *state_;
    while (true) {
        const int received = avcodec_receive_frame(s.codec, s.frame);
        if (received == 0) {
            const std::int64_t timestamp = s.frame->best_effort_timestamp;
            const long index = timestamp == AV_NOPTS_VALUE ? s.lastIndex + 1 : s.indexOf(timestamp);
            if (s.skipBefore != AV_NOPTS_VALUE && index < s.indexOf(s.skipBefore)) {
                continue;  // decoding forward from the keyframe to the frame asked for
            }
            s.skipBefore = AV_NOPTS_VALUE;
            s.lastIndex = index;
            s.toBgr(bgr);
            return true;
        }
        if (received == AVERROR_EOF) {
            return false;
        }
        if (received != AVERROR(EAGAIN)) {
            s.fail("the video data is damaged");
        }
        if (s.draining) {
            return false;
        }
        const int readResult = av_read_frame(s.format, s.packet);
        if (readResult < 0) {
            s.draining = true;
            avcodec_send_packet(s.codec, nullptr);
            continue;
        }
        if (s.packet->stream_index == s.streamIndex) {
            avcodec_send_packet(s.codec, s.packet);
        }
        av_packet_unref(s.packet);
    }
}

}  // namespace storyreel::media
