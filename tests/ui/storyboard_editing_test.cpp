// The storyboard as a user edits it: a new project, the sample frames dropped in from the
// file manager, cards dragged into another order, shots deleted and pasted, each undoable.
#include "core/project/project_loader.h"
#include "tests/ui/ui_test_support.h"
#include "ui/controllers/shot_importer.h"
#include "ui/main_window.h"
#include "ui/models/shot_list_model.h"
#include "ui/views/storyboard_view.h"

#include <QApplication>
#include <QClipboard>
#include <QDirIterator>
#include <QDropEvent>
#include <QMessageBox>
#include <QMimeData>
#include <QSignalSpy>
#include <QUndoStack>
#include <QUrl>
#include <catch2/catch.hpp>

using storyreel::test::showSettled;
using storyreel::ui::MainWindow;
using storyreel::ui::ShotImporter;
using storyreel::ui::ShotListModel;
using storyreel::ui::StoryboardView;

namespace {

// The sample storyboard's frames, copied out of the resources as a user's folder of boards.
QStringList sampleFrames(const QString& folder) {
    QStringList frames;
    QDirIterator it(QStringLiteral(":/sample/The Lighthouse Keeper.storyreel/media"), QDir::Files);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString target = folder + QLatin1Char('/') + QFileInfo(source).fileName();
        REQUIRE(QFile::copy(source, target));
        frames << target;
    }
    frames.sort();
    REQUIRE(frames.size() == 6);
    return frames;
}

// Drops mime data on the storyboard at a point of its viewport, as the file manager does.
void dropOn(StoryboardView* view, QMimeData* data, const QPoint& at) {
    QDragEnterEvent enter(at, Qt::CopyAction | Qt::MoveAction, data, Qt::LeftButton, {});
    QApplication::sendEvent(view->viewport(), &enter);
    REQUIRE(enter.isAccepted());
    QDropEvent drop(at, Qt::CopyAction | Qt::MoveAction, data, Qt::LeftButton, {});
    QApplication::sendEvent(view->viewport(), &drop);
    REQUIRE(drop.isAccepted());
}

QStringList fileUrlsOf(const QStringList& paths, QMimeData* data) {
    QList<QUrl> urls;
    for (const QString& path : paths) {
        urls << QUrl::fromLocalFile(path);
    }
    data->setUrls(urls);
    return paths;
}

std::vector<std::string> imageNames(const ShotListModel* shots) {
    std::vector<std::string> names;
    for (int row = 0; row < shots->rowCount(); ++row) {
        names.push_back(QFileInfo(shots->index(row).data(ShotListModel::ImagePathRole).toString())
                            .fileName()
                            .toStdString());
    }
    return names;
}

void waitForImport(MainWindow& window) {
    QSignalSpy finished(window.shotImporter(), &ShotImporter::finished);
    if (window.shotImporter()->isBusy()) {
        REQUIRE(finished.wait(180000));
    }
    QApplication::processEvents();
}

// A new project with the sample's six frames dropped on its empty storyboard.
void createWithFrames(MainWindow& window, const QString& scratch) {
    storyreel::project::NewProjectOptions options;
    options.title = "Harbour";
    REQUIRE(window.newProject(scratch + QStringLiteral("/Harbour.storyreel"), options).isEmpty());
    auto* storyboard = window.findChild<StoryboardView*>(QStringLiteral("storyboardView"));
    QDir().mkpath(scratch + QStringLiteral("/boards"));
    auto* data = new QMimeData;
    // The folder of boards, as one drop: every image in it, in natural order.
    fileUrlsOf({scratch + QStringLiteral("/boards")}, data);
    sampleFrames(scratch + QStringLiteral("/boards"));
    dropOn(storyboard, data, QPoint(20, 20));
    delete data;
    waitForImport(window);
}

}  // namespace

TEST_CASE("Frames dropped on a new project become shots in filename order, undoably",
          "[ui][storyboard]") {
    const QString scratch = storyreel::test::uiScratchFolder(QStringLiteral("drop_frames"));
    MainWindow window;
    showSettled(window);
    createWithFrames(window, scratch);
    ShotListModel* shots = window.shots();
    REQUIRE(shots->rowCount() == 6);
    CHECK(imageNames(shots).size() == 6);
    CHECK(shots->index(0).data(ShotListModel::PromptRole).toString().isEmpty());
    CHECK(window.windowTitle().contains(QStringLiteral("Harbour")));
    // The media were copied into the project under content names; the first card is shot 1.
    CHECK(shots->project().shots[0].image.parent_path() == "media");
    CHECK(shots->index(0).data(Qt::DisplayRole).toString() == QStringLiteral("Shot 1"));
    CHECK_FALSE(shots->index(5).data(ShotListModel::ImageMissingRole).toBool());
    storyreel::test::saveScreenshot(window, QStringLiteral("storyboard_dropped_en"));

    window.undoStack()->undo();
    CHECK(shots->rowCount() == 0);
    window.undoStack()->redo();
    CHECK(shots->rowCount() == 6);
    REQUIRE(window.saveProject().isEmpty());
    const auto saved = storyreel::project::loadProject(shots->project().folder);
    CHECK(saved.shots.size() == 6);
}

