// Paints one shot of the storyboard as a card: the picture of its active take (or its still
// until it has one), its number, duration, a preset badge, what the render queue is doing
// with it, and the start of its motion prompt.
//
// Thread-safety: UI thread only.
#pragma once

#include <QStyledItemDelegate>

class QAbstractItemView;

namespace storyreel::ui {

class TakeThumbnails;

class ShotCardDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    // Take pictures come from `takeThumbnails`, made off the UI thread; the view repaints
    // when one is ready.
    ShotCardDelegate(TakeThumbnails* takeThumbnails, QAbstractItemView* view);

    static constexpr int kCardWidth = 340;  // preferred; narrower when the panel is
    void setCardWidth(int width) { cardWidth_ = width; }

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    TakeThumbnails* takeThumbnails_;
    int cardWidth_ = kCardWidth;
};

}  // namespace storyreel::ui
