// The render queue panel: jobs waiting, running and finished, each with its status and a
// progress bar (frame i of n and the time left while it renders, an estimate while it
// waits). The buttons act on the selected job: cancel, retry, move up or down; Pause holds
// the queue after the running job; Clear Finished removes the jobs that are over.
//
// Thread-safety: UI thread only.
#pragma once

#include <QWidget>

class QLabel;
class QToolButton;
class QStandardItemModel;
class QTreeView;

namespace storyreel::ui {

class RenderQueueView : public QWidget {
    Q_OBJECT

public:
    explicit RenderQueueView(QWidget* parent = nullptr);

    QStandardItemModel* jobs() const { return jobs_; }
    // The selected job's id, or 0.
    int selectedJob() const;
    void selectJob(int jobId);
    void setPaused(bool paused);
    QSize sizeHint() const override { return {380, 200}; }

Q_SIGNALS:
    void cancelRequested(int jobId);  // 0: every job
    void retryRequested(int jobId);
    void moveRequested(int jobId, int delta);
    void pauseToggled(bool paused);
    void clearFinishedRequested();

private:
    void updateEmptyState();

    QStandardItemModel* jobs_;
    QTreeView* table_;
    QLabel* emptyState_;
    QToolButton* pause_;
};

}  // namespace storyreel::ui
