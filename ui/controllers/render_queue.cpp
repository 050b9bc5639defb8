#include "ui/controllers/render_queue.h"

#include "core/base/progress.h"
#include "core/project/project_writer.h"
#include "core/render/engine_catalog.h"
#include "core/render/take_renderer.h"
#include "core/render/wan_engine.h"
#include "ui/controllers/render_estimate_text.h"
#include "ui/licence_notice.h"
#include "ui/models/shot_list_model.h"
#include "ui/preset_names.h"
#include "ui/std_path.h"
#include "ui/workers/render_worker.h"

#include <QApplication>
#include <QFile>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QSettings>
#include <QStandardItemModel>
#include <QStyle>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <utility>

namespace storyreel::ui {
namespace {

QString queueFile(const std::filesystem::path& folder) {
    return fromStdPath(folder / "render_queue.json");
}

// What neural jobs run with: the models folder and memory profile chosen in Tools > Models
// (ModelManagerDialog), and whether HunyuanVideo's licence was acknowledged.
render::NeuralTakeSettings neuralTakeSettings() {
    render::NeuralTakeSettings settings;
    settings.modelsDir = render::modelsDirFromEnvironment();
    settings.memoryProfile =
        QSettings()
            .value(QStringLiteral("models/memoryProfile"), QStringLiteral("auto"))
            .toString()
            .toStdString();
    settings.hunyuanLicenceAccepted = isLicenceAcknowledged("fast");
    return settings;
}

}  // namespace

RenderQueue::RenderQueue(ShotListModel* shots, QStandardItemModel* jobs, QObject* parent)
    : QObject(parent), shots_(shots), jobs_(jobs), worker_(new RenderWorker) {
    qRegisterMetaType<storyreel::project::Take>();
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &RenderWorker::started, this, &RenderQueue::onStarted);
    connect(worker_, &RenderWorker::progressed, this, &RenderQueue::onProgressed);
    connect(worker_, &RenderWorker::previewed, this, &RenderQueue::onPreviewed);
    connect(worker_, &RenderWorker::finished, this, &RenderQueue::onFinished);
    connect(worker_, &RenderWorker::failed, this, &RenderQueue::onFailed);
    connect(worker_, &RenderWorker::cancelled, this, &RenderQueue::onCancelled);
    thread_.setObjectName(QStringLiteral("render worker"));
    thread_.start();
    folder_ = shots_->project().folder;
}

RenderQueue::~RenderQueue() {
    // Shutdown order: cancel the running job, then quit, then wait (it stops at its next
    // frame). The saved queue is left as it is, so the next start resumes it.
    for (auto& [id, job] : byId_) {
        if (job.cancel) {
            job.cancel->requestCancel();
        }
    }
    thread_.quit();
    thread_.wait();
}

int RenderQueue::addJob(const project::Shot& shot, int row) {
    const int id = nextJobId_++;
    QList<QStandardItem*> items = {new QStandardItem(tr("Shot %1").arg(row + 1)),
                                   new QStandardItem(presetDisplayName(shot.preset)),
                                   new QStandardItem(), new QStandardItem()};
    items[0]->setData(id, kJobIdRole);
    items[0]->setToolTip(QString::fromStdString(shot.prompt));
    jobs_->appendRow(items);
    byId_[id] = Job{shot.id, shot.preset, JobState::Waiting, nullptr};
    return id;
}

std::vector<int> RenderQueue::enqueue(const std::vector<int>& shotRows) {
    std::vector<int> ids;
    for (const int row : shotRows) {
        if (row < 0 || row >= shots_->rowCount()) {
            continue;
        }
        const project::Shot& shot = shots_->project().shots[static_cast<std::size_t>(row)];
        const int id = addJob(shot, row);
        const std::optional<render::PresetInfo> preset = render::findPreset(shot.preset);
        if (!preset || !preset->available) {
            byId_[id].state = JobState::Refused;
            setStatus(id,
                      tr("Not available: %1")
                          .arg(preset ? QString::fromStdString(preset->unavailableReason)
                                      : tr("unknown preset")),
                      QString());
            continue;
        }
        if (preset->needsGpu) {
            setStatus(id, tr("Waiting"), tr("estimating…"));
            estimateNeuralJob(id, row);
        } else {
            setStatus(id, tr("Waiting"), estimateText(shot));
        }
        shots_->setShotStatus(shot.id, tr("Queued"));
        ids.push_back(id);
    }
    saveQueueFile();
    dispatchNext();
    return ids;
}

