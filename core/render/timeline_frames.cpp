#include "core/render/timeline_frames.h"

#include "core/base/user_error.h"
#include "core/media/frame_fit.h"
#include "core/media/frame_rate_converter.h"
#include "core/media/image_import.h"
#include "core/media/video_decoder.h"

#include <algorithm>
#include <cstdlib>
#include <map>

namespace storyreel::render {

struct TimelineFrames::Clip {
    PlannedClip plan;
    int width = 0;
    int height = 0;
    double sourceFps = 0.0;                        // the take's rate; 0 for a still
    std::vector<cv::Mat> pictures;                 // a still's picture, or every frame (sequential)
    std::unique_ptr<media::VideoDecoder> decoder;  // random access: seeks to what is asked
    std::size_t sourceFrames = 0;
    long nextRead = -1;                     // the frame the decoder reads next
    std::map<std::size_t, cv::Mat> recent;  // random access: the last source frames fetched
    std::unique_ptr<media::FrameRateConverter> converter;

    cv::Mat fetch(std::size_t index) {
        if (!decoder) {
            return pictures[index];
        }
        if (const auto it = recent.find(index); it != recent.end()) {
            return it->second;
        }
        if (long(index) != nextRead) {
            decoder->seek(long(index));
        }
        cv::Mat frame;
        if (!decoder->read(frame)) {
            throw UserError::inFile(plan.source, "ends before frame " + std::to_string(index + 1) +
                                                     " that the project expects");
        }
        nextRead = long(index) + 1;
        cv::Mat fitted = media::fitToFrame(frame, width, height).clone();
        recent[index] = fitted;
        // A blend needs two neighbours and playback moves on: keep a handful.
        while (recent.size() > 4) {
            const auto first = recent.begin();
            const auto last = std::prev(recent.end());
            recent.erase(std::labs(long(first->first) - long(index)) >
                                 std::labs(long(last->first) - long(index))
                             ? first
                             : last);
        }
        return fitted;
    }

    // The picture for timeline frame `frame` (at `fps`), converted from the take's rate.
    cv::Mat at(long frame, double fps, media::FrameRateMethod method) {
        if (sourceFps <= 0.0) {
            return pictures.front();
        }
        if (!converter) {
            converter = std::make_unique<media::FrameRateConverter>(
                [this](std::size_t index) { return fetch(index); }, sourceFrames, sourceFps,
                method);
        }
        return converter->at(double(plan.sourceIn + frame - plan.recordIn) / fps);
    }
};

namespace {

std::unique_ptr<TimelineFrames::Clip> openClip(const PlannedClip& plan, int width, int height,
                                               TimelineFrames::Access access) {
    auto clip = std::make_unique<TimelineFrames::Clip>();
    clip->plan = plan;
    clip->width = width;
    clip->height = height;
    if (plan.still) {
        clip->pictures.push_back(media::fitToFrame(media::importImage(plan.source), width, height));
        return clip;
    }
    auto decoder = std::make_unique<media::VideoDecoder>(plan.source);
    clip->sourceFps = decoder->fps() > 0.0 ? decoder->fps() : plan.takeFps;
    if (access == TimelineFrames::Access::Random && plan.takeFrames > 0) {
        clip->decoder = std::move(decoder);
        clip->sourceFrames = static_cast<std::size_t>(plan.takeFrames);
        clip->nextRead = 0;
        return clip;
    }
    cv::Mat frame;
    while (decoder->read(frame)) {
        clip->pictures.push_back(media::fitToFrame(frame, width, height).clone());
    }
    if (clip->pictures.empty()) {
        throw UserError::inFile(plan.source, "the take has no frames");
    }
    clip->sourceFrames = clip->pictures.size();
    return clip;
}

}  // namespace

TimelineFrames::TimelineFrames(TimelinePlan plan, int width, int height,
                               media::FrameRateMethod method, Access access,
                               std::size_t maxOpenClips)
    : plan_(std::move(plan)),
      width_(width),
      height_(height),
      // Flow between two seeked frames costs more than a scrub can wait for.
      method_(access == Access::Random && method == media::FrameRateMethod::MotionCompensated
                  ? media::FrameRateMethod::Blend
                  : method),
      access_(access),
      maxOpenClips_(std::max<std::size_t>(2, maxOpenClips)),  // a crossfade needs two
      clips_(plan_.clips.size()) {}

TimelineFrames::~TimelineFrames() = default;

TimelineFrames::Clip& TimelineFrames::clip(std::size_t index) {
    recentlyUsed_.erase(std::remove(recentlyUsed_.begin(), recentlyUsed_.end(), index),
                        recentlyUsed_.end());
    recentlyUsed_.push_back(index);
    if (!clips_[index]) {
        clips_[index] = openClip(plan_.clips[index], width_, height_, access_);
    }
    while (recentlyUsed_.size() > maxOpenClips_) {
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
    return clip(plan_.clips.size() - 1).at(frame, fps, method_).clone();
}

}  // namespace storyreel::render
