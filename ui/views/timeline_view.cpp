#include "ui/views/timeline_view.h"

#include "ui/models/shot_list_model.h"

#include <QContextMenuEvent>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLocale>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollArea>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace storyreel::ui {
namespace {

constexpr int kRulerHeight = 22;
constexpr int kSideMargin = 10;
constexpr int kTrackTop = kRulerHeight + 8;
constexpr int kMaxTrackHeight = 96;  // a filmstrip, not a wall of pictures
constexpr int kEdgeGrip = 5;         // pixels either side of a clip edge that grab it
constexpr double kMaxZoom = 32.0;

// A tick spacing that keeps ruler labels apart at any zoom.
double tickSeconds(double pixelsPerSecond) {
    for (const double step : {0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0}) {
        if (step * pixelsPerSecond >= 48.0) {
            return step;
        }
    }
    return 120.0;
}

QScrollArea* enclosingScrollArea(const QWidget* widget) {
    const QWidget* viewport = widget->parentWidget();
    return viewport ? qobject_cast<QScrollArea*>(viewport->parentWidget()) : nullptr;
}

}  // namespace

TimelineView::TimelineView(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("timelineView"));
    setMinimumHeight(120);
    setMouseTracking(true);  // the cursor shows where a clip edge can be grabbed
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Timeline"));
}

void TimelineView::setModel(ShotListModel* model, QItemSelectionModel* selection) {
    model_ = model;
    selection_ = selection;
    const auto changed = [this] {
        replan();
        update();
    };
    connect(model_, &QAbstractItemModel::modelReset, this, changed);
    connect(model_, &QAbstractItemModel::dataChanged, this, changed);
    connect(model_, &QAbstractItemModel::rowsInserted, this, changed);
    connect(model_, &QAbstractItemModel::rowsRemoved, this, changed);
    connect(model_, &QAbstractItemModel::layoutChanged, this, changed);
    connect(selection_, &QItemSelectionModel::selectionChanged, this,
            qOverload<>(&QWidget::update));
    replan();
}

void TimelineView::replan() {
    try {
        plan_ = render::planTimeline(model_->project(), /*usePlaceholders=*/true);
    } catch (const std::exception&) {
        plan_ = {};  // an unreadable take: the clips are drawn once it is fixed
    }
}

QSize TimelineView::minimumSizeHint() const {
    return {std::max(200, static_cast<int>(fitWidth() * zoom_)), 120};
}

int TimelineView::fitWidth() const {
    const QScrollArea* area = enclosingScrollArea(this);
    return area ? area->viewport()->width() : width();
}

double TimelineView::pixelsPerFrame() const {
    const long total = plan_.totalFrames();
    return total > 0 ? (width() - 2.0 * kSideMargin) / double(total) : 1.0;
}

int TimelineView::xForFrame(long frame) const {
    return kSideMargin + static_cast<int>(std::lround(frame * pixelsPerFrame()));
}

long TimelineView::frameAtX(int x) const {
    const long frame = std::lround((x - kSideMargin) / pixelsPerFrame());
    return std::clamp(frame, 0L, std::max(0L, plan_.totalFrames() - 1));
}

QRect TimelineView::clipRect(int row) const {
    if (row < 0 || row >= static_cast<int>(plan_.clips.size())) {
        return {};
    }
    const render::PlannedClip& clip = plan_.clips[static_cast<std::size_t>(row)];
    const int left = xForFrame(clip.recordIn);
    const int right = xForFrame(clip.recordOut());
    return QRect(left, kTrackTop, std::max(2, right - left - 1),
                 std::min(kMaxTrackHeight, height() - kTrackTop - 8));
}

int TimelineView::rowAt(const QPoint& point) const {
    // Later clips are drawn over the crossfade they start with, so they are hit first.
    for (int row = static_cast<int>(plan_.clips.size()) - 1; row >= 0; --row) {
        if (clipRect(row).contains(point)) {
            return row;
        }
    }
    return -1;
}

