// The whole loop a user goes through, driven through the GUI: a new project, the sample
// frames dropped in, a prompt per shot, every shot queued with Animatic, a reorder, a trim,
// undo and redo, and an MP4 exported from the Export dialog that ffprobe accepts.
#include "tests/ui/ui_test_support.h"
#include "ui/controllers/export_job.h"
#include "ui/controllers/render_queue.h"
#include "ui/controllers/shot_importer.h"
#include "ui/dialogs/export_dialog.h"
#include "ui/main_window.h"
#include "ui/models/shot_list_model.h"
#include "ui/views/storyboard_view.h"
#include "ui/views/timeline_view.h"

#include <QAction>
#include <QApplication>
#include <QDirIterator>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QTimer>
#include <QUndoStack>
#include <QUrl>
#include <catch2/catch.hpp>

using storyreel::test::saveScreenshot;
using storyreel::test::showSettled;
using storyreel::ui::MainWindow;
using storyreel::ui::ShotListModel;

namespace {

QAction* actionWithShortcut(MainWindow& window, const QKeySequence& key) {
    for (QAction* action : window.findChildren<QAction*>()) {
        if (action->shortcut() == key) {
            return action;
        }
    }
    FAIL("no action for " << key.toString().toStdString());
    return nullptr;
}

// ffprobe's answer for a video file: "codec,width,height,frames".
QString probe(const QString& file) {
    QProcess ffprobe;
    ffprobe.start(
        QStringLiteral("ffprobe"),
        {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-count_frames"),
         QStringLiteral("-select_streams"), QStringLiteral("v:0"), QStringLiteral("-show_entries"),
         QStringLiteral("stream=codec_name,width,height,nb_read_frames"), QStringLiteral("-of"),
         QStringLiteral("csv=p=0"), file});
    REQUIRE(ffprobe.waitForFinished(60000));
    CHECK(ffprobe.exitCode() == 0);
    return QString::fromUtf8(ffprobe.readAllStandardOutput()).trimmed();
}

}  // namespace

