#include "ui/main_window.h"

#include "app/translation_loader.h"
#include "core/project/project_loader.h"
#include "tests/ui/ui_test_support.h"
#include "ui/controllers/render_queue.h"
#include "ui/models/shot_list_model.h"
#include "ui/views/timeline_view.h"

#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLabel>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QTranslator>
#include <QTreeWidget>
#include <QUndoStack>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>

using storyreel::test::saveScreenshot;
using storyreel::test::showSettled;
using storyreel::ui::MainWindow;
using storyreel::ui::ShotListModel;

namespace {

const char* const kRegions[] = {"storyboardDock", "inspectorDock", "timelineDock",
                                "renderQueueDock"};

}  // namespace

TEST_CASE("The main window shows every region of the workspace", "[ui][main_window]") {
    MainWindow window;
    REQUIRE(window.openSampleProject().isEmpty());
    showSettled(window);
    REQUIRE(window.findChild<QWidget*>(QStringLiteral("previewView")) == window.centralWidget());
    CHECK(window.centralWidget()->width() > 400);
    CHECK(window.centralWidget()->height() > 250);
    for (const char* name : kRegions) {
        INFO(name);
        auto* dock = window.findChild<QDockWidget*>(QLatin1String(name));
        REQUIRE(dock != nullptr);
        CHECK(dock->isVisible());
        CHECK(dock->widget()->width() > 150);
        CHECK(dock->widget()->height() > 100);
    }
    INFO(saveScreenshot(window, QStringLiteral("main_window_en")).toStdString());
}

TEST_CASE("The sample storyboard opens with its shots selected in step", "[ui][main_window]") {
    MainWindow window;
    REQUIRE(window.openSampleProject().isEmpty());
    showSettled(window);
    ShotListModel* shots = window.shots();
    REQUIRE(shots->rowCount() == 6);
    CHECK(window.windowTitle().remove(QStringLiteral("[*]")) ==
          QStringLiteral("The Lighthouse Keeper — Storyreel"));
    for (int row = 0; row < shots->rowCount(); ++row) {
        CHECK_FALSE(shots->index(row).data(ShotListModel::ImageMissingRole).toBool());
    }
    auto* prompt = window.findChild<QPlainTextEdit*>(QStringLiteral("motionPrompt"));
    REQUIRE(prompt != nullptr);
    CHECK(prompt->toPlainText() == shots->index(0).data(ShotListModel::PromptRole).toString());

    // Clicking the third clip on the timeline shows that shot in the inspector.
    auto* timeline = window.findChild<storyreel::ui::TimelineView*>(QStringLiteral("timelineView"));
    REQUIRE(timeline != nullptr);
    const QRect third = timeline->clipRect(2);
    REQUIRE(timeline->rowAt(third.center()) == 2);
    QTest::mouseClick(timeline, Qt::LeftButton, {}, third.center());
    CHECK(prompt->toPlainText() == shots->index(2).data(ShotListModel::PromptRole).toString());
}

TEST_CASE("A damaged project is refused and the open one is kept", "[ui][main_window]") {
    MainWindow window;
    REQUIRE(window.openSampleProject().isEmpty());
    const QString folder = storyreel::test::uiScratchFolder(QStringLiteral("broken.storyreel"));
    storyreel::test::writeText(folder + QStringLiteral("/project.json"),
                               "{\"schema\": 7, \"title\": \"x\"}");
    const QString error = window.openProject(folder);
    CHECK(error.contains(QStringLiteral("project.json")));
    CHECK(error.contains(QStringLiteral("newer Storyreel")));
    CHECK(window.shots()->rowCount() == 6);
}

TEST_CASE("The main window in French shows translated regions", "[ui][main_window][i18n]") {
    REQUIRE(storyreel::app::installTranslators(*qApp, QStringLiteral("fr")).isEmpty());
    {
        MainWindow window;
        REQUIRE(window.openSampleProject().isEmpty());
        showSettled(window);
        CHECK(window.menuBar()->actions().first()->text() == QStringLiteral("&Fichier"));
        CHECK(window.findChild<QDockWidget*>(QStringLiteral("renderQueueDock"))->windowTitle() ==
              QStringLiteral("File de rendu"));
        INFO(saveScreenshot(window, QStringLiteral("main_window_fr")).toStdString());
    }
    for (QTranslator* translator : qApp->findChildren<QTranslator*>()) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
    }
    QLocale::setDefault(QLocale::c());
}