// What the job will take, from this machine's measured Animatic speed.
QString RenderQueue::estimateText(const project::Shot& shot) const {
    const auto& project = shots_->project();
    const double frames = std::max(1.0, std::round(shot.seconds * project.fps));
    const double megapixels = project.width * double(project.height) / 1e6;
    const double seconds = frames * megapixels * animaticSecondsPerMegapixelFrame_;
    return tr("about %1").arg(durationText(seconds));
}

// A neural job's peak GPU memory and time, worked out on a pool thread (it reads the image
// and, the first time, measures this device), then shown on the job's row.
void RenderQueue::estimateNeuralJob(int jobId, int shotRow) {
    auto* watcher = new QFutureWatcher<std::pair<render::Estimate, QString>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, jobId] {
        watcher->deleteLater();
        const auto [estimate, error] = watcher->result();
        const auto it = byId_.find(jobId);
        const int row = rowOf(jobId);
        if (it == byId_.end() || row < 0 ||
            (it->second.state != JobState::Waiting && it->second.state != JobState::Running)) {
            return;
        }
        const RenderEstimateText text =
            error.isEmpty() ? renderEstimateText(estimate) : RenderEstimateText{error, true};
        // A waiting job shows it in place of progress; a running one keeps it as a tooltip.
        if (it->second.state == JobState::Waiting) {
            setStatus(jobId, tr("Waiting"), text.line);
        }
        QStandardItem* status = jobs_->item(row, 2);
        status->setIcon(text.warning ? qApp->style()->standardIcon(QStyle::SP_MessageBoxWarning)
                                     : QIcon());
        status->setToolTip(text.line);
        Q_EMIT jobEstimated(jobId, text.line, text.warning);
    });
    watcher->setFuture(QtConcurrent::run(
        [project = shots_->project(), shotRow,
         settings = neuralTakeSettings()]() -> std::pair<render::Estimate, QString> {
            try {
                return {render::estimateNeuralTake(project, static_cast<std::size_t>(shotRow),
                                                   settings),
                        QString()};
            } catch (const std::exception& error) {
                return {render::Estimate{}, QString::fromStdString(error.what())};
            }
        }));
}

// Hands the worker the first waiting job, with the project as it is now.
void RenderQueue::dispatchNext() {
    if (running_ != 0 || paused_) {
        return;
    }
    for (int row = 0; row < jobs_->rowCount(); ++row) {
        const int id = jobs_->item(row, 0)->data(kJobIdRole).toInt();
        Job& job = byId_[id];
        if (job.state != JobState::Waiting) {
            continue;
        }
        const int shotRow = shots_->rowOf(job.shotId);
        if (shotRow < 0) {
            job.state = JobState::Failed;
            setStatus(id, tr("Failed"), tr("the shot no longer exists"));
            continue;
        }
        job.state = JobState::Running;
        job.cancel = std::make_shared<CancelToken>();
        running_ = id;
        RenderJob work{id, shots_->project(), static_cast<std::size_t>(shotRow), job.cancel,
                       neuralTakeSettings()};
        project::Shot& shot = work.project.shots[static_cast<std::size_t>(shotRow)];
        if (!shot.render.seedLocked) {
            // A fresh seed for this render; the take keeps it, so it can be repeated.
            shot.seed =
                static_cast<std::int64_t>(QRandomGenerator::global()->bounded(Q_INT64_C(1) << 31));
        }
        QMetaObject::invokeMethod(
            worker_, [worker = worker_, work] { worker->render(work); }, Qt::QueuedConnection);
        setStatus(id, tr("Starting"), QString());
        return;
    }
    if (pendingCount() == 0) {
        Q_EMIT idle();
    }
}

void RenderQueue::cancel(int jobId) {
    const auto it = byId_.find(jobId);
    if (it == byId_.end()) {
        return;
    }
    if (it->second.state == JobState::Running) {
        it->second.cancel->requestCancel();  // directly: the worker checks it between frames
        setStatus(jobId, tr("Cancelling…"), QString());
    } else if (it->second.state == JobState::Waiting) {
        finish(jobId, JobState::Cancelled);
        setStatus(jobId, tr("Cancelled"), QString());
        Q_EMIT jobCancelled(jobId);
        saveQueueFile();
        if (pendingCount() == 0) {
            Q_EMIT idle();
        }
    }
}

void RenderQueue::cancelAll() {
    std::vector<int> ids;
    for (const auto& [id, job] : byId_) {
        ids.push_back(id);
    }
    for (const int id : ids) {
        cancel(id);
    }
}

bool RenderQueue::retry(int jobId) {
    const auto it = byId_.find(jobId);
    if (it == byId_.end() ||
        (it->second.state != JobState::Failed && it->second.state != JobState::Cancelled)) {
        return false;
    }
    const int shotRow = shots_->rowOf(it->second.shotId);
    if (shotRow < 0) {
        return false;
    }
    // A new row at the end, as a new attempt; the old one keeps what happened.
    enqueue({shotRow});
    return true;
}

