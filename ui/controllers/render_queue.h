// The render queue: the jobs the user asked for, shown in the Render Queue panel and run one
// at a time by the RenderWorker on its own thread. The queue hands the worker one job when
// the previous one is over, taking the project as it is at that moment, so jobs can be
// reordered, paused, cancelled while waiting, and retried after a failure. A finished job's
// take is added to its shot, made active, and the project is saved. Waiting jobs are kept
// in the project's render_queue.json, so after a crash or a restart the queue resumes where
// it stopped.
//
//   RenderQueue queue(shots, queueView->jobs());
//   queue.enqueue({0, 2});      // shots 1 and 3
//   queue.cancel(jobId);        // a running job stops at its next frame; no take, no file
//   queue.setPaused(true);      // the running job finishes; nothing new starts
//
// Thread-safety: UI thread only (it talks to the worker by queued calls and signals).
#pragma once

#include "core/base/cancel_token.h"
#include "core/project/project.h"

#include <QImage>
#include <QObject>
#include <QThread>

#include <map>
#include <memory>
#include <string>
#include <vector>

class QStandardItemModel;

namespace storyreel::ui {

class RenderWorker;
class ShotListModel;

class RenderQueue : public QObject {
    Q_OBJECT

public:
    enum class JobState { Waiting, Running, Done, Failed, Cancelled, Refused };
    // Item data roles on the jobs model's first column.
    static constexpr int kJobIdRole = Qt::UserRole;
    static constexpr int kProgressRole = Qt::UserRole + 1;  // 0..1000 on the progress column

    RenderQueue(ShotListModel* shots, QStandardItemModel* jobs, QObject* parent = nullptr);
    ~RenderQueue() override;

    // Queues a job per shot row; returns the job ids. Shots whose preset cannot run are
    // refused (the returned list is shorter) with a message on their row.
    std::vector<int> enqueue(const std::vector<int>& shotRows);
    void cancel(int jobId);
    void cancelAll();
    // A failed or cancelled job goes back to the end of the queue.
    bool retry(int jobId);
    // Moves a waiting job up (-1) or down (+1) among the jobs.
    bool move(int jobId, int delta);
    void setPaused(bool paused);
    bool isPaused() const { return paused_; }
    // Removes the rows of jobs that are over.
    void clearFinished();
    JobState state(int jobId) const;
    // Jobs waiting or running.
    int pendingCount() const;

    // The open project changed: the old project's jobs stop (their saved queue is kept for
    // its next opening) and the new project's saved jobs are queued again.
    void projectChanged();

Q_SIGNALS:
    void jobStarted(int jobId);
    // A neural job's picture of its work in progress (also shown on its row and shot card).
    void jobPreviewed(int jobId, const QImage& picture);
    // A neural job's estimate is known: its row shows it (with a warning when it should not
    // fit the GPU).
    void jobEstimated(int jobId, const QString& text, bool warning);
    void jobFinished(int jobId);
    void jobFailed(int jobId, const QString& message);
    void jobCancelled(int jobId);
    void idle();
    void projectSaved();  // after a finished take; the file now matches the model
    void pausedChanged(bool paused);
    void restored(int jobs);  // jobs queued again from render_queue.json

private:
    struct Job {
        std::string shotId;  // by id: shots may be reordered meanwhile
        std::string preset;
        JobState state = JobState::Waiting;
        std::shared_ptr<CancelToken> cancel;
    };

    int addJob(const project::Shot& shot, int row);
    void dispatchNext();
    void onStarted(int jobId);
    void onProgressed(int jobId, int phase, int step, int steps, double etaSeconds);
    void onPreviewed(int jobId, const QImage& picture);
    void estimateNeuralJob(int jobId, int shotRow);
    void onFinished(int jobId, int shotIndex, const project::Take& take);
    void onFailed(int jobId, const QString& message);
    void onCancelled(int jobId);
    int rowOf(int jobId) const;
    void setStatus(int jobId, const QString& status, const QString& progress);
    void setProgress(int jobId, double fraction);
    void finish(int jobId, JobState state);
    void saveQueueFile() const;
    QString estimateText(const project::Shot& shot) const;

    ShotListModel* shots_;
    QStandardItemModel* jobs_;
    QThread thread_;
    RenderWorker* worker_;
    std::map<int, Job> byId_;
    int running_ = 0;  // the job the worker has, 0 for none
    bool paused_ = false;
    int nextJobId_ = 1;
    std::filesystem::path folder_;  // the project the jobs belong to
    // Measured Animatic speed on this machine, for estimates: seconds per megapixel-frame.
    double animaticSecondsPerMegapixelFrame_ = 0.02;
};

}  // namespace storyreel::ui
