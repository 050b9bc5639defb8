#include "ui/controllers/export_job.h"

#include "core/base/user_error.h"
#include "core/render/timeline_files.h"
#include "ui/std_path.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace storyreel::ui {
namespace {

const QString kCancelled = QStringLiteral("\x01cancelled");  // never a real message

}  // namespace

ExportJob::ExportJob(QObject* parent) : QObject(parent) {
    connect(&watcher_, &QFutureWatcher<QString>::finished, this, [this] {
        const QString result = watcher_.result();
        if (result == kCancelled) {
            Q_EMIT cancelled();
        } else {
            Q_EMIT finished(result);
        }
    });
}

ExportJob::~ExportJob() {
    cancel();
    watcher_.waitForFinished();
}

bool ExportJob::writesFolder(ExportKind kind) {
    return kind == ExportKind::ShotClips || kind == ExportKind::PngSequence;
}

QString ExportJob::suffix(ExportKind kind) {
    switch (kind) {
        case ExportKind::Mp4:
            return QStringLiteral("mp4");
        case ExportKind::Mlt:
            return QStringLiteral("mlt");
        case ExportKind::Edl:
            return QStringLiteral("edl");
        case ExportKind::Fcpxml:
            return QStringLiteral("fcpxml");
        case ExportKind::Otio:
            return QStringLiteral("otio");
        case ExportKind::ShotClips:
        case ExportKind::PngSequence:
            break;
    }
    return {};
}

bool ExportJob::start(const project::Project& project, ExportKind kind, const QString& target,
                      const render::TimelineExportOptions& options) {
    if (watcher_.isRunning()) {
        return false;
    }
    cancel_ = std::make_shared<CancelToken>();
    auto cancel = cancel_;
    const QPointer<ExportJob> self(this);
    // Progress reaches the UI at most every 50 ms: x264 reports every frame.
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    const ProgressSink progress = [self, clock](const Progress& p) {
        if (clock->elapsed() < 50 && p.step != p.steps) {
            return;
        }
        clock->restart();
        QMetaObject::invokeMethod(
            self,
            [self, p] {
                if (self) {
                    Q_EMIT self->progressed(p.step, p.steps, p.etaSeconds);
                }
            },
            Qt::QueuedConnection);
    };
    const std::filesystem::path path = toStdPath(target);
    watcher_.setFuture(QtConcurrent::run([project, kind, path, options, progress, cancel] {
        try {
            switch (kind) {
                case ExportKind::Mp4:
                    render::exportTimelineMp4(project, path, options, progress, *cancel);
                    break;
                case ExportKind::ShotClips:
                    std::filesystem::create_directories(path);
                    render::exportShotClips(project, path, options, progress, *cancel);
                    break;
                case ExportKind::PngSequence:
                    render::exportTimelinePngs(project, path, options, progress, *cancel);
                    break;
                case ExportKind::Mlt:
                    render::writeTimelineFile(project, path, render::TimelineFormat::Mlt,
                                              options.usePlaceholders);
                    break;
                case ExportKind::Edl:
                    render::writeTimelineFile(project, path, render::TimelineFormat::Edl,
                                              options.usePlaceholders);
                    break;
                case ExportKind::Fcpxml:
                    render::writeTimelineFile(project, path, render::TimelineFormat::Fcpxml,
                                              options.usePlaceholders);
                    break;
                case ExportKind::Otio:
                    render::writeTimelineFile(project, path, render::TimelineFormat::Otio,
                                              options.usePlaceholders);
                    break;
            }
        } catch (const Cancelled&) {
            return kCancelled;
        } catch (const std::exception& error) {
            return QString::fromStdString(error.what());
        }
        return QString();
    }));
    return true;
}

void ExportJob::cancel() {
    if (cancel_) {
        cancel_->requestCancel();
    }
}

}  // namespace storyreel::ui
