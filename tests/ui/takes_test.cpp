// The takes of a shot: a strip of every render, the active one chosen there or by comparing
// two side by side, deletion with undo, finishing a draft in Quality with its seed, and a new
// shot continued from the last frame of a take.
#include "tests/ui/ui_test_support.h"
#include "ui/controllers/render_queue.h"
#include "ui/controllers/shot_importer.h"
#include "ui/dialogs/take_compare_dialog.h"
#include "ui/main_window.h"
#include "ui/models/shot_list_model.h"
#include "ui/views/takes_view.h"

#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTreeView>
#include <QUndoStack>
#include <catch2/catch.hpp>

using storyreel::ui::MainWindow;
using storyreel::ui::ShotListModel;

namespace {

QPushButton* button(MainWindow& window, const char* name) {
    auto* found = window.findChild<QPushButton*>(QLatin1String(name));
    REQUIRE(found != nullptr);
    return found;
}

const storyreel::project::Shot& firstShot(MainWindow& window) {
    return window.shots()->project().shots[0];
}

}  // namespace

TEST_CASE("Takes are chosen, compared, deleted, finished in Quality and continued", "[ui][takes]") {
    const QString folder = storyreel::test::uiScratchFolder(QStringLiteral("takes")) +
                           QStringLiteral("/takes.storyreel");
    MainWindow window;
    REQUIRE(window.openSampleProject().isEmpty());
    REQUIRE(window.saveProjectAs(folder).isEmpty());
    storyreel::test::showSettled(window);
    // Two renders of shot 1 (Animatic): two takes, the newest active.
    // (The sample may hold takes already: other tests render it.)
    const std::size_t before = firstShot(window).takes.size();
    QSignalSpy idle(window.renderQueue(), &storyreel::ui::RenderQueue::idle);
    REQUIRE(window.renderQueue()->enqueue({0, 0}).size() == 2);
    REQUIRE(idle.wait(180000));
    REQUIRE(firstShot(window).takes.size() == before + 2);
    const std::string first = firstShot(window).takes[before].id;
    const std::string second = firstShot(window).takes[before + 1].id;
    // Queued together, the two renders still made two takes with their own files.
    REQUIRE(first != second);
    CHECK(firstShot(window).activeTakeId == second);
    auto* takes = window.findChild<storyreel::ui::TakesView*>(QStringLiteral("takesView"));
    auto* list = window.findChild<QListWidget*>(QStringLiteral("takeList"));
    REQUIRE(list->count() == static_cast<int>(before) + 2);
    QTest::qWait(500);  // the take pictures come from a pool thread
    storyreel::test::saveScreenshot(window, QStringLiteral("state_takes_en"));

    // Make the first take active; undo gives the second back.
    takes->selectTakes({QString::fromStdString(first)});
    button(window, "makeActiveButton")->click();
    CHECK(firstShot(window).activeTakeId == first);
    window.undoStack()->undo();
    CHECK(firstShot(window).activeTakeId == second);

    // A/B: both takes play in step; "Use A" makes the first one active.
    takes->selectTakes({QString::fromStdString(first), QString::fromStdString(second)});
    button(window, "compareButton")->click();
    auto* compare = window.findChild<storyreel::ui::TakeCompareDialog*>();
    REQUIRE(compare != nullptr);
    if (!compare->isLoaded()) {
        QSignalSpy loaded(compare, &storyreel::ui::TakeCompareDialog::loaded);
        REQUIRE(loaded.wait(180000));
    }
    CHECK(compare->frameCount() == firstShot(window).takes[before].frames);
    compare->togglePlay();
    QTest::qWait(200);
    CHECK(compare->position() > 0);
    compare->togglePlay();
    storyreel::test::saveScreenshot(*compare, QStringLiteral("state_compare_en"));
    compare->findChild<QPushButton*>(QStringLiteral("useA"))->click();
    CHECK(firstShot(window).activeTakeId == first);

    // Delete the second take; undo restores it.
    takes->selectTakes({QString::fromStdString(second)});
    button(window, "deleteTakeButton")->click();
    CHECK(firstShot(window).takes.size() == before + 1);
    window.undoStack()->undo();
    CHECK(firstShot(window).takes.size() == before + 2);

    // Finish in Quality with the first take's seed: the shot switches preset and seed and
    // is queued (the Quality engine is refused with its reason until it is installed).
    takes->selectTakes({QString::fromStdString(first)});
    auto* jobs = window.findChild<QTreeView*>();
    const int jobsBefore = jobs ? jobs->model()->rowCount() : 0;
    button(window, "finishInQualityButton")->click();
    CHECK(firstShot(window).preset == "quality");
    CHECK(firstShot(window).seed == firstShot(window).takes[before].seed);
    if (jobs) {
        CHECK(jobs->model()->rowCount() == jobsBefore + 1);
    }
    window.undoStack()->undo();
    CHECK(firstShot(window).preset == "animatic");

    // Continue from the last frame: a new shot after shot 1, made from that frame.
    const int shotsBefore = window.shots()->rowCount();
    QSignalSpy imported(window.shotImporter(), &storyreel::ui::ShotImporter::finished);
    button(window, "continueButton")->click();
    REQUIRE(imported.wait(180000));
    REQUIRE(window.shots()->rowCount() == shotsBefore + 1);
    CHECK(window.shots()->project().shots[1].takes.empty());
    CHECK_FALSE(window.shots()->index(1).data(ShotListModel::ImageMissingRole).toBool());
    window.undoStack()->undo();
    CHECK(window.shots()->rowCount() == shotsBefore);
}
