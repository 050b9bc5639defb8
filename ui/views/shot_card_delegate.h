// Paints one shot of the storyboard as a card: the frame's thumbnail, its number, duration,
// preset and the start of its motion prompt.
//
// Thread-safety: UI thread only.
#pragma once

#include <QStyledItemDelegate>

namespace storyreel::ui {

class ShotCardDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

}  // namespace storyreel::ui
