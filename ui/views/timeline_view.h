// The timeline: every shot's clip in order, placed exactly as the export will place it
// (the active take after its trims, or the still for its duration; crossfades overlap the
// shot before), under a ruler with the playhead and the in/out range. The user scrubs on
// the ruler, selects a shot by clicking its clip, trims a clip by dragging its edges, picks
// a cut or a crossfade per boundary (context menu, or double-click the boundary), and zooms
// with Ctrl+wheel or +/-. Edits go out as shotEdited (before/after) for the undo stack.
//
// Thread-safety: UI thread only.
#pragma once

#include "core/project/project.h"
#include "core/render/timeline_plan.h"

#include <QWidget>

class QItemSelectionModel;

namespace storyreel::ui {

class ShotListModel;

class TimelineView : public QWidget {
    Q_OBJECT

public:
    explicit TimelineView(QWidget* parent = nullptr);

    void setModel(ShotListModel* model, QItemSelectionModel* selection);
    // The shot row under a point of the widget, or -1.
    int rowAt(const QPoint& point) const;
    QRect clipRect(int row) const;
    int xForFrame(long frame) const;
    long frameAtX(int x) const;
    const render::TimelinePlan& plan() const { return plan_; }

    void setPlayhead(long frame);
    long playhead() const { return playhead_; }
    void setInOut(long in, long out);
    // 1: the whole timeline fits the visible width; up to 32.
    void setZoom(double zoom);
    double zoom() const { return zoom_; }

    QSize sizeHint() const override { return {900, 200}; }
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void seekRequested(long frame);
    void shotEdited(const QString& shotId, const project::Shot& before, const project::Shot& after);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    enum class Drag { None, Scrub, TrimStart, TrimEnd };

    void replan();
    double pixelsPerFrame() const;
    int fitWidth() const;
    // Which edge of which clip a point is on: TrimStart/TrimEnd and the row, or None.
    Drag edgeAt(const QPoint& point, int* row) const;
    project::Shot trimmed(const project::Shot& shot, Drag edge, long deltaFrames) const;
    void setTransition(int row, project::Transition transition);
    void paintRuler(QPainter& painter) const;
    void paintClip(QPainter& painter, int row) const;

    ShotListModel* model_ = nullptr;
    QItemSelectionModel* selection_ = nullptr;
    render::TimelinePlan plan_;
    long playhead_ = 0;
    long in_ = -1;
    long out_ = -1;
    double zoom_ = 1.0;
    Drag drag_ = Drag::None;
    int dragRow_ = -1;
    int dragStartX_ = 0;
    project::Shot dragBefore_;
};

}  // namespace storyreel::ui
