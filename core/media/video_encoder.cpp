#include "core/media/video_encoder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

#include "core/base/user_error.h"

#include <opencv2/core.hpp>

namespace storyreel::media {
namespace {

std::string avError(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return text;
}

}  // namespace

struct VideoEncoder::State {
    std::filesystem::path file;
    std::filesystem::path partial;
    VideoEncoderSettings settings;
    AVFormatContext* format = nullptr;
    AVCodecContext* codec = nullptr;
    AVStream* stream = nullptr;
    SwsContext* scaler = nullptr;
    AVFrame* frame = nullptr;
    AVPacket* packet = nullptr;
    std::int64_t nextPts = 0;
    bool finished = false;

    void check(int code, const char* what) const {
        if (code < 0) {
            throw UserError::inFile(file, std::string(what) + ": " + avError(code));
        }
    }

    // Sends a frame (or nullptr to flush) and writes every packet the codec returns.
    void encode(AVFrame* input) {
        check(avcodec_send_frame(codec, input), "cannot encode a frame");
        while (true) {
            const int received = avcodec_receive_packet(codec, packet);
            if (received == AVERROR(EAGAIN) || received == AVERROR_EOF) {
                return;
            }
            check(received, "cannot encode a frame");
            av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
            packet->stream_index = stream->index;
            check(av_interleaved_write_frame(format, packet), "cannot write");
        }
    }

