#include "core/render/timeline_frames.h"

#include "core/base/user_error.h"
#include "core/media/frame_fit.h"
#include "core/media/frame_rate_converter.h"
#include "core/media/image_import.h"
#include "core/media/video_decoder.h"

#include <algorithm>

namespace storyreel::render {

struct TimelineFrames::Clip {
    PlannedClip plan;
    std::vector<cv::Mat> pictures;                         // one for a still; every frame of a take
    double sourceFps = 0.0;                                // the take's rate; 0 for a still
    std::unique_ptr<media::FrameRateConverter> converter;  // made once pictures stay put

    // The picture for timeline frame `frame` (at `fps`), converted from the take's rate.
    cv::Mat at(long frame, double fps, media::FrameRateMethod method) {
        if (sourceFps <= 0.0) {
            return pictures.front();
        }
        if (!converter) {
            converter = std::make_unique<media::FrameRateConverter>(pictures, sourceFps, method);
        }
        return converter->at(double(plan.sourceIn + frame - plan.recordIn) / fps);
    }
};

namespace {

std::unique_ptr<TimelineFrames::Clip> decodeClip(const PlannedClip& plan, int width, int height) {
    auto clip = std::make_unique<TimelineFrames::Clip>();
    clip->plan = plan;
    if (plan.still) {
        clip->pictures.push_back(media::fitToFrame(media::importImage(plan.source), width, height));
        return clip;
    }
    media::VideoDecoder decoder(plan.source);
    clip->sourceFps = decoder.fps() > 0.0 ? decoder.fps() : plan.take->fps;
    cv::Mat frame;
    while (decoder.read(frame)) {
        clip->pictures.push_back(media::fitToFrame(frame, width, height).clone());
    }
    if (clip->pictures.empty()) {
        throw UserError::inFile(plan.source, "the take has no frames");
    }
    return clip;
}

}  // namespace

TimelineFrames::TimelineFrames(TimelinePlan plan, int width, int height,
                               media::FrameRateMethod method, std::size_t maxDecodedClips)
    : plan_(std::move(plan)),
      width_(width),
      height_(height),
      method_(method),
      maxDecodedClips_(std::max<std::size_t>(2, maxDecodedClips)),  // a crossfade needs two
      clips_(plan_.clips.size()) {}

TimelineFrames::~TimelineFrames() = default;

TimelineFrames::Clip& TimelineFrames::clip(std::size_t index) {
    recentlyUsed_.erase(std::remove(recentlyUsed_.begin(), recentlyUsed_.end(), index),
                        recentlyUsed_.end());
    recentlyUsed_.push_back(index);
    if (!clips_[index]) {
        clips_[index] = decodeClip(plan_.clips[index], width_, height_);
    }
    while (recentlyUsed_.size() > maxDecodedClips_) {
        clips_[recentlyUsed_.front()].reset();
        recentlyUsed_.erase(recentlyUsed_.begin());
    }
    return *clips_[index];
}

void TimelineFrames::decodeAll() {
    for (std::size_t i = 0; i < clips_.size(); ++i) {
        clip(i);
    }
}

cv::Mat TimelineFrames::at(long frame) {
    if (plan_.clips.empty()) {
        return cv::Mat(height_, width_, CV_8UC3, cv::Scalar(0, 0, 0));
    }
    frame = std::clamp(frame, 0L, std::max(0L, frameCount() - 1));
    const double fps = plan_.fps;
    for (std::size_t i = 0; i < plan_.clips.size(); ++i) {
        const PlannedClip& planned = plan_.clips[i];
        const bool last = i + 1 == plan_.clips.size();
        if (frame >= planned.recordOut() && !last) {
            continue;
        }
        const PlannedClip* next = last ? nullptr : &plan_.clips[i + 1];
        if (next && next->fadeIn > 0 && frame >= next->recordIn) {
            const double alpha = double(frame - next->recordIn + 1) / double(next->fadeIn + 1);
            const cv::Mat outgoing = clip(i).at(frame, fps, method_);
            const cv::Mat incoming = clip(i + 1).at(frame, fps, method_);
            cv::Mat blended;
            cv::addWeighted(outgoing, 1.0 - alpha, incoming, alpha, 0.0, blended);
            return blended;
        }
        return clip(i).at(frame, fps, method_).clone();
    }
    return clip(plan_.clips.size() - 1).pictures.back().clone();
}

}  // namespace storyreel::render
