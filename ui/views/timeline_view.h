// The timeline: the shots in order, each as long as its duration, under a ruler in seconds.
// It shares the storyboard's selection model, so clicking a clip selects that shot.
//
// Thread-safety: UI thread only.
#pragma once

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
    QSize sizeHint() const override { return {900, 200}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    double pixelsPerSecond() const;
    QRect clipRect(int row) const;
    void paintRuler(QPainter& painter, double totalSeconds) const;
    void paintClip(QPainter& painter, int row) const;

    ShotListModel* model_ = nullptr;
    QItemSelectionModel* selection_ = nullptr;
};

}  // namespace storyreel::ui
