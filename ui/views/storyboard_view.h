// The storyboard: every shot of the project as a card, in order.
//
// Thread-safety: UI thread only.
#pragma once

#include <QListView>

namespace storyreel::ui {

class StoryboardView : public QListView {
    Q_OBJECT

public:
    explicit StoryboardView(QWidget* parent = nullptr);
};

}  // namespace storyreel::ui
