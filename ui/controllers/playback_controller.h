// The transport of the preview player, as editors have it: play/pause, J/K/L shuttle
// (each further L or J plays faster, up to 8x; K stops), frame steps, in and out points,
// loop. Time comes from a clock, not from counting timer ticks, so playback keeps the
// project's rate and drops frames rather than drifting when a frame is late.
//
//   PlaybackController transport;
//   transport.setTimeline(frameCount, 24.0);
//   connect(&transport, &PlaybackController::positionChanged, view, &PreviewView::showFrame);
//   transport.togglePlay();
//
// Thread-safety: UI thread only.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace storyreel::ui {

class PlaybackController : public QObject {
    Q_OBJECT

public:
    explicit PlaybackController(QObject* parent = nullptr);

    void setTimeline(long frameCount, double fps);
    long frameCount() const { return frameCount_; }
    double fps() const { return fps_; }
    long position() const { return position_; }
    bool isPlaying() const { return speed_ != 0; }
    int speed() const { return speed_; }  // frames of timeline per frame of time; <0: backwards
    long inPoint() const { return in_; }  // -1: not set
    long outPoint() const { return out_; }
    bool loops() const { return loop_; }

    void seek(long frame);
    void step(int frames);  // pauses, then moves
    void togglePlay();
    void play(int speed = 1);
    void pause();
    void shuttleForward();   // L
    void shuttleBackward();  // J
    void markIn();
    void markOut();
    void clearInOut();
    void setLoop(bool loop);

Q_SIGNALS:
    void positionChanged(long frame);
    void stateChanged();  // playing, speed, in/out or loop changed

private:
    void tick();
    long firstFrame() const { return in_ >= 0 ? in_ : 0; }
    long lastFrame() const { return out_ >= 0 ? out_ : frameCount_ - 1; }

    long frameCount_ = 0;
    double fps_ = 24.0;
    long position_ = 0;
    int speed_ = 0;
    long in_ = -1;
    long out_ = -1;
    bool loop_ = false;
    QTimer timer_;
    QElapsedTimer clock_;
    long startPosition_ = 0;  // where the clock started counting
};

}  // namespace storyreel::ui