bool RenderQueue::move(int jobId, int delta) {
    const int row = rowOf(jobId);
    const int target = row + delta;
    if (row < 0 || target < 0 || target >= jobs_->rowCount() ||
        byId_[jobId].state != JobState::Waiting) {
        return false;
    }
    const QList<QStandardItem*> items = jobs_->takeRow(row);
    jobs_->insertRow(target, items);
    saveQueueFile();
    return true;
}

void RenderQueue::setPaused(bool paused) {
    if (paused_ == paused) {
        return;
    }
    paused_ = paused;
    Q_EMIT pausedChanged(paused_);
    dispatchNext();
}

void RenderQueue::clearFinished() {
    for (int row = jobs_->rowCount() - 1; row >= 0; --row) {
        const int id = jobs_->item(row, 0)->data(kJobIdRole).toInt();
        const JobState state = byId_[id].state;
        if (state != JobState::Waiting && state != JobState::Running) {
            jobs_->removeRow(row);
            byId_.erase(id);
        }
    }
}

RenderQueue::JobState RenderQueue::state(int jobId) const {
    const auto it = byId_.find(jobId);
    return it == byId_.end() ? JobState::Refused : it->second.state;
}

int RenderQueue::pendingCount() const {
    return static_cast<int>(std::count_if(byId_.begin(), byId_.end(), [](const auto& entry) {
        return entry.second.state == JobState::Waiting || entry.second.state == JobState::Running;
    }));
}