TEST_CASE("From dropped frames to an exported MP4 through the GUI", "[ui][workflow]") {
    const QString scratch = storyreel::test::uiScratchFolder(QStringLiteral("workflow"));
    MainWindow window;
    showSettled(window);

    // A new 480p project, and the sample's frames dropped on its storyboard.
    storyreel::project::NewProjectOptions options;
    options.title = "Workflow";
    options.width = 832;
    options.height = 480;
    REQUIRE(window.newProject(scratch + QStringLiteral("/Workflow.storyreel"), options).isEmpty());
    QDir().mkpath(scratch + QStringLiteral("/boards"));
    QDirIterator frames(QStringLiteral(":/sample/The Lighthouse Keeper.storyreel/media"),
                        QDir::Files);
    while (frames.hasNext()) {
        const QString source = frames.next();
        REQUIRE(QFile::copy(source,
                            scratch + QStringLiteral("/boards/") + QFileInfo(source).fileName()));
    }
    QSignalSpy imported(window.shotImporter(), &storyreel::ui::ShotImporter::finished);
    REQUIRE(window.importFiles({scratch + QStringLiteral("/boards")}));
    REQUIRE(imported.wait(180000));
    ShotListModel* shots = window.shots();
    REQUIRE(shots->rowCount() == 6);

    // A prompt and a two-second duration per shot, typed into the inspector.
    auto* storyboard =
        window.findChild<storyreel::ui::StoryboardView*>(QStringLiteral("storyboardView"));
    auto* prompt = window.findChild<QPlainTextEdit*>(QStringLiteral("motionPrompt"));
    auto* duration = window.findChild<QDoubleSpinBox*>(QStringLiteral("shotSeconds"));
    REQUIRE(prompt != nullptr);
    REQUIRE(duration != nullptr);
    const QStringList prompts = {
        QStringLiteral("slow push in"), QStringLiteral("pan right"),
        QStringLiteral("static"),       QStringLiteral("zoom out slowly"),
        QStringLiteral("tilt up"),      QStringLiteral("slow dolly in while the sea moves")};
    for (int row = 0; row < 6; ++row) {
        storyboard->selectionModel()->setCurrentIndex(shots->index(row),
                                                      QItemSelectionModel::ClearAndSelect);
        prompt->selectAll();
        QTest::keyClicks(prompt, prompts[row]);
        duration->setValue(2.0);
    }
    CHECK(shots->project().shots[5].prompt == prompts[5].toStdString());
    CHECK(shots->project().shots[5].seconds == 2.0);

    // Every shot queued with Animatic; the window waits for the worker.
    QSignalSpy idle(window.renderQueue(), &storyreel::ui::RenderQueue::idle);
    actionWithShortcut(window, QKeySequence(QStringLiteral("Ctrl+Shift+R")))->trigger();
    REQUIRE(idle.wait(300000));
    for (int row = 0; row < 6; ++row) {
        CHECK(shots->index(row).data(ShotListModel::TakeCountRole).toInt() == 1);
    }
    saveScreenshot(window, QStringLiteral("workflow_rendered_en"));

    // Reorder: shot 1 dragged below shot 3.
    const std::vector<std::string> before = shots->order();
    std::unique_ptr<QMimeData> dragged(shots->mimeData({shots->index(0)}));
    storyboard->scrollToTop();
    const QRect third = storyboard->visualRect(shots->index(2));
    const QPoint at(third.center().x(), third.bottom() - 2);
    QDragEnterEvent enter(at, Qt::MoveAction, dragged.get(), Qt::LeftButton, {});
    QApplication::sendEvent(storyboard->viewport(), &enter);
    QDropEvent drop(at, Qt::MoveAction, dragged.get(), Qt::LeftButton, {});
    QApplication::sendEvent(storyboard->viewport(), &drop);
    CHECK(shots->order()[2] == before[0]);

    // Trim: the end of the first clip dragged half a second to the left.
    auto* timeline = window.findChild<storyreel::ui::TimelineView*>(QStringLiteral("timelineView"));
    const long fullLength = timeline->plan().totalFrames();
    const QRect first = timeline->clipRect(0);
    const QPoint grip(first.right(), first.center().y());
    const int halfSecond = timeline->xForFrame(12) - timeline->xForFrame(0);
    QTest::mousePress(timeline, Qt::LeftButton, {}, grip);
    QTest::mouseMove(timeline, grip - QPoint(halfSecond, 0));
    QTest::mouseRelease(timeline, Qt::LeftButton, {}, grip - QPoint(halfSecond, 0));
    const long trimmedLength = timeline->plan().totalFrames();
    CHECK(trimmedLength == Approx(fullLength - 12).margin(1));
    CHECK(shots->project().shots[0].trimOutSeconds > 0.0);

    // Undo takes back the trim, then the reorder; redo brings both back.
    window.undoStack()->undo();
    CHECK(timeline->plan().totalFrames() == fullLength);
    window.undoStack()->undo();
    CHECK(shots->order() == before);
    window.undoStack()->redo();
    window.undoStack()->redo();
    CHECK(shots->order()[2] == before[0]);
    CHECK(timeline->plan().totalFrames() == trimmedLength);

    // File > Export… as MP4; the dialog runs the export in the background.
    const QString out = scratch + QStringLiteral("/Workflow.mp4");
    bool exported = false;
    QTimer::singleShot(0, [&] {
        auto* dialog = window.findChild<storyreel::ui::ExportDialog*>();
        REQUIRE(dialog != nullptr);
        dialog->setKind(storyreel::ui::ExportKind::Mp4);
        dialog->setTarget(out);
        QSignalSpy finished(dialog->job(), &storyreel::ui::ExportJob::finished);
        REQUIRE(dialog->startExport());
        REQUIRE(finished.wait(300000));
        exported = finished.first().first().toString().isEmpty();
        INFO(finished.first().first().toString().toStdString());
        saveScreenshot(*dialog, QStringLiteral("export_done_en"));
        dialog->accept();
    });
    actionWithShortcut(window, QKeySequence(QStringLiteral("Ctrl+E")))->trigger();
    REQUIRE(exported);
    CHECK(probe(out) == QStringLiteral("h264,832,480,%1").arg(timeline->plan().totalFrames()));
}