TEST_CASE("Render Take renders the shot in the background and the window stays responsive",
          "[ui][main_window][queue]") {
    MainWindow window;
    REQUIRE(window.openSampleProject().isEmpty());
    showSettled(window);
    auto* render = window.findChild<QPushButton*>(QStringLiteral("renderTakeButton"));
    REQUIRE(render != nullptr);
    REQUIRE(render->isEnabled());  // shot 1 uses the Animatic preset
    QSignalSpy finished(window.renderQueue(), &storyreel::ui::RenderQueue::jobFinished);
    // The UI thread's longest stall while the worker renders: a 5 ms timer's largest gap.
    QElapsedTimer clock;
    qint64 last = 0;
    qint64 longest = 0;
    QTimer ticker;
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        longest = std::max(longest, now - last);
        last = now;
    });
    clock.start();
    ticker.start(5);
    QTest::mouseClick(render, Qt::LeftButton);
    REQUIRE(finished.wait(180000));
    ticker.stop();
    std::printf("longest UI-thread stall while rendering: %lld ms\n",
                static_cast<long long>(longest));
    CHECK(longest < 200);
    CHECK(window.shots()->index(0).data(ShotListModel::TakeCountRole).toInt() >= 1);
    INFO(saveScreenshot(window, QStringLiteral("main_window_rendered_en")).toStdString());
}

TEST_CASE("Editing a shot shows the parsed motion, undoes and saves", "[ui][main_window][edit]") {
    MainWindow window;
    REQUIRE(window.openSampleProject().isEmpty());
    showSettled(window);
    auto* prompt = window.findChild<QPlainTextEdit*>(QStringLiteral("motionPrompt"));
    auto* chips = window.findChild<QLabel*>(QStringLiteral("motionChips"));
    REQUIRE(prompt != nullptr);
    REQUIRE(chips != nullptr);
    const QString original = prompt->toPlainText();
    prompt->selectAll();
    QTest::keyClicks(prompt, QStringLiteral("fast pan left while the gulls fly"));
    ShotListModel* shots = window.shots();
    CHECK(shots->index(0).data(ShotListModel::PromptRole).toString() ==
          QStringLiteral("fast pan left while the gulls fly"));
    CHECK(chips->text().contains(QStringLiteral("fast · pan left")));
    CHECK(chips->text().contains(QStringLiteral("gulls · fly")));
    CHECK(window.isWindowModified());
    // Typing is one edit: a single undo brings the whole prompt back.
    window.undoStack()->undo();
    CHECK(shots->index(0).data(ShotListModel::PromptRole).toString() == original);
    CHECK(prompt->toPlainText() == original);
    window.undoStack()->redo();
    REQUIRE(window.saveProject().isEmpty());
    CHECK_FALSE(window.isWindowModified());
    const auto saved = storyreel::project::loadProject(shots->project().folder);
    CHECK(saved.shots[0].prompt == "fast pan left while the gulls fly");
}

TEST_CASE("Help lists every keyboard shortcut of the menus", "[ui][main_window]") {
    MainWindow window;
    REQUIRE(window.openSampleProject().isEmpty());
    showSettled(window);
    QStringList listed;
    QTimer::singleShot(0, [&listed] {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        REQUIRE(dialog != nullptr);
        auto* tree = dialog->findChild<QTreeWidget*>(QStringLiteral("shortcutList"));
        REQUIRE(tree != nullptr);
        for (int group = 0; group < tree->topLevelItemCount(); ++group) {
            for (int row = 0; row < tree->topLevelItem(group)->childCount(); ++row) {
                const QTreeWidgetItem* item = tree->topLevelItem(group)->child(row);
                listed << item->text(0) + QStringLiteral(" = ") + item->text(1);
            }
        }
        saveScreenshot(*dialog, QStringLiteral("state_shortcuts_en"));
        dialog->reject();
    });
    for (QAction* action : window.findChildren<QAction*>()) {
        if (action->shortcut() == QKeySequence(QKeySequence::HelpContents)) {
            action->trigger();
            break;
        }
    }
    CHECK(listed.contains(QStringLiteral("Play/Pause = Space")));
    CHECK(listed.contains(QStringLiteral("Set In Point = I")));
    CHECK(listed.size() >= 20);
}