void TimelineView::setPlayhead(long frame) {
    if (frame == playhead_) {
        return;
    }
    const int oldX = xForFrame(playhead_);
    playhead_ = frame;
    const int x = xForFrame(playhead_);
    // Repaint the two thin strips, not the filmstrip: this runs at every frame of playback.
    update(QRect(oldX - 6, 0, 13, height()));
    update(QRect(x - 6, 0, 13, height()));
    if (QScrollArea* area = enclosingScrollArea(this)) {
        area->ensureVisible(x, height() / 2, 40, 0);
    }
}

void TimelineView::setInOut(long in, long out) {
    in_ = in;
    out_ = out;
    update(QRect(0, 0, width(), kRulerHeight + 1));
}

void TimelineView::setZoom(double zoom) {
    zoom_ = std::clamp(zoom, 1.0, kMaxZoom);
    setMinimumWidth(static_cast<int>(fitWidth() * zoom_));
    if (zoom_ == 1.0) {
        setMinimumWidth(0);
    }
    updateGeometry();
    update();
    if (QScrollArea* area = enclosingScrollArea(this)) {
        area->ensureVisible(xForFrame(playhead_), height() / 2, area->viewport()->width() / 2, 0);
    }
}

void TimelineView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    if (!model_ || model_->rowCount() == 0) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("Shots appear here in order once added."));
        return;
    }
    paintRuler(painter);
    for (int row = 0; row < static_cast<int>(plan_.clips.size()); ++row) {
        paintClip(painter, row);
    }
    const int x = xForFrame(playhead_);
    painter.setPen(QPen(QColor(230, 60, 50), 2));
    painter.drawLine(x, 0, x, height());
    painter.setBrush(QColor(230, 60, 50));
    painter.setPen(Qt::NoPen);
    painter.drawPolygon(QPolygon({QPoint(x - 6, 0), QPoint(x + 6, 0), QPoint(x, 8)}));
}

void TimelineView::paintRuler(QPainter& painter) const {
    const double fps = plan_.fps > 0.0 ? plan_.fps : 24.0;
    const double pixelsPerSecond = pixelsPerFrame() * fps;
    const double totalSeconds = plan_.totalFrames() / fps;
    if (in_ >= 0 || out_ >= 0) {
        const int from = xForFrame(std::max(0L, in_));
        const int to = xForFrame(out_ >= 0 ? out_ + 1 : plan_.totalFrames());
        painter.fillRect(QRect(from, 0, to - from, kRulerHeight),
                         palette().color(QPalette::Highlight).lighter(150));
    }
    const double step = tickSeconds(pixelsPerSecond);
    painter.setPen(palette().color(QPalette::Text));
    for (int tick = 0; tick * step <= totalSeconds + 1e-6; ++tick) {
        const double t = tick * step;
        const int x = kSideMargin + static_cast<int>(std::lround(t * pixelsPerSecond));
        painter.drawLine(x, kRulerHeight - 6, x, kRulerHeight);
        if (x + 40 > width()) {
            break;  // no room for the label at the right edge
        }
        const int seconds = static_cast<int>(std::floor(t + 1e-9));
        QString label =
            QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
        if (step < 1.0 && t - seconds > 0.25) {
            label = QStringLiteral("·");
        }
        painter.drawText(x + 3, kRulerHeight - 8, label);
    }
    painter.drawLine(kSideMargin, kRulerHeight, width() - kSideMargin, kRulerHeight);
}

