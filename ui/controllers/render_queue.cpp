#include "ui/controllers/render_queue.h"

#include "core/project/project_writer.h"
#include "core/render/engine_catalog.h"
#include "ui/models/shot_list_model.h"
#include "ui/preset_names.h"
#include "ui/workers/render_worker.h"

#include <QLocale>
#include <QStandardItemModel>

namespace storyreel::ui {

RenderQueue::RenderQueue(ShotListModel* shots, QStandardItemModel* jobs, QObject* parent)
    : QObject(parent), shots_(shots), jobs_(jobs), worker_(new RenderWorker) {
    qRegisterMetaType<storyreel::project::Take>();
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &RenderWorker::started, this, &RenderQueue::onStarted);
    connect(worker_, &RenderWorker::progressed, this, &RenderQueue::onProgressed);
    connect(worker_, &RenderWorker::finished, this, &RenderQueue::onFinished);
    connect(worker_, &RenderWorker::failed, this, &RenderQueue::onFailed);
    connect(worker_, &RenderWorker::cancelled, this, &RenderQueue::onCancelled);
    thread_.setObjectName(QStringLiteral("render worker"));
    thread_.start();
}

RenderQueue::~RenderQueue() {
    // Shutdown order: cancel, then quit, then wait (the running job stops at its next frame).
    cancelAll();
    thread_.quit();
    thread_.wait();
}

std::vector<int> RenderQueue::enqueue(const std::vector<int>& shotRows) {
    std::vector<int> ids;
    for (const int row : shotRows) {
        if (row < 0 || row >= shots_->rowCount()) {
            continue;
        }
        const project::Shot& shot = shots_->project().shots[static_cast<std::size_t>(row)];
        const render::PresetInfo* preset = render::findPreset(shot.preset);
        const int id = nextJobId_++;
        QList<QStandardItem*> items = {new QStandardItem(tr("Shot %1").arg(row + 1)),
                                       new QStandardItem(presetDisplayName(shot.preset)),
                                       new QStandardItem(), new QStandardItem()};
        items[0]->setData(id, Qt::UserRole);
        jobs_->appendRow(items);
        if (!preset || !preset->available) {
            setStatus(id,
                      tr("Not available: %1")
                          .arg(preset ? QString::fromStdString(preset->unavailableReason)
                                      : tr("unknown preset")),
                      QString());
            continue;
        }
        RenderJob job{id, shots_->project(), static_cast<std::size_t>(row),
                      std::make_shared<CancelToken>()};
        cancels_[id] = job.cancel;
        shotIds_[id] = shot.id;
        setStatus(id, tr("Waiting"), QString());
        QMetaObject::invokeMethod(
            worker_, [worker = worker_, job] { worker->render(job); }, Qt::QueuedConnection);
        ids.push_back(id);
    }
    return ids;
}

void RenderQueue::cancel(int jobId) {
    if (const auto it = cancels_.find(jobId); it != cancels_.end()) {
        it->second->requestCancel();  // directly: the worker checks it between frames
        setStatus(jobId, tr("Cancelling…"), QString());
    }
}

void RenderQueue::cancelAll() {
    for (const auto& [id, token] : cancels_) {
        token->requestCancel();
    }
}

int RenderQueue::rowOf(int jobId) const {
    for (int row = 0; row < jobs_->rowCount(); ++row) {
        if (jobs_->item(row, 0)->data(Qt::UserRole).toInt() == jobId) {
            return row;
        }
    }
    return -1;
}

void RenderQueue::setStatus(int jobId, const QString& status, const QString& progress) {
    const int row = rowOf(jobId);
    if (row >= 0) {
        jobs_->item(row, 2)->setText(status);
        jobs_->item(row, 3)->setText(progress);
    }
}

void RenderQueue::forget(int jobId) {
    cancels_.erase(jobId);
    shotIds_.erase(jobId);
    if (cancels_.empty()) {
        Q_EMIT idle();
    }
}

void RenderQueue::onStarted(int jobId) {
    setStatus(jobId, tr("Rendering"), QString());
}

void RenderQueue::onProgressed(int jobId, int step, int steps, double etaSeconds) {
    setStatus(jobId, tr("Rendering"),
              tr("frame %1 of %2 · %3 s left")
                  .arg(step)
                  .arg(steps)
                  .arg(QLocale().toString(std::max(0.0, etaSeconds), 'f', 0)));
}

void RenderQueue::onFinished(int jobId, int, const project::Take& take) {
    const auto shotId = shotIds_.find(jobId);
    if (shotId == shotIds_.end() || !shots_->addTake(shotId->second, take)) {
        setStatus(jobId, tr("Failed"), tr("the shot no longer exists"));
    } else {
        try {
            project::saveProject(shots_->project());
            setStatus(jobId, tr("Done"), QString::fromStdString(take.file.generic_string()));
            Q_EMIT projectSaved();
        } catch (const std::exception& error) {
            setStatus(jobId, tr("Done, not saved"), QString::fromStdString(error.what()));
        }
    }
    forget(jobId);
    Q_EMIT jobFinished(jobId);
}

void RenderQueue::onFailed(int jobId, const QString& message) {
    setStatus(jobId, tr("Failed"), message);
    forget(jobId);
    Q_EMIT jobFailed(jobId, message);
}

void RenderQueue::onCancelled(int jobId) {
    setStatus(jobId, tr("Cancelled"), QString());
    forget(jobId);
    Q_EMIT jobCancelled(jobId);
}

}  // namespace storyreel::ui
