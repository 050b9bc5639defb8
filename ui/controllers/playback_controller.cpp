#include "ui/controllers/playback_controller.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace storyreel::ui {

PlaybackController::PlaybackController(QObject* parent) : QObject(parent) {
    timer_.setTimerType(Qt::PreciseTimer);
    connect(&timer_, &QTimer::timeout, this, &PlaybackController::tick);
}

void PlaybackController::setTimeline(long frameCount, double fps) {
    frameCount_ = std::max(0L, frameCount);
    fps_ = fps > 0.0 ? fps : 24.0;
    if (in_ >= frameCount_ || out_ >= frameCount_) {
        clearInOut();
    }
    if (frameCount_ == 0) {
        pause();
    }
    seek(position_);
    Q_EMIT stateChanged();  // the length shown beside the timecode changed
}

void PlaybackController::seek(long frame) {
    const long clamped = std::clamp(frame, 0L, std::max(0L, frameCount_ - 1));
    startPosition_ = clamped;
    clock_.restart();
    if (clamped != position_) {
        position_ = clamped;
        Q_EMIT positionChanged(position_);
    }
}

void PlaybackController::step(int frames) {
    pause();
    seek(position_ + frames);
}

void PlaybackController::togglePlay() {
    isPlaying() ? pause() : play(1);
}

void PlaybackController::play(int speed) {
    if (frameCount_ == 0 || speed == 0) {
        return;
    }
    // Playing forward from the end (or backward from the start) starts over.
    if (speed > 0 && position_ >= lastFrame()) {
        seek(firstFrame());
    } else if (speed < 0 && position_ <= firstFrame()) {
        seek(lastFrame());
    }
    speed_ = speed;
    startPosition_ = position_;
    clock_.restart();
    timer_.start(std::max(4, static_cast<int>(1000.0 / fps_ / 2.0)));
    Q_EMIT stateChanged();
}

void PlaybackController::pause() {
    if (speed_ == 0) {
        return;
    }
    speed_ = 0;
    timer_.stop();
    Q_EMIT stateChanged();
}

void PlaybackController::shuttleForward() {
    play(speed_ > 0 ? std::min(speed_ * 2, 8) : 1);
}

void PlaybackController::shuttleBackward() {
    play(speed_ < 0 ? std::max(speed_ * 2, -8) : -1);
}

void PlaybackController::markIn() {
    in_ = position_;
    if (out_ >= 0 && out_ < in_) {
        out_ = -1;
    }
    Q_EMIT stateChanged();
}

void PlaybackController::markOut() {
    out_ = position_;
    if (in_ > out_) {
        in_ = -1;
    }
    Q_EMIT stateChanged();
}

void PlaybackController::clearInOut() {
    in_ = -1;
    out_ = -1;
    Q_EMIT stateChanged();
}

void PlaybackController::setLoop(bool loop) {
    loop_ = loop;
    Q_EMIT stateChanged();
}

void PlaybackController::tick() {
    const double elapsedFrames = clock_.nsecsElapsed() * 1e-9 * fps_ * speed_;
    long next = startPosition_ + static_cast<long>(std::floor(elapsedFrames));
    if (next > lastFrame() || next < firstFrame()) {
        if (!loop_) {
            const long end = speed_ > 0 ? lastFrame() : firstFrame();
            pause();
            seek(end);
            return;
        }
        next = speed_ > 0 ? firstFrame() : lastFrame();
        startPosition_ = next;
        clock_.restart();
    }
    if (next != position_) {
        position_ = next;
        Q_EMIT positionChanged(position_);
    }
}

}  // namespace storyreel::ui