TEST_CASE("Dragging cards reorders the shots and undo restores the order", "[ui][storyboard]") {
    const QString scratch = storyreel::test::uiScratchFolder(QStringLiteral("reorder"));
    MainWindow window;
    showSettled(window);
    createWithFrames(window, scratch);
    ShotListModel* shots = window.shots();
    auto* storyboard = window.findChild<StoryboardView*>(QStringLiteral("storyboardView"));
    const std::vector<std::string> before = shots->order();

    // Drag the first card below the third one.
    std::unique_ptr<QMimeData> data(shots->mimeData({shots->index(0)}));
    const QRect third = storyboard->visualRect(shots->index(2));
    dropOn(storyboard, data.get(), QPoint(third.center().x(), third.bottom() - 2));
    const std::vector<std::string> after = shots->order();
    CHECK(after == std::vector<std::string>{before[1], before[2], before[0], before[3], before[4],
                                            before[5]});
    // Start times follow the new order.
    CHECK(shots->index(2).data(ShotListModel::StartSecondsRole).toDouble() ==
          Approx(2 * shots->project().shots[0].seconds));
    window.undoStack()->undo();
    CHECK(shots->order() == before);
    window.undoStack()->redo();
    CHECK(shots->order() == after);
}

TEST_CASE("Delete removes the selected shots and undo brings them back in place",
          "[ui][storyboard]") {
    const QString scratch = storyreel::test::uiScratchFolder(QStringLiteral("delete"));
    MainWindow window;
    showSettled(window);
    createWithFrames(window, scratch);
    ShotListModel* shots = window.shots();
    auto* storyboard = window.findChild<StoryboardView*>(QStringLiteral("storyboardView"));
    const std::vector<std::string> before = shots->order();
    storyboard->selectionModel()->select(shots->index(1), QItemSelectionModel::ClearAndSelect);
    storyboard->selectionModel()->select(shots->index(3), QItemSelectionModel::Select);
    storyboard->setFocus();
    QTest::keyClick(storyboard, Qt::Key_Delete);
    CHECK(shots->order() == std::vector<std::string>{before[0], before[2], before[4], before[5]});
    window.undoStack()->undo();
    CHECK(shots->order() == before);
}

TEST_CASE("A file that is no image is named and the good ones are still added",
          "[ui][storyboard]") {
    const QString scratch = storyreel::test::uiScratchFolder(QStringLiteral("bad_drop"));
    MainWindow window;
    showSettled(window);
    createWithFrames(window, scratch);
    storyreel::test::writeText(scratch + QStringLiteral("/notes.png"), "not a picture");
    const QString good = scratch + QStringLiteral("/boards/shot_02_keeper_closeup.png");
    REQUIRE(window.importFiles({scratch + QStringLiteral("/notes.png"), good}, 0));
    waitForImport(window);
    CHECK(window.shots()->rowCount() == 7);
    auto* problems = window.findChild<QMessageBox*>(QStringLiteral("importProblems"));
    REQUIRE(problems != nullptr);
    CHECK(problems->informativeText().contains(QStringLiteral("notes.png")));
    problems->close();
}

TEST_CASE("A picture pasted from the clipboard becomes a shot after the current one",
          "[ui][storyboard]") {
    const QString scratch = storyreel::test::uiScratchFolder(QStringLiteral("paste"));
    MainWindow window;
    showSettled(window);
    createWithFrames(window, scratch);
    QImage picture(64, 36, QImage::Format_RGB32);
    picture.fill(Qt::darkCyan);
    QApplication::clipboard()->setImage(picture);
    window.shots();
    auto* storyboard = window.findChild<StoryboardView*>(QStringLiteral("storyboardView"));
    storyboard->selectionModel()->setCurrentIndex(window.shots()->index(0),
                                                  QItemSelectionModel::ClearAndSelect);
    QAction* paste = nullptr;
    for (QAction* action : window.findChildren<QAction*>()) {
        if (action->shortcut() == QKeySequence(QKeySequence::Paste)) {
            paste = action;
        }
    }
    REQUIRE(paste != nullptr);
    paste->trigger();
    waitForImport(window);
    REQUIRE(window.shots()->rowCount() == 7);
    const QImage card = window.shots()->index(1).data(ShotListModel::ThumbnailRole).value<QImage>();
    CHECK(card.pixelColor(card.width() / 2, card.height() / 2) == QColor(Qt::darkCyan));
}
