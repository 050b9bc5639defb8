// The render queue: the jobs the user asked for, shown in the Render Queue panel, run one at
// a time by the RenderWorker on its own thread. A finished job's take is added to its shot,
// made active, and the project is saved.
//
//   RenderQueue queue(shots, queueView->jobs());
//   queue.enqueue({0, 2});      // shots 1 and 3
//   queue.cancel(jobId);        // stops at the next frame; no take, no file left
//
// Thread-safety: UI thread only (it talks to the worker by queued calls and signals).
#pragma once

#include "core/base/cancel_token.h"
#include "core/project/project.h"

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
    RenderQueue(ShotListModel* shots, QStandardItemModel* jobs, QObject* parent = nullptr);
    ~RenderQueue() override;

    // Queues a job per shot row; returns the job ids. Shots whose preset cannot run are
    // refused (the returned list is shorter) with a message on their row.
    std::vector<int> enqueue(const std::vector<int>& shotRows);
    void cancel(int jobId);
    void cancelAll();
    int pendingCount() const { return static_cast<int>(cancels_.size()); }

Q_SIGNALS:
    void jobFinished(int jobId);
    void jobFailed(int jobId, const QString& message);
    void jobCancelled(int jobId);
    void idle();
    void projectSaved();  // after a finished take; the file now matches the model

private:
    void onStarted(int jobId);
    void onProgressed(int jobId, int step, int steps, double etaSeconds);
    void onFinished(int jobId, int shotIndex, const project::Take& take);
    void onFailed(int jobId, const QString& message);
    void onCancelled(int jobId);
    int rowOf(int jobId) const;
    void setStatus(int jobId, const QString& status, const QString& progress);
    void forget(int jobId);

    ShotListModel* shots_;
    QStandardItemModel* jobs_;
    QThread thread_;
    RenderWorker* worker_;
    std::map<int, std::shared_ptr<CancelToken>> cancels_;  // jobs not yet over
    std::map<int, std::string> shotIds_;  // by id: shots may be reordered meanwhile
    int nextJobId_ = 1;
};

}  // namespace storyreel::ui