    ~State() {
        av_packet_free(&packet);
        av_frame_free(&frame);
        sws_freeContext(scaler);
        avcodec_free_context(&codec);
        if (format) {
            if (format->pb) {
                avio_closep(&format->pb);
            }
            avformat_free_context(format);
        }
        if (!finished) {
            std::error_code ignored;
            std::filesystem::remove(partial, ignored);
        }
    }
};

namespace {

bool isH264(const VideoEncoder::State& s) {
    return s.settings.codec == VideoCodec::H264Mp4;
}

AVPixelFormat pixelFormat(const VideoEncoder::State& s) {
    return isH264(s) ? AV_PIX_FMT_YUV420P : AV_PIX_FMT_BGR0;
}

void openCodec(VideoEncoder::State& s) {
    const char* name = isH264(s) ? "libx264" : "ffv1";
    const AVCodec* encoder = avcodec_find_encoder_by_name(name);
    if (!encoder) {
        throw UserError::inFile(s.file, std::string("this FFmpeg has no ") + name + " encoder");
    }
    s.codec = avcodec_alloc_context3(encoder);
    s.codec->width = isH264(s) ? (s.settings.width + 1) & ~1 : s.settings.width;
    s.codec->height = isH264(s) ? (s.settings.height + 1) & ~1 : s.settings.height;
    const AVRational rate = av_d2q(s.settings.fps, 100000);
    s.codec->time_base = av_inv_q(rate);
    s.codec->framerate = rate;
    s.codec->pix_fmt = pixelFormat(s);
    if (isH264(s)) {
        s.codec->color_primaries = AVCOL_PRI_BT709;
        s.codec->color_trc = AVCOL_TRC_BT709;
        s.codec->colorspace = AVCOL_SPC_BT709;
        s.codec->color_range = AVCOL_RANGE_MPEG;
    } else {
        s.codec->gop_size = 1;  // intra-only
        s.codec->color_range = AVCOL_RANGE_JPEG;
    }
    if (s.format->oformat->flags & AVFMT_GLOBALHEADER) {
        s.codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    }
    AVDictionary* options = nullptr;
    if (isH264(s)) {
        av_dict_set(&options, "crf", std::to_string(s.settings.crf).c_str(), 0);
        av_dict_set(&options, "preset", s.settings.preset.c_str(), 0);
    } else {
        av_dict_set(&options, "level", "3", 0);
        av_dict_set(&options, "slicecrc", "1", 0);  // damage is detected on decode
    }
    const int opened = avcodec_open2(s.codec, encoder, &options);
    av_dict_free(&options);
    s.check(opened, "cannot start the video encoder (check the preset and CRF)");
    s.stream = avformat_new_stream(s.format, nullptr);
    s.check(avcodec_parameters_from_context(s.stream->codecpar, s.codec), "cannot set up");
    s.stream->time_base = s.codec->time_base;
    s.stream->avg_frame_rate = rate;
}

void openScaler(VideoEncoder::State& s) {
    s.scaler = sws_getContext(s.codec->width, s.codec->height, AV_PIX_FMT_BGR24, s.codec->width,
                              s.codec->height, pixelFormat(s),
                              SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP, nullptr, nullptr,
                              nullptr);
    // BT.709 matrix into limited ("TV") range, matching the tags written above.
    const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
    sws_setColorspaceDetails(s.scaler, bt709, 1, bt709, isH264(s) ? 0 : 1, 0, 1 << 16, 1 << 16);
    s.frame = av_frame_alloc();
    s.frame->format = pixelFormat(s);
    s.frame->width = s.codec->width;
    s.frame->height = s.codec->height;
    s.check(av_frame_get_buffer(s.frame, 0), "out of memory");
    s.packet = av_packet_alloc();
}

}  // namespace

VideoEncoder::VideoEncoder(const std::filesystem::path& file, const VideoEncoderSettings& settings)
    : state_(std::make_unique<State>()) {
    // x264 reports its settings on stderr at the default level; keep only real errors.
    av_log_set_level(AV_LOG_ERROR);
    State& s = *state_;
    s.file = file;
    s.partial = file;
    s.partial += ".partial";
    s.settings = settings;
    if (settings.width < 2 || settings.height < 2 || !(settings.fps > 0.0)) {
        throw UserError::inFile(file, "invalid video size or frame rate");
    }
    const bool h264 = settings.codec == VideoCodec::H264Mp4;
    s.check(avformat_alloc_output_context2(&s.format, nullptr, h264 ? "mp4" : "matroska",
                                           s.partial.c_str()),
            "cannot create the video file");
    openCodec(s);
    openScaler(s);
    for (const auto& [key, value] : settings.metadata) {
        av_dict_set(&s.format->metadata, key.c_str(), value.c_str(), 0);
    }
    s.check(avio_open(&s.format->pb, s.partial.c_str(), AVIO_FLAG_WRITE), "cannot be created");
    AVDictionary* options = nullptr;
    // faststart: the index goes before the media so playback starts before the download ends;
    // use_metadata_tags: keep our own keys (generation parameters) in the file.
    if (h264) {
        av_dict_set(&options, "movflags", "+faststart+use_metadata_tags", 0);
    }
    const int written = avformat_write_header(s.format, &options);
    av_dict_free(&options);
    s.check(written, "cannot write the MP4 header");
}

VideoEncoder::~VideoEncoder() = default;

int VideoEncoder::encodedWidth() const {
    return state_->codec->width;
}

int VideoEncoder::encodedHeight() const {
    return state_->codec->height;
}

void VideoEncoder::addFrame(const cv::Mat& bgr) {
    State& s = *state_;
    if (bgr.type() != CV_8UC3 || bgr.cols != s.settings.width || bgr.rows != s.settings.height) {
        throw UserError::inFile(s.file, "frame " + std::to_string(s.nextPts) + " is " +
                                            std::to_string(bgr.cols) + "x" +
                                            std::to_string(bgr.rows) + ", expected " +
                                            std::to_string(s.settings.width) + "x" +
                                            std::to_string(s.settings.height) + " 8-bit BGR");
    }
    cv::Mat padded = bgr;
    if (bgr.cols != s.codec->width || bgr.rows != s.codec->height) {
        cv::copyMakeBorder(bgr, padded, 0, s.codec->height - bgr.rows, 0, s.codec->width - bgr.cols,
                           cv::BORDER_REPLICATE);
    }
    if (!padded.isContinuous()) {
        padded = padded.clone();
    }
    s.check(av_frame_make_writable(s.frame), "out of memory");
    const std::uint8_t* source[] = {padded.data};
    const int stride[] = {static_cast<int>(padded.step)};
    sws_scale(s.scaler, source, stride, 0, padded.rows, s.frame->data, s.frame->linesize);
    s.frame->pts = s.nextPts++;
    s.encode(s.frame);
}

void VideoEncoder::finish() {
    State& s = *state_;
    s.encode(nullptr);
    s.check(av_write_trailer(s.format), "cannot finish the MP4");
    avio_closep(&s.format->pb);
    std::error_code error;
    std::filesystem::rename(s.partial, s.file, error);
    if (error) {
        throw UserError::inFile(s.file, "cannot be written: " + error.message());
    }
    s.finished = true;
}

}  // namespace storyreel::media
