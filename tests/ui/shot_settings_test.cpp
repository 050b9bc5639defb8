// The inspector's Advanced section and seed controls: preset defaults shown in place of
// unset values, settings the Animatic preset does not use disabled, a new random seed, and
// renders with an unkept seed each drawing their own.
#include "tests/ui/ui_test_support.h"
#include "ui/controllers/render_queue.h"
#include "ui/main_window.h"
#include "ui/models/shot_list_model.h"
#include "ui/views/storyboard_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QToolButton>
#include <QUndoStack>
#include <catch2/catch.hpp>

using storyreel::ui::MainWindow;

namespace {

template <typename Widget>
Widget* field(MainWindow& window, const char* name) {
    auto* found = window.findChild<Widget*>(QLatin1String(name));
    REQUIRE(found != nullptr);
    return found;
}

void selectShot(MainWindow& window, int row) {
    auto* storyboard =
        window.findChild<storyreel::ui::StoryboardView*>(QStringLiteral("storyboardView"));
    storyboard->selectionModel()->setCurrentIndex(window.shots()->index(row),
                                                  QItemSelectionModel::ClearAndSelect);
}

}  // namespace

TEST_CASE("Advanced settings show the preset's defaults and edit the shot undoably",
          "[ui][inspector]") {
    const QString folder = storyreel::test::uiScratchFolder(QStringLiteral("advanced")) +
                           QStringLiteral("/advanced.storyreel");
    MainWindow window;
    REQUIRE(window.openSampleProject().isEmpty());
    REQUIRE(window.saveProjectAs(folder).isEmpty());
    storyreel::test::showSettled(window);
    field<QToolButton>(window, "advancedToggle")->click();
    auto* steps = field<QSpinBox>(window, "shotSteps");
    auto* size = field<QComboBox>(window, "shotSize");

    // Shot 1 is Animatic: no steps to set.
    selectShot(window, 0);
    CHECK_FALSE(steps->isEnabled());
    CHECK(size->isEnabled());

    // Shot 2 is Quality (Wan): 40 steps unless set.
    selectShot(window, 1);
    REQUIRE(window.shots()->project().shots[1].preset == "quality");
    CHECK(steps->isEnabled());
    CHECK(steps->specialValueText() == QStringLiteral("Preset default (40)"));
    CHECK(size->itemText(0) == QStringLiteral("Preset default (project size)"));
    storyreel::test::saveScreenshot(window, QStringLiteral("state_advanced_en"));
    steps->setValue(30);
    size->setCurrentIndex(size->findData(QStringLiteral("720p")));
    CHECK(window.shots()->project().shots[1].render.steps == 30);
    CHECK(window.shots()->project().shots[1].render.size == "720p");
    window.undoStack()->undo();  // the Advanced edits merge into one step
    CHECK(window.shots()->project().shots[1].render.isDefault());

    // New draws another seed.
    const auto seed = window.shots()->project().shots[1].seed;
    field<QPushButton>(window, "newSeedButton")->click();
    CHECK(window.shots()->project().shots[1].seed != seed);
    CHECK(field<QLineEdit>(window, "shotSeed")->text().toLongLong() ==
          window.shots()->project().shots[1].seed);
}

TEST_CASE("With the seed not kept, each render draws its own seed", "[ui][inspector]") {
    const QString folder = storyreel::test::uiScratchFolder(QStringLiteral("free_seed")) +
                           QStringLiteral("/free_seed.storyreel");
    MainWindow window;
    REQUIRE(window.openSampleProject().isEmpty());
    REQUIRE(window.saveProjectAs(folder).isEmpty());
    storyreel::test::showSettled(window);
    selectShot(window, 0);
    field<QCheckBox>(window, "seedLocked")->setChecked(false);
    REQUIRE_FALSE(window.shots()->project().shots[0].render.seedLocked);
    const std::size_t before = window.shots()->project().shots[0].takes.size();
    QSignalSpy idle(window.renderQueue(), &storyreel::ui::RenderQueue::idle);
    REQUIRE(window.renderQueue()->enqueue({0, 0}).size() == 2);
    REQUIRE(idle.wait(180000));
    const auto& takes = window.shots()->project().shots[0].takes;
    REQUIRE(takes.size() == before + 2);
    CHECK(takes[before].seed != takes[before + 1].seed);
}
