#include "ui/views/render_queue_view.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace storyreel::ui {

RenderQueueView::RenderQueueView(QWidget* parent)
    : QWidget(parent),
      jobs_(new QStandardItemModel(0, 4, this)),
      table_(new QTreeView(this)),
      emptyState_(new QLabel(this)) {
    setObjectName(QStringLiteral("renderQueueView"));
    jobs_->setHorizontalHeaderLabels({tr("Shot"), tr("Preset"), tr("Status"), tr("Progress")});
    table_->setModel(jobs_);
    table_->setRootIsDecorated(false);
    table_->setAlternatingRowColors(true);
    table_->header()->setSectionResizeMode(QHeaderView::Stretch);
    table_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // columns stretch to fit
    emptyState_->setText(tr("No renders queued.\nSelect shots and choose Render Take."));
    emptyState_->setAlignment(Qt::AlignCenter);
    emptyState_->setWordWrap(true);
    emptyState_->setEnabled(false);
    emptyState_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);

    auto* start = new QPushButton(tr("Start"), this);
    auto* cancel = new QPushButton(tr("Cancel"), this);
    auto* clear = new QPushButton(tr("Clear Finished"), this);
    // The queue starts on its own; clearing finished jobs comes with saved queues.
    for (QPushButton* button : {start, clear}) {
        button->setEnabled(false);
    }
    cancel->setObjectName(QStringLiteral("cancelJobButton"));
    cancel->setToolTip(tr("Cancel the selected job, or every job when none is selected."));
    connect(cancel, &QPushButton::clicked, this, [this] { Q_EMIT cancelRequested(selectedJob()); });
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(start);
    buttons->addWidget(cancel);
    buttons->addStretch();
    buttons->addWidget(clear);

    // The empty-state text sits inside the table's viewport, under the column headers.
    auto* overlay = new QVBoxLayout(table_->viewport());
    overlay->addWidget(emptyState_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(table_, 1);
    layout->addLayout(buttons);
    connect(jobs_, &QAbstractItemModel::rowsInserted, this, &RenderQueueView::updateEmptyState);
    connect(jobs_, &QAbstractItemModel::rowsRemoved, this, &RenderQueueView::updateEmptyState);
    updateEmptyState();
}

int RenderQueueView::selectedJob() const {
    const QModelIndex current = table_->currentIndex();
    return current.isValid() ? jobs_->item(current.row(), 0)->data(Qt::UserRole).toInt() : 0;
}

void RenderQueueView::updateEmptyState() {
    emptyState_->setVisible(jobs_->rowCount() == 0);
}

}  // namespace storyreel::ui
