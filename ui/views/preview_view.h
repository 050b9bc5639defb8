// The preview player: the timeline's frame at the playhead, letterboxed to the project's
// aspect, with the transport under it (play/pause, loop, timecode, in/out) and what the
// current shot is. Frames come ready-made from PreviewFrames; this view only paints them.
// Full screen shows the picture alone; Esc or F brings it back.
//
// Thread-safety: UI thread only.
#pragma once

#include <QImage>
#include <QModelIndex>
#include <QWidget>

class QLabel;
class QToolButton;

namespace storyreel::ui {

class PlaybackController;
class PreviewCanvas;

class PreviewView : public QWidget {
    Q_OBJECT

public:
    explicit PreviewView(QWidget* parent = nullptr);

    void setTransport(PlaybackController* transport);
    // What the current shot is, under the picture.
    void showShot(const QModelIndex& index, double projectAspect);
    // The picture at the playhead; a null image keeps the last one until the new one comes.
    void showFrame(const QImage& frame);
    void setAspect(double aspect);
    void toggleFullScreen();
    bool isFullScreen() const;
    // The picture on screen now (for tests and the screenshot of a state).
    QImage shownFrame() const;

private:
    void updateTransport();

    PreviewCanvas* canvas_;
    QToolButton* play_;
    QToolButton* loop_;
    QLabel* timecode_;
    QLabel* shotLabel_;
    PlaybackController* transport_ = nullptr;
};

}  // namespace storyreel::ui