int RenderQueue::rowOf(int jobId) const {
    for (int row = 0; row < jobs_->rowCount(); ++row) {
        if (jobs_->item(row, 0)->data(kJobIdRole).toInt() == jobId) {
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

void RenderQueue::setProgress(int jobId, double fraction) {
    const int row = rowOf(jobId);
    if (row >= 0) {
        jobs_->item(row, 3)->setData(static_cast<int>(std::lround(fraction * 1000.0)),
                                     kProgressRole);
    }
}

void RenderQueue::finish(int jobId, JobState state) {
    Job& job = byId_[jobId];
    job.state = state;
    job.cancel.reset();
    shots_->setShotPreview(job.shotId, QImage());
    // The card keeps "Queued" while another job of the same shot still waits.
    const bool stillQueued = std::any_of(byId_.begin(), byId_.end(), [&job](const auto& entry) {
        return entry.second.shotId == job.shotId && entry.second.state == JobState::Waiting;
    });
    shots_->setShotStatus(job.shotId, stillQueued                 ? tr("Queued")
                                      : state == JobState::Failed ? tr("Render failed")
                                                                  : QString());
    if (running_ == jobId) {
        running_ = 0;
    }
}

// Jobs not yet over, in queue order, so that a restart resumes them.
void RenderQueue::saveQueueFile() const {
    if (folder_.empty()) {
        return;
    }
    QJsonArray pending;
    for (int row = 0; row < jobs_->rowCount(); ++row) {
        const auto it = byId_.find(jobs_->item(row, 0)->data(kJobIdRole).toInt());
        if (it != byId_.end() &&
            (it->second.state == JobState::Waiting || it->second.state == JobState::Running)) {
            pending.append(
                QJsonObject{{QStringLiteral("shot"), QString::fromStdString(it->second.shotId)},
                            {QStringLiteral("preset"), QString::fromStdString(it->second.preset)}});
        }
    }
    const QString file = queueFile(folder_);
    if (pending.isEmpty()) {
        QFile::remove(file);
        return;
    }
    QSaveFile out(file);  // atomic: a crash while saving keeps the previous queue
    if (out.open(QIODevice::WriteOnly)) {
        out.write(QJsonDocument(QJsonObject{{QStringLiteral("jobs"), pending}}).toJson());
        out.commit();
    }
}

void RenderQueue::projectChanged() {
    if (shots_->project().folder == folder_) {
        return;
    }
    // The old project's jobs: the running one stops; its saved queue stays for next time.
    for (auto& [id, job] : byId_) {
        if (job.cancel) {
            job.cancel->requestCancel();
        }
    }
    byId_.clear();
    running_ = 0;  // results still coming from the worker are for unknown ids: ignored
    jobs_->removeRows(0, jobs_->rowCount());
    folder_ = shots_->project().folder;

    QFile file(queueFile(folder_));
    if (folder_.empty() || !file.open(QIODevice::ReadOnly)) {
        return;
    }
    const QJsonArray saved =
        QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("jobs")).toArray();
    std::vector<int> rows;
    for (const QJsonValue& entry : saved) {
        const int row =
            shots_->rowOf(entry.toObject().value(QStringLiteral("shot")).toString().toStdString());
        if (row >= 0) {
            rows.push_back(row);
        }
    }
    if (!rows.empty()) {
        enqueue(rows);
        Q_EMIT restored(static_cast<int>(rows.size()));
    }
}

void RenderQueue::onStarted(int jobId) {
    if (byId_.count(jobId) != 0) {
        setStatus(jobId, tr("Rendering"), QString());
        shots_->setShotStatus(byId_[jobId].shotId, tr("Rendering"));
        Q_EMIT jobStarted(jobId);
    }
}

void RenderQueue::onProgressed(int jobId, int phase, int step, int steps, double etaSeconds) {
    const auto it = byId_.find(jobId);
    if (it == byId_.end()) {
        return;
    }
    const QString left = QLocale().toString(std::max(0.0, etaSeconds), 'f', 0);
    QString text;
    double fraction = steps > 0 ? double(step) / steps : 0.0;
    if (it->second.preset == "animatic") {
        text = tr("frame %1 of %2 · %3 s left").arg(step).arg(steps).arg(left);
    } else {
        // Neural engines: the denoising steps are the work; loading, reading the prompt and
        // decoding come before and after.
        switch (static_cast<Phase>(phase)) {
            case Phase::Loading:
                text = tr("loading the models…");
                fraction = 0.0;
                break;
            case Phase::Encoding:
                text = tr("reading the prompt and the image…");
                fraction = 0.0;
                break;
            case Phase::Denoising:
                text = etaSeconds >= 0.0
                           ? tr("step %1 of %2 · %3 s left").arg(step).arg(steps).arg(left)
                           : tr("step %1 of %2").arg(step).arg(steps);
                break;
            case Phase::Decoding:
            case Phase::Muxing:
                text = tr("decoding the video…");
                fraction = 1.0;
                break;
        }
    }
    setStatus(jobId, tr("Rendering"), text);
    setProgress(jobId, fraction);
    shots_->setShotStatus(it->second.shotId,
                          tr("Rendering %1%").arg(static_cast<int>(std::lround(fraction * 100))));
}

void RenderQueue::onPreviewed(int jobId, const QImage& picture) {
    const auto it = byId_.find(jobId);
    if (it == byId_.end() || it->second.state != JobState::Running) {
        return;
    }
    const int row = rowOf(jobId);
    if (row >= 0) {
        jobs_->item(row, 0)->setData(
            picture.scaled(QSize(48, 27), Qt::KeepAspectRatio, Qt::SmoothTransformation),
            Qt::DecorationRole);
    }
    shots_->setShotPreview(it->second.shotId, picture);
    Q_EMIT jobPreviewed(jobId, picture);
}

void RenderQueue::onFinished(int jobId, int, const project::Take& take) {
    const auto it = byId_.find(jobId);
    if (it == byId_.end()) {
        return;  // a job of a project that was closed meanwhile
    }
    if (!shots_->addTake(it->second.shotId, take)) {
        setStatus(jobId, tr("Failed"), tr("the shot no longer exists"));
        finish(jobId, JobState::Failed);
    } else {
        finish(jobId, JobState::Done);
        setProgress(jobId, 1.0);
        // The next estimates use this machine's measured speed.
        const double megapixelFrames = take.frames * double(take.width) * take.height / 1e6;
        if (take.engine == "animatic" && megapixelFrames > 0.0 && take.secondsTaken > 0.0) {
            animaticSecondsPerMegapixelFrame_ = take.secondsTaken / megapixelFrames;
        }
        try {
            project::saveProject(shots_->project());
            setStatus(jobId, tr("Done"), QString::fromStdString(take.file.generic_string()));
            Q_EMIT projectSaved();
        } catch (const std::exception& error) {
            setStatus(jobId, tr("Done, not saved"), QString::fromStdString(error.what()));
        }
    }
    saveQueueFile();
    Q_EMIT jobFinished(jobId);
    dispatchNext();
}

void RenderQueue::onFailed(int jobId, const QString& message) {
    if (byId_.count(jobId) == 0) {
        return;
    }
    finish(jobId, JobState::Failed);
    setStatus(jobId, tr("Failed"), message);
    saveQueueFile();
    Q_EMIT jobFailed(jobId, message);
    dispatchNext();
}

void RenderQueue::onCancelled(int jobId) {
    if (byId_.count(jobId) == 0) {
        return;
    }
    finish(jobId, JobState::Cancelled);
    setStatus(jobId, tr("Cancelled"), QString());
    setProgress(jobId, 0.0);
    saveQueueFile();
    Q_EMIT jobCancelled(jobId);
    dispatchNext();
}

}  // namespace storyreel::ui
