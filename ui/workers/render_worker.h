// The worker that owns rendering: it lives on its own thread and runs one job at a time, in
// the order they are queued, so the UI thread never waits on an engine. Jobs arrive by
// queued call; results (progress, preview pictures, takes, errors) leave as signals carrying
// plain values.
//
//   worker->moveToThread(&thread);
//   QMetaObject::invokeMethod(worker, [=] { worker->render(job); }, Qt::QueuedConnection);
//
// Thread-safety: render() runs on the worker's thread; a job's CancelToken is set directly
// from the UI thread (never through a queued call, which would wait behind the job).
#pragma once

#include "core/base/cancel_token.h"
#include "core/project/project.h"
#include "core/render/take_renderer.h"

#include <QImage>
#include <QObject>
#include <QString>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

namespace storyreel::ui {

struct RenderJob {
    int id = 0;
    project::Project project;  // a snapshot: the UI may edit its own copy meanwhile
    std::size_t shotIndex = 0;
    std::shared_ptr<CancelToken> cancel;
    render::NeuralTakeSettings neural;  // neural presets: models folder, profile, licence
};

class RenderWorker : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;

    void render(const RenderJob& job);

Q_SIGNALS:
    void started(int jobId);
    // `phase` is a storyreel::Phase (Loading, Encoding, Denoising, Decoding, Muxing).
    void progressed(int jobId, int phase, int step, int steps, double etaSeconds);
    // Neural engines: a cheap picture of the work in progress, after every denoising step.
    void previewed(int jobId, const QImage& picture);
    void finished(int jobId, int shotIndex, const storyreel::project::Take& take);
    void failed(int jobId, const QString& message);
    void cancelled(int jobId);
};

}  // namespace storyreel::ui

Q_DECLARE_METATYPE(storyreel::project::Take)
