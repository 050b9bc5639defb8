// The pictures the preview shows, made off the UI thread: the timeline's frames (active
// takes, or stills for shots without one, trimmed and crossfaded exactly as the export
// will) decoded on a worker thread at preview size and kept in a frame cache, so that
// playback and scrubbing only ever look up a finished QImage on the UI thread.
//
//   frames->setProject(model->project());         // after every edit; cheap when unchanged
//   QImage picture = frames->frame(120, +1);      // null when not ready: frameReady follows
//
// Thread-safety: the public functions are for the UI thread; one worker thread decodes.
#pragma once

#include "core/project/project.h"

#include <QImage>
#include <QObject>
#include <QSize>

#include <memory>

namespace storyreel::ui {

class PreviewFrames : public QObject {
    Q_OBJECT

public:
    explicit PreviewFrames(QObject* parent = nullptr);
    ~PreviewFrames() override;

    // Re-plans the timeline; cached frames are kept unless the plan changed.
    void setProject(const project::Project& project);
    long frameCount() const;
    double fps() const;
    // The picture at a timeline frame if it is ready; otherwise a null image, and the worker
    // makes it (then frameReady). direction (+1, -1, 0) says where to read ahead.
    QImage frame(long index, int direction = 0);
    // The size frames are made at: the project's, fitted into at most 640x360.
    QSize frameSize() const;

Q_SIGNALS:
    void frameReady(long index);
    void timelineChanged();  // the plan changed: frames at every position may differ
    void failed(const QString& message);

private:
    struct Shared;
    std::shared_ptr<Shared> shared_;
};

}  // namespace storyreel::ui
