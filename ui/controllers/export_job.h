// One export of the timeline (MP4, one clip per shot, a PNG sequence, or a file for another
// editor: MLT, EDL, FCPXML, OTIO) run on a pool thread with progress and cancel, so the
// window stays usable while x264 works. The project is a snapshot: edits made meanwhile go
// into the next export.
//
//   auto* job = new ExportJob(this);
//   connect(job, &ExportJob::finished, this, [](const QString& error) {...});
//   job->start(model->project(), ExportKind::Mp4, "/home/me/film.mp4", options);
//
// Thread-safety: UI thread only; the export runs on QThreadPool::globalInstance().
#pragma once

#include "core/base/cancel_token.h"
#include "core/project/project.h"
#include "core/render/timeline_export.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <memory>

namespace storyreel::ui {

enum class ExportKind { Mp4, ShotClips, PngSequence, Mlt, Edl, Fcpxml, Otio };

class ExportJob : public QObject {
    Q_OBJECT

public:
    explicit ExportJob(QObject* parent = nullptr);
    ~ExportJob() override;

    // False while an export runs.
    bool start(const project::Project& project, ExportKind kind, const QString& target,
               const render::TimelineExportOptions& options);
    void cancel();
    bool isRunning() const { return watcher_.isRunning(); }

    // Whether the kind writes into a folder (per-shot clips, PNG sequence) or one file.
    static bool writesFolder(ExportKind kind);
    // The file name suffix of a kind's output ("mp4", "mlt", ...); empty for folders.
    static QString suffix(ExportKind kind);

Q_SIGNALS:
    void progressed(int step, int steps, double etaSeconds);
    // Empty on success; "cancelled" is reported as cancelled(), not as an error.
    void finished(const QString& error);
    void cancelled();

private:
    QFutureWatcher<QString> watcher_;
    std::shared_ptr<CancelToken> cancel_;
};

}  // namespace storyreel::ui
