// The render queue: jobs waiting, running and finished, with their progress. One worker
// owns the GPU and runs them in order; until an engine lands, the queue stays empty and
// says so.
//
// Thread-safety: UI thread only.
#pragma once

#include <QWidget>

class QLabel;
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
    QSize sizeHint() const override { return {380, 200}; }

Q_SIGNALS:
    void cancelRequested(int jobId);  // 0: every job

private:
    void updateEmptyState();

    QStandardItemModel* jobs_;
    QTreeView* table_;
    QLabel* emptyState_;
};

}  // namespace storyreel::ui
