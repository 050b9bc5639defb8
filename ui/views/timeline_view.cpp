#include "ui/views/timeline_view.h"

#include "ui/models/shot_list_model.h"

#include <QItemSelectionModel>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>

#include <cmath>

namespace storyreel::ui {
namespace {

constexpr int kRulerHeight = 22;
constexpr int kSideMargin = 10;
constexpr int kTrackTop = kRulerHeight + 8;
constexpr int kMaxTrackHeight = 96;  // a filmstrip, not a wall of pictures

// A tick spacing that keeps ruler labels apart at any zoom.
double tickSeconds(double pixelsPerSecond) {
    for (const double step : {1.0, 2.0, 5.0, 10.0, 30.0, 60.0}) {
        if (step * pixelsPerSecond >= 48.0) {
            return step;
        }
    }
    return 120.0;
}

}  // namespace

TimelineView::TimelineView(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("timelineView"));
    setMinimumHeight(120);
    setAccessibleName(tr("Timeline"));
}

void TimelineView::setModel(ShotListModel* model, QItemSelectionModel* selection) {
    model_ = model;
    selection_ = selection;
    const auto repaint = [this] { update(); };
    connect(model_, &QAbstractItemModel::modelReset, this, repaint);
    connect(model_, &QAbstractItemModel::rowsInserted, this, repaint);
    connect(model_, &QAbstractItemModel::rowsRemoved, this, repaint);
    connect(model_, &QAbstractItemModel::layoutChanged, this, repaint);
    connect(model_, &QAbstractItemModel::dataChanged, this, repaint);
    connect(selection_, &QItemSelectionModel::selectionChanged, this, repaint);
    update();
}

double TimelineView::pixelsPerSecond() const {
    const double total = model_ ? model_->project().totalSeconds() : 0.0;
    return total > 0.0 ? (width() - 2.0 * kSideMargin) / total : 40.0;
}

QRect TimelineView::clipRect(int row) const {
    const QModelIndex index = model_->index(row);
    const double scale = pixelsPerSecond();
    const int left =
        kSideMargin + static_cast<int>(std::lround(
                          index.data(ShotListModel::StartSecondsRole).toDouble() * scale));
    const int right =
        kSideMargin +
        static_cast<int>(std::lround((index.data(ShotListModel::StartSecondsRole).toDouble() +
                                      index.data(ShotListModel::SecondsRole).toDouble()) *
                                     scale));
    return QRect(left, kTrackTop, std::max(2, right - left - 2),
                 std::min(kMaxTrackHeight, height() - kTrackTop - 8));
}

int TimelineView::rowAt(const QPoint& point) const {
    for (int row = 0; model_ && row < model_->rowCount(); ++row) {
        if (clipRect(row).contains(point)) {
            return row;
        }
    }
    return -1;
}

void TimelineView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    if (!model_ || model_->rowCount() == 0) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("Shots appear here in order once added."));
        return;
    }
    paintRuler(painter, model_->project().totalSeconds());
    for (int row = 0; row < model_->rowCount(); ++row) {
        paintClip(painter, row);
    }
}

void TimelineView::paintRuler(QPainter& painter, double totalSeconds) const {
    const double scale = pixelsPerSecond();
    const double step = tickSeconds(scale);
    painter.setPen(palette().color(QPalette::Text));
    for (int tick = 0; tick * step <= totalSeconds + 1e-6; ++tick) {
        const double t = tick * step;
        const int x = kSideMargin + static_cast<int>(std::lround(t * scale));
        painter.drawLine(x, kRulerHeight - 6, x, kRulerHeight);
        const int seconds = static_cast<int>(std::lround(t));
        if (x + 40 > width()) {
            break;  // no room for the label at the right edge
        }
        painter.drawText(
            x + 3, kRulerHeight - 8,
            QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0')));
    }
    painter.drawLine(kSideMargin, kRulerHeight, width() - kSideMargin, kRulerHeight);
}

void TimelineView::paintClip(QPainter& painter, int row) const {
    const QModelIndex index = model_->index(row);
    const QRect clip = clipRect(row);
    const bool selected = selection_ && selection_->isSelected(index);
    const QImage thumbnail = index.data(ShotListModel::ThumbnailRole).value<QImage>();
    painter.save();
    painter.setClipRect(clip);
    painter.fillRect(clip, QColor(40, 44, 52));
    // Tile the frame along the clip, as editors show filmstrips.
    const QImage tile = thumbnail.scaledToHeight(clip.height(), Qt::SmoothTransformation);
    for (int x = clip.left(); x < clip.right() && tile.width() > 0; x += tile.width()) {
        painter.drawImage(x, clip.top(), tile);
    }
    const QString label =
        tr("%1 · %2 s")
            .arg(row + 1)
            .arg(QLocale().toString(index.data(ShotListModel::SecondsRole).toDouble(), 'f', 1));
    const QRect labelRect(clip.left() + 4, clip.top() + 4,
                          painter.fontMetrics().horizontalAdvance(label) + 8,
                          painter.fontMetrics().height() + 2);
    painter.fillRect(labelRect, QColor(0, 0, 0, 170));
    painter.setPen(Qt::white);
    painter.drawText(labelRect, Qt::AlignCenter, label);
    painter.restore();
    painter.setPen(QPen(selected ? palette().color(QPalette::Highlight) : QColor(20, 20, 24),
                        selected ? 3 : 1));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(clip.adjusted(0, 0, -1, -1));
}

void TimelineView::mousePressEvent(QMouseEvent* event) {
    const int row = rowAt(event->position().toPoint());
    if (row >= 0 && selection_) {
        selection_->setCurrentIndex(model_->index(row), QItemSelectionModel::ClearAndSelect);
    }
    QWidget::mousePressEvent(event);
}

}  // namespace storyreel::ui
