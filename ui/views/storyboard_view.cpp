#include "ui/views/storyboard_view.h"

#include "ui/views/shot_card_delegate.h"

namespace storyreel::ui {

StoryboardView::StoryboardView(QWidget* parent) : QListView(parent) {
    setObjectName(QStringLiteral("storyboardView"));
    setItemDelegate(new ShotCardDelegate(this));
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setUniformItemSizes(true);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setAccessibleName(tr("Storyboard"));
}

}  // namespace storyreel::ui
