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
    setItemDelegate(new ShotCardDelegate(nullptr, this));
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setUniformItemSizes(true);
    // A grid of cards that reflows with the panel's width: one column when narrow.
    setViewMode(QListView::IconMode);
    setFlow(QListView::LeftToRight);
    setWrapping(true);
    setResizeMode(QListView::Adjust);
    setMovement(QListView::Snap);
    setSpacing(2);
    setMinimumWidth(260);  // a card's picture and its title never get cut
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setDragEnabled(true);
    setAcceptDrops(true);
    setDragDropMode(QAbstractItemView::DragDrop);
    setDefaultDropAction(Qt::MoveAction);
    setAccessibleName(tr("Storyboard"));
}

void StoryboardView::setTakeThumbnails(TakeThumbnails* thumbnails) {
    QAbstractItemDelegate* old = itemDelegate();
    setItemDelegate(new ShotCardDelegate(thumbnails, this));
    delete old;
}

// Cards sit in rows: a drop on a card's right half (or, in a single column, its lower half)
// lands after it.
int StoryboardView::dropRowAt(const QPoint& point) const {
    const QModelIndex index = indexAt(point);
    if (!index.isValid()) {
        return model() ? model()->rowCount() : 0;
    }
    const QRect rect = visualRect(index);
    const bool singleColumn = viewport()->width() < 2 * rect.width();
    const bool after = singleColumn ? point.y() > rect.center().y() : point.x() > rect.center().x();
    return after ? index.row() + 1 : index.row();
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

// As many columns of cards as fit at their preferred width; the cards share what is left,
// so a narrow panel shows one full-width column rather than clipped cards.
void StoryboardView::resizeEvent(QResizeEvent* event) {
    QListView::resizeEvent(event);
    if (auto* cards = qobject_cast<ShotCardDelegate*>(itemDelegate())) {
        const int available = viewport()->width() - 2 * spacing() - 1;
        const int columns = std::max(1, available / ShotCardDelegate::kCardWidth);
        cards->setCardWidth(std::max(240, available / columns - 2 * spacing()));
        doItemsLayout();
    }
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
    // A bar before the card the drop will insert before (after the last card at the end).
    if (model()->rowCount() == 0) {
        return;
    }
    const bool atEnd = dropIndicatorRow_ >= model()->rowCount();
    const QRect card =
        visualRect(model()->index(atEnd ? model()->rowCount() - 1 : dropIndicatorRow_, 0));
    painter.setPen(QPen(palette().color(QPalette::Highlight), 3));
    if (viewport()->width() < 2 * card.width()) {
        const int y = atEnd ? card.bottom() : card.top();
        painter.drawLine(card.left() + 6, y, card.right() - 6, y);
    } else {
        const int x = atEnd ? card.right() : card.left();
        painter.drawLine(x, card.top() + 4, x, card.bottom() - 4);
    }
}

}  // namespace storyreel::ui