void TimelineView::paintClip(QPainter& painter, int row) const {
    const QModelIndex index = model_->index(row);
    const render::PlannedClip& planned = plan_.clips[static_cast<std::size_t>(row)];
    const QRect clip = clipRect(row);
    const bool selected = selection_ && selection_->isSelected(index);
    const QImage thumbnail = index.data(ShotListModel::ThumbnailRole).value<QImage>();
    painter.save();
    painter.setClipRect(clip);
    painter.fillRect(clip, QColor(40, 44, 52));
    // Tile the frame along the clip, as editors show filmstrips.
    const QImage tile = thumbnail.scaledToHeight(clip.height(), Qt::FastTransformation);
    for (int x = clip.left(); x < clip.right() && tile.width() > 0; x += tile.width()) {
        painter.drawImage(x, clip.top(), tile);
    }
    if (planned.still) {
        // A still stands in until the shot has a take: dim it, as a placeholder.
        painter.fillRect(clip, QColor(0, 0, 0, 70));
    }
    if (planned.fadeIn > 0) {
        // The crossfade: a ramp over the part shared with the previous clip.
        const int fadeRight = xForFrame(planned.recordIn + planned.fadeIn);
        QPainterPath ramp;
        ramp.moveTo(clip.left(), clip.bottom());
        ramp.lineTo(fadeRight, clip.top());
        ramp.lineTo(clip.left(), clip.top());
        ramp.closeSubpath();
        painter.fillPath(ramp, QColor(0, 0, 0, 120));
        painter.setPen(QPen(QColor(255, 255, 255, 200), 1));
        painter.drawLine(clip.left(), clip.bottom(), fadeRight, clip.top());
    }
    const double seconds = planned.frames / (plan_.fps > 0.0 ? plan_.fps : 24.0);
    const QString label = tr("%1 · %2 s").arg(row + 1).arg(QLocale().toString(seconds, 'f', 1));
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

TimelineView::Drag TimelineView::edgeAt(const QPoint& point, int* row) const {
    if (point.y() < kTrackTop) {
        return Drag::None;
    }
    // The clip under the point owns the edge; between clips, the nearer one does.
    int candidate = rowAt(point);
    if (candidate < 0) {
        for (int r = 0; r < static_cast<int>(plan_.clips.size()); ++r) {
            const QRect clip = clipRect(r);
            if (point.y() <= clip.bottom() && point.x() >= clip.left() - kEdgeGrip &&
                point.x() <= clip.right() + kEdgeGrip) {
                candidate = r;
            }
        }
    }
    if (candidate < 0) {
        return Drag::None;
    }
    const QRect clip = clipRect(candidate);
    *row = candidate;
    if (std::abs(point.x() - clip.right()) <= kEdgeGrip) {
        return Drag::TrimEnd;
    }
    if (std::abs(point.x() - clip.left()) <= kEdgeGrip) {
        return Drag::TrimStart;
    }
    return Drag::None;
}

// The shot after dragging one of its clip's edges by deltaFrames (positive: rightwards).
// A take's edges trim it; a still's edges change how long it is held.
project::Shot TimelineView::trimmed(const project::Shot& shot, Drag edge, long deltaFrames) const {
    project::Shot result = shot;
    const double fps = plan_.fps > 0.0 ? plan_.fps : 24.0;
    const double frame = 1.0 / fps;
    const double delta = deltaFrames / fps;
    if (const project::Take* take = shot.activeTake()) {
        const double length = take->durationSeconds();
        const double out = shot.trimOutSeconds > 0.0 ? shot.trimOutSeconds : length;
        if (edge == Drag::TrimStart) {
            result.trimInSeconds = std::clamp(shot.trimInSeconds + delta, 0.0, out - frame);
        } else {
            const double newOut = std::clamp(out + delta, shot.trimInSeconds + frame, length);
            result.trimOutSeconds = newOut >= length - frame / 2 ? 0.0 : newOut;
        }
        return result;
    }
    const double grown = edge == Drag::TrimEnd ? shot.seconds + delta : shot.seconds - delta;
    result.seconds = std::round(std::clamp(grown, 0.5, 600.0) * fps) / fps;
    return result;
}

void TimelineView::mousePressEvent(QMouseEvent* event) {
    const QPoint point = event->position().toPoint();
    if (event->button() != Qt::LeftButton || !model_) {
        QWidget::mousePressEvent(event);
        return;
    }
    int row = -1;
    const Drag edge = edgeAt(point, &row);
    if (edge != Drag::None) {
        drag_ = edge;
        dragRow_ = row;
        dragStartX_ = point.x();
        dragBefore_ = model_->project().shots[static_cast<std::size_t>(row)];
        return;
    }
    if (point.y() < kTrackTop) {
        drag_ = Drag::Scrub;
        Q_EMIT seekRequested(frameAtX(point.x()));
        return;
    }
    row = rowAt(point);
    if (row >= 0 && selection_) {
        selection_->setCurrentIndex(model_->index(row), QItemSelectionModel::ClearAndSelect);
    }
}

void TimelineView::mouseMoveEvent(QMouseEvent* event) {
    const QPoint point = event->position().toPoint();
    if (drag_ == Drag::Scrub) {
        Q_EMIT seekRequested(frameAtX(point.x()));
        return;
    }
    if (drag_ == Drag::TrimStart || drag_ == Drag::TrimEnd) {
        const long delta = std::lround((point.x() - dragStartX_) / pixelsPerFrame());
        // Shown live; the undo stack gets one edit when the button is released.
        model_->setShot(dragBefore_.id, trimmed(dragBefore_, drag_, delta));
        return;
    }
    int row = -1;
    setCursor(edgeAt(point, &row) != Drag::None ? Qt::SizeHorCursor : Qt::ArrowCursor);
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event) {
    if ((drag_ == Drag::TrimStart || drag_ == Drag::TrimEnd) && model_) {
        const int row = model_->rowOf(dragBefore_.id);
        if (row >= 0) {
            const project::Shot after = model_->project().shots[static_cast<std::size_t>(row)];
            Q_EMIT shotEdited(QString::fromStdString(after.id), dragBefore_, after);
        }
    }
    drag_ = Drag::None;
    QWidget::mouseReleaseEvent(event);
}

// Double-clicking the boundary before a clip switches it between a cut and a crossfade.
void TimelineView::mouseDoubleClickEvent(QMouseEvent* event) {
    int row = -1;
    if (edgeAt(event->position().toPoint(), &row) == Drag::TrimStart && row > 0) {
        const project::Shot& shot = model_->project().shots[static_cast<std::size_t>(row)];
        setTransition(row, shot.transition.kind == project::TransitionKind::Cut
                               ? project::Transition{project::TransitionKind::Crossfade, 0.5}
                               : project::Transition{});
    }
}

void TimelineView::setTransition(int row, project::Transition transition) {
    const project::Shot before = model_->project().shots[static_cast<std::size_t>(row)];
    project::Shot after = before;
    after.transition = transition;
    Q_EMIT shotEdited(QString::fromStdString(before.id), before, after);
}

void TimelineView::contextMenuEvent(QContextMenuEvent* event) {
    const int row = rowAt(event->pos());
    if (row < 0) {
        return;
    }
    if (selection_) {
        selection_->setCurrentIndex(model_->index(row), QItemSelectionModel::ClearAndSelect);
    }
    const project::Shot shot = model_->project().shots[static_cast<std::size_t>(row)];
    QMenu menu(this);
    if (row > 0) {
        QAction* cut = menu.addAction(tr("Cut from the Previous Shot"), this,
                                      [this, row] { setTransition(row, {}); });
        cut->setCheckable(true);
        cut->setChecked(shot.transition.kind == project::TransitionKind::Cut);
        for (const double seconds : {0.25, 0.5, 1.0}) {
            QAction* fade = menu.addAction(
                tr("Crossfade from the Previous Shot (%1 s)").arg(QLocale().toString(seconds)),
                this, [this, row, seconds] {
                    setTransition(row, {project::TransitionKind::Crossfade, seconds});
                });
            fade->setCheckable(true);
            fade->setChecked(shot.transition.kind == project::TransitionKind::Crossfade &&
                             shot.transition.seconds == seconds);
        }
        menu.addSeparator();
    }
    QAction* reset = menu.addAction(tr("Reset Trims"), this, [this, shot] {
        project::Shot after = shot;
        after.trimInSeconds = 0.0;
        after.trimOutSeconds = 0.0;
        Q_EMIT shotEdited(QString::fromStdString(shot.id), shot, after);
    });
    reset->setEnabled(shot.trimInSeconds > 0.0 || shot.trimOutSeconds > 0.0);
    menu.exec(event->globalPos());
}

void TimelineView::wheelEvent(QWheelEvent* event) {
    if (event->modifiers() & Qt::ControlModifier) {
        setZoom(zoom_ * (event->angleDelta().y() > 0 ? 1.25 : 0.8));
        event->accept();
        return;
    }
    QWidget::wheelEvent(event);
}

void TimelineView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal) {
        setZoom(zoom_ * 1.5);
    } else if (event->key() == Qt::Key_Minus) {
        setZoom(zoom_ / 1.5);
    } else {
        QWidget::keyPressEvent(event);
    }
}

}  // namespace storyreel::ui
