// The storyboard's cards beside the render queue, as the user sees them while shots render:
// what the neural queue tests show and screenshot.
//
//   StoryboardQueueWindow shown(shots);
//   RenderQueue queue(&shots, shown.jobs());
//   saveScreenshot(shown.window, QStringLiteral("state_neural_rendering_en"));
#pragma once

#include "ui/models/shot_list_model.h"
#include "ui/views/render_queue_view.h"
#include "ui/views/storyboard_view.h"

#include <QHBoxLayout>
#include <QStandardItemModel>
#include <QTest>
#include <QWidget>
#include <catch2/catch.hpp>

namespace storyreel::test {

class StoryboardQueueWindow {
public:
    // Shows the window at 960x300 and waits until it is on screen.
    explicit StoryboardQueueWindow(ui::ShotListModel& shots) {
        auto* layout = new QHBoxLayout(&window);
        auto* storyboard = new ui::StoryboardView(&window);
        storyboard->setModel(&shots);
        queueView_ = new ui::RenderQueueView(&window);
        layout->addWidget(storyboard, 1);
        layout->addWidget(queueView_, 2);
        window.resize(960, 300);
        window.show();
        REQUIRE(QTest::qWaitForWindowExposed(&window));
    }

    // The queue view's job rows, for a RenderQueue to fill.
    QStandardItemModel* jobs() const { return queueView_->jobs(); }

    QWidget window;

private:
    ui::RenderQueueView* queueView_ = nullptr;
};

}  // namespace storyreel::test
