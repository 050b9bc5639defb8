#include "ui/views/storyboard_view.h"

#include "ui/controllers/shot_importer.h"
#include "ui/models/shot_list_model.h"
#include "ui/views/shot_card_delegate.h"

#include <QDragEnterEvent>
#include <QKeyEvent>
#include <QMimeData>
#include <QPainter>

#include <algorithm>

namespace storyreel::ui {

StoryboardView::StoryboardView(QWidget* parent) : QListView(parent) {
    setObjectName(QStringLiteral("storyboardView"));
    setItemDelegate(new ShotCardDelegate(this));
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setUniformItemSizes(true);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setDragEnabled(true);
    setAcceptDrops(true);
    setDragDropMode(QAbstractItemView::DragDrop);
    setDefaultDropAction(Qt::MoveAction);
    setAccessibleName(tr("Storyboard"));
}

int StoryboardView::dropRowAt(const QPoint& point) const {
    const QModelIndex index = indexAt(point);
    if (!index.isValid()) {
        return model() ? model()->rowCount() : 0;
    }
    const QRect rect = visualRect(index);
    return point.y() > rect.center().y() ? index.row() + 1 : index.row();
}

QStringList StoryboardView::selectedShotIds() const {
    QModelIndexList rows = selectionModel() ? selectionModel()->selectedRows() : QModelIndexList();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QStringList ids;
    const auto* shots = qobject_cast<const ShotListModel*>(model());
    for (const QModelIndex& index : rows) {
        if (shots) {
            ids << QString::fromStdString(
                shots->project().shots[static_cast<std::size_t>(index.row())].id);
        }
    }
    return ids;
}

bool StoryboardView::accepts(const QMimeData* data) const {
    if (data->hasFormat(QString::fromLatin1(ShotListModel::kShotIdsMimeType))) {
        return true;
    }
    const QList<QUrl> urls = data->urls();
    return std::any_of(urls.begin(), urls.end(), [](const QUrl& url) {
        return url.isLocalFile() && ShotImporter::isImportablePath(url.toLocalFile());
    });
}

void StoryboardView::dragEnterEvent(QDragEnterEvent* event) {
    if (accepts(event->mimeData())) {
        event->acceptProposedAction();
    } else {
        event->ignore();
    }
}

void StoryboardView::dragMoveEvent(QDragMoveEvent* event) {
    if (!accepts(event->mimeData())) {
        event->ignore();
        return;
    }
    dropIndicatorRow_ = dropRowAt(event->position().toPoint());
    viewport()->update();
    event->acceptProposedAction();
}

void StoryboardView::dropEvent(QDropEvent* event) {
    const int row = dropRowAt(event->position().toPoint());
    dropIndicatorRow_ = -1;
    viewport()->update();
    const QMimeData* data = event->mimeData();
    const QString shotIds = QString::fromLatin1(ShotListModel::kShotIdsMimeType);
    if (data->hasFormat(shotIds)) {
        Q_EMIT shotsMoved(QString::fromUtf8(data->data(shotIds)).split(QLatin1Char('\n')), row);
        // Accepted as a copy so that QAbstractItemView does not also remove the dragged rows.
        event->setDropAction(Qt::CopyAction);
        event->accept();
        return;
    }
    QStringList paths;
    for (const QUrl& url : data->urls()) {
        if (url.isLocalFile()) {
            paths << url.toLocalFile();
        }
    }
    if (paths.isEmpty()) {
        event->ignore();
        return;
    }
    Q_EMIT filesDropped(paths, row);
    event->acceptProposedAction();
}

void StoryboardView::keyPressEvent(QKeyEvent* event) {
    if ((event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace) &&
        !selectedShotIds().isEmpty()) {
        Q_EMIT deleteRequested();
        event->accept();
        return;
    }
    QListView::keyPressEvent(event);
}

void StoryboardView::paintEvent(QPaintEvent* event) {
    QListView::paintEvent(event);
    QPainter painter(viewport());
    if (model() && model()->rowCount() == 0) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(viewport()->rect().adjusted(16, 16, -16, -16),
                         Qt::AlignCenter | Qt::TextWordWrap,
                         tr("Drop images, a folder of images or a CSV shot list here, or paste "
                            "a picture (Ctrl+V)."));
    }
    if (dropIndicatorRow_ < 0) {
        return;
    }
    // A line between the cards where the drop will insert.
    int y = 0;
    if (dropIndicatorRow_ < model()->rowCount()) {
        y = visualRect(model()->index(dropIndicatorRow_, 0)).top();
    } else if (model()->rowCount() > 0) {
        y = visualRect(model()->index(model()->rowCount() - 1, 0)).bottom();
    }
    painter.setPen(QPen(palette().color(QPalette::Highlight), 3));
    painter.drawLine(6, y, viewport()->width() - 6, y);
}

}  // namespace storyreel::ui
