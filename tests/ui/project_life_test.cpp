// A project's life around the user's edits: autosave and recovery after a crash, Save As,
// and the recent projects.
#include "core/project/autosave.h"
#include "core/project/project_loader.h"
#include "tests/ui/ui_test_support.h"
#include "ui/main_window.h"
#include "ui/models/shot_list_model.h"
#include "ui/std_path.h"

#include <QAbstractButton>
#include <QApplication>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSettings>
#include <QTimer>
#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>

using storyreel::test::showSettled;
using storyreel::ui::MainWindow;
using storyreel::ui::ShotListModel;

namespace {

// A copy of the sample storyboard of this test's own, made through File > Save As.
QString ownCopyOfSample(const QString& name) {
    const QString folder = storyreel::test::uiScratchFolder(name) + QStringLiteral("/") + name +
                           QStringLiteral(".storyreel");
    MainWindow window;
    REQUIRE(window.openSampleProject().isEmpty());
    REQUIRE(window.saveProjectAs(folder).isEmpty());
    CHECK(std::filesystem::exists(storyreel::ui::toStdPath(folder + QStringLiteral("/media"))));
    CHECK(window.windowTitle().contains(QStringLiteral("The Lighthouse Keeper")));
    return folder;
}

// Answers the next message box with the button of `role` once it is shown.
void answerNextQuestion(QMessageBox::StandardButton button) {
    QTimer::singleShot(0, [button] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        REQUIRE(box != nullptr);
        box->button(button)->click();
    });
}

void typePrompt(MainWindow& window, const QString& text) {
    auto* prompt = window.findChild<QPlainTextEdit*>(QStringLiteral("motionPrompt"));
    REQUIRE(prompt != nullptr);
    prompt->selectAll();
    QTest::keyClicks(prompt, text);
}

}  // namespace

TEST_CASE("After a crash the autosaved edits are offered back and can be saved", "[ui][recovery]") {
    const QString folder = ownCopyOfSample(QStringLiteral("crash"));
    const auto projectFolder = storyreel::ui::toStdPath(folder);
    {
        // The session that crashes: an edit, an autosave, and no save or close.
        auto window = std::make_unique<MainWindow>();
        REQUIRE(window->openProject(folder).isEmpty());
        showSettled(*window);
        typePrompt(*window, QStringLiteral("whip pan left"));
        REQUIRE(window->autosaveNow());
        CHECK(std::filesystem::exists(storyreel::project::autosaveFile(projectFolder)));
        // Deleted without closeEvent: no unsaved-changes prompt, no save, as in a crash.
        window.reset();
    }
    CHECK(storyreel::project::loadProject(projectFolder).shots[0].prompt != "whip pan left");

    MainWindow window;
    answerNextQuestion(QMessageBox::Yes);
    REQUIRE(window.openProject(folder).isEmpty());
    CHECK(window.shots()->project().shots[0].prompt == "whip pan left");
    CHECK(window.hasUnsavedChanges());
    CHECK(window.isWindowModified());
    REQUIRE(window.saveProject().isEmpty());
    CHECK_FALSE(window.hasUnsavedChanges());
    CHECK(storyreel::project::loadProject(projectFolder).shots[0].prompt == "whip pan left");
    CHECK_FALSE(std::filesystem::exists(storyreel::project::autosaveFile(projectFolder)));
}

TEST_CASE("Discarding the recovery keeps the last save and removes the autosave",
          "[ui][recovery]") {
    const QString folder = ownCopyOfSample(QStringLiteral("discard"));
    const auto projectFolder = storyreel::ui::toStdPath(folder);
    const std::string saved = storyreel::project::loadProject(projectFolder).shots[0].prompt;
    {
        auto window = std::make_unique<MainWindow>();
        REQUIRE(window->openProject(folder).isEmpty());
        typePrompt(*window, QStringLiteral("crash zoom"));
        REQUIRE(window->autosaveNow());
    }
    MainWindow window;
    answerNextQuestion(QMessageBox::Discard);
    REQUIRE(window.openProject(folder).isEmpty());
    CHECK(window.shots()->project().shots[0].prompt == saved);
    CHECK_FALSE(window.hasUnsavedChanges());
    CHECK_FALSE(std::filesystem::exists(storyreel::project::autosaveFile(projectFolder)));
    // Nothing unsaved: the timer writes nothing.
    CHECK_FALSE(window.autosaveNow());
}

TEST_CASE("Opened projects are listed under Open Recent, newest first", "[ui][recent]") {
    QSettings().remove(QStringLiteral("recentProjects"));
    const QString first = ownCopyOfSample(QStringLiteral("recent_a"));
    const QString second = ownCopyOfSample(QStringLiteral("recent_b"));
    MainWindow window;
    REQUIRE(window.openProject(first).isEmpty());
    REQUIRE(window.openProject(second).isEmpty());
    auto* recent = window.findChild<QMenu*>(QStringLiteral("recentMenu"));
    REQUIRE(recent != nullptr);
    Q_EMIT recent->aboutToShow();
    QStringList names;
    for (QAction* action : recent->actions()) {
        names << action->text();
    }
    REQUIRE(names.size() >= 2);
    CHECK(names[0] == QStringLiteral("recent_b"));
    CHECK(names[1] == QStringLiteral("recent_a"));
    recent->actions()[1]->trigger();
    CHECK(window.shots()->project().folder == storyreel::ui::toStdPath(first));
}
