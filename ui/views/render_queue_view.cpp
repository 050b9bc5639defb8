#include "ui/views/render_queue_view.h"

#include "ui/controllers/render_queue.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QStandardItemModel>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace storyreel::ui {
namespace {

// The progress column: a bar under the text once a job has reported progress.
class ProgressDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override {
        const QVariant progress = index.data(RenderQueue::kProgressRole);
        if (!progress.isValid()) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(2, 2, -2, -2);
        bar.minimum = 0;
        bar.maximum = 1000;
        bar.progress = progress.toInt();
        bar.text = index.data(Qt::DisplayRole).toString();
        bar.textVisible = true;
        bar.state = option.state | QStyle::State_Horizontal;
        QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, painter);
    }
};

}  // namespace

RenderQueueView::RenderQueueView(QWidget* parent)
    : QWidget(parent),
      jobs_(new QStandardItemModel(0, 4, this)),
      table_(new QTreeView(this)),
      emptyState_(new QLabel(this)),
      pause_(new QToolButton(this)) {
    setObjectName(QStringLiteral("renderQueueView"));
    jobs_->setHorizontalHeaderLabels({tr("Shot"), tr("Preset"), tr("Status"), tr("Progress")});
    table_->setObjectName(QStringLiteral("jobTable"));
    table_->setModel(jobs_);
    table_->setRootIsDecorated(false);
    table_->setAlternatingRowColors(true);
    table_->setItemDelegateForColumn(3, new ProgressDelegate(table_));
    table_->header()->setSectionResizeMode(QHeaderView::Stretch);
    table_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // columns stretch to fit
    emptyState_->setText(tr("No renders queued.\nSelect shots and choose Render Take."));
    emptyState_->setAlignment(Qt::AlignCenter);
    emptyState_->setWordWrap(true);
    emptyState_->setEnabled(false);
    emptyState_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);

    // Compact buttons with icons (names in tooltips): the panel shares the side of the window
    // with the shot inspector and must stay narrow in every language.
    const auto button = [this](QToolButton* made, const QString& text, QStyle::StandardPixmap icon,
                               const QString& tip) {
        made->setText(text);
        made->setIcon(style()->standardIcon(icon));
        made->setToolTip(tip.isEmpty() ? text : text + QStringLiteral(": ") + tip);
        made->setAccessibleName(text);
        made->setToolButtonStyle(Qt::ToolButtonIconOnly);
        made->setAutoRaise(true);
        return made;
    };
    pause_->setObjectName(QStringLiteral("pauseQueueButton"));
    pause_->setCheckable(true);
    button(pause_, tr("Pause"), QStyle::SP_MediaPause,
           tr("Let the running job finish and start no other until resumed."));
    auto* cancel = button(new QToolButton(this), tr("Cancel"), QStyle::SP_DialogCancelButton,
                          tr("Cancel the selected job, or every job when none is selected."));
    auto* retry = button(new QToolButton(this), tr("Retry"), QStyle::SP_BrowserReload,
                         tr("Queue a failed or cancelled job again."));
    auto* up = button(new QToolButton(this), tr("Up"), QStyle::SP_ArrowUp, QString());
    auto* down = button(new QToolButton(this), tr("Down"), QStyle::SP_ArrowDown, QString());
    auto* clear = new QPushButton(tr("Clear Finished"), this);
    cancel->setObjectName(QStringLiteral("cancelJobButton"));
    retry->setObjectName(QStringLiteral("retryJobButton"));
    up->setObjectName(QStringLiteral("moveJobUpButton"));
    down->setObjectName(QStringLiteral("moveJobDownButton"));
    clear->setObjectName(QStringLiteral("clearFinishedButton"));
    connect(cancel, &QToolButton::clicked, this, [this] { Q_EMIT cancelRequested(selectedJob()); });
    connect(retry, &QToolButton::clicked, this, [this] {
        if (selectedJob() != 0) {
            Q_EMIT retryRequested(selectedJob());
        }
    });
    connect(up, &QToolButton::clicked, this, [this] { Q_EMIT moveRequested(selectedJob(), -1); });
    connect(down, &QToolButton::clicked, this, [this] { Q_EMIT moveRequested(selectedJob(), 1); });
    connect(clear, &QPushButton::clicked, this, &RenderQueueView::clearFinishedRequested);
    connect(pause_, &QToolButton::toggled, this, [this](bool paused) {
        pause_->setText(paused ? tr("Resume") : tr("Pause"));
        pause_->setIcon(
            style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
        Q_EMIT pauseToggled(paused);
    });
    auto* buttons = new QHBoxLayout;
    for (QToolButton* tool : {pause_, cancel, retry, up, down}) {
        buttons->addWidget(tool);
    }
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
    return current.isValid() ? jobs_->item(current.row(), 0)->data(RenderQueue::kJobIdRole).toInt()
                             : 0;
}

void RenderQueueView::selectJob(int jobId) {
    for (int row = 0; row < jobs_->rowCount(); ++row) {
        if (jobs_->item(row, 0)->data(RenderQueue::kJobIdRole).toInt() == jobId) {
            table_->setCurrentIndex(jobs_->index(row, 0));
        }
    }
}

void RenderQueueView::setPaused(bool paused) {
    pause_->setChecked(paused);
}

void RenderQueueView::updateEmptyState() {
    emptyState_->setVisible(jobs_->rowCount() == 0);
}

}  // namespace storyreel::ui
