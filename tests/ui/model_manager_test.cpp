// The model manager over a folder of model files, and the licence notice HunyuanVideo needs
// before first use.
#include "tests/ui/ui_test_support.h"
#include "ui/controllers/render_queue.h"
#include "ui/dialogs/model_manager_dialog.h"
#include "ui/licence_notice.h"
#include "ui/main_window.h"
#include "ui/models/shot_list_model.h"
#include "ui/views/render_queue_view.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTimer>
#include <QTreeWidget>
#include <QUndoStack>
#include <catch2/catch.hpp>

using storyreel::ui::MainWindow;
using storyreel::ui::ModelManagerDialog;

namespace {

QString goldenDir() {
    const QString fromEnvironment = qEnvironmentVariable("STORYREEL_GOLDEN_DIR");
    return fromEnvironment.isEmpty() ? QStringLiteral(STORYREEL_GOLDEN_DEFAULT) : fromEnvironment;
}

// The golden data's four tiny Wan 2.1 files (DiT, VAE, umT5, CLIP): the Quality preset's.
void copyWanModels(const QString& folder) {
    for (const char* name : {"wan_dit_i2v", "wan_vae", "wan_t5_encoder", "wan_clip_visual"}) {
        const QString file = QString::fromLatin1(name) + QStringLiteral(".weights.safetensors");
        INFO(file.toStdString());
        REQUIRE(QFile::copy(goldenDir() + QStringLiteral("/wan/") + file,
                            folder + QLatin1Char('/') + file));
    }
}

QTreeWidgetItem* presetItem(QTreeWidget* tree, const QString& id) {
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        if (tree->topLevelItem(i)->data(0, Qt::UserRole).toString() == id) {
            return tree->topLevelItem(i);
        }
    }
    FAIL("no preset " << id.toStdString());
    return nullptr;
}

}  // namespace

TEST_CASE("The model manager finds the Wan files and says what each preset still needs",
          "[ui][models]") {
    const QString folder = storyreel::test::uiScratchFolder(QStringLiteral("models"));
    copyWanModels(folder);
    ModelManagerDialog dialog;
    QSignalSpy scanned(&dialog, &ModelManagerDialog::scanned);
    dialog.setFolder(folder);
    while (dialog.isScanning() || scanned.isEmpty()) {
        REQUIRE(scanned.wait(180000));
    }
    auto* files = dialog.findChild<QTreeWidget*>(QStringLiteral("fileTree"));
    auto* presets = dialog.findChild<QTreeWidget*>(QStringLiteral("presetTree"));
    CHECK(files->topLevelItemCount() == 4);
    QTreeWidgetItem* quality = presetItem(presets, QStringLiteral("quality"));
    CHECK(quality->text(1) == QStringLiteral("ready: every file found"));
    QTreeWidgetItem* hunyuan = presetItem(presets, QStringLiteral("fast"));
    CHECK(hunyuan->text(1) == QStringLiteral("files missing"));
    REQUIRE(hunyuan->childCount() >= 3);
    CHECK(hunyuan->child(0)->text(1) == QStringLiteral("missing"));
    CHECK(QSettings().value(QStringLiteral("models/folder")).toString() == folder);
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));
    storyreel::test::saveScreenshot(dialog, QStringLiteral("state_models_en"));
}

// A scan cannot be stopped: a folder chosen while one runs is scanned after it, and the
// stale result is never shown (it was, and the folder just chosen was never looked at).
// The folders scanned first hold 300 links to a model file, so that their scans are still
// running when the next folder is chosen.
TEST_CASE("A folder chosen while a scan runs is the one the model manager shows", "[ui][models]") {
    const QString t5 = goldenDir() + QStringLiteral("/wan/wan_t5_encoder.weights.safetensors");
    const auto slowFolder = [&t5](const QString& name) {
        const QString folder = storyreel::test::uiScratchFolder(name);
        for (int i = 0; i < 300; ++i) {
            REQUIRE(QFile::link(QFileInfo(t5).absoluteFilePath(),
                                folder + QStringLiteral("/t5-%1.safetensors").arg(i)));
        }
        return folder;
    };
    const QString saved = slowFolder(QStringLiteral("models-saved"));
    const QString first = slowFolder(QStringLiteral("models-first"));
    const QString chosen = storyreel::test::uiScratchFolder(QStringLiteral("models-chosen"));
    copyWanModels(chosen);
    QSettings().setValue(QStringLiteral("models/folder"), saved);
    ModelManagerDialog dialog;  // starts scanning `saved`
    QSignalSpy scanned(&dialog, &ModelManagerDialog::scanned);
    REQUIRE(dialog.isScanning());
    dialog.setFolder(first);
    dialog.setFolder(chosen);
    while (dialog.isScanning() || scanned.isEmpty()) {
        REQUIRE(scanned.wait(180000));
    }
    CHECK(scanned.count() == 1);  // stale results are not shown
    CHECK(dialog.findChild<QTreeWidget*>(QStringLiteral("fileTree"))->topLevelItemCount() == 4);
    CHECK(dialog.findChild<QLineEdit*>(QStringLiteral("modelsFolder"))->text() == chosen);
    CHECK(QSettings().value(QStringLiteral("models/folder")).toString() == chosen);
}

TEST_CASE("Choosing HunyuanVideo shows its licence once and declining keeps the preset",
          "[ui][models][licence]") {
    QSettings().remove(QStringLiteral("licences"));
    MainWindow window;
    REQUIRE(window.openSampleProject().isEmpty());
    storyreel::test::showSettled(window);
    auto* preset = window.findChild<QComboBox*>(QStringLiteral("shotPreset"));
    REQUIRE(preset != nullptr);
    const QString before = preset->currentData().toString();
    REQUIRE(before != QStringLiteral("fast"));

    // Declined: the notice goes, the shot keeps its preset.
    QTimer::singleShot(0, [] {
        auto* notice = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        REQUIRE(notice != nullptr);
        CHECK(notice->objectName() == QStringLiteral("licenceNotice"));
        notice->reject();
    });
    preset->setCurrentIndex(preset->findData(QStringLiteral("fast")));
    QTest::qWait(20);
    CHECK(window.shots()->project().shots[0].preset == before.toStdString());
    CHECK(preset->currentData().toString() == before);
    CHECK_FALSE(storyreel::ui::isLicenceAcknowledged("fast"));

    // Accepted: the box must be ticked first; then the preset changes and it is remembered.
    QTimer::singleShot(0, [] {
        auto* notice = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        REQUIRE(notice != nullptr);
        auto* ok = notice->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
        CHECK_FALSE(ok->isEnabled());
        notice->findChild<QCheckBox*>(QStringLiteral("licenceConfirm"))->setChecked(true);
        CHECK(ok->isEnabled());
        ok->click();
    });
    preset->setCurrentIndex(preset->findData(QStringLiteral("fast")));
    CHECK(window.shots()->project().shots[0].preset == "fast");
    CHECK(storyreel::ui::isLicenceAcknowledged("fast"));
    CHECK(storyreel::ui::presetLicenceText("fast").contains(QStringLiteral("United Kingdom")));
    // Undo brings the previous preset back.
    window.undoStack()->undo();
    CHECK(window.shots()->project().shots[0].preset == before.toStdString());
    CHECK(preset->currentData().toString() == before);
}

TEST_CASE("Rendering a Fast shot never chosen here shows HunyuanVideo's licence first",
          "[ui][models][licence]") {
    QSettings().remove(QStringLiteral("licences"));
    MainWindow window;
    REQUIRE(window.openSampleProject().isEmpty());
    storyreel::test::showSettled(window);
    // A project whose shot already uses Fast (a shot list or another machine's project).
    storyreel::project::Project film = window.shots()->project();
    for (storyreel::project::Shot& shot : film.shots) {
        shot.preset = "animatic";
    }
    film.shots[0].preset = "fast";
    window.shots()->setProject(film);
    auto* jobs = window.findChild<storyreel::ui::RenderQueueView*>()->jobs();
    REQUIRE(jobs->rowCount() == 0);
    QAction* renderAll = nullptr;
    for (QAction* action : window.findChildren<QAction*>()) {
        if (action->text() == QStringLiteral("Render &All Shots")) {
            renderAll = action;
        }
    }
    REQUIRE(renderAll != nullptr);
    // Declined: nothing is queued.
    bool asked = false;
    QTimer::singleShot(0, [&asked] {
        auto* notice = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        REQUIRE(notice != nullptr);
        CHECK(notice->objectName() == QStringLiteral("licenceNotice"));
        asked = true;
        notice->reject();
    });
    renderAll->trigger();
    CHECK(asked);
    CHECK(jobs->rowCount() == 0);
    CHECK_FALSE(storyreel::ui::isLicenceAcknowledged("fast"));
    // Animatic-only renders ask nothing.
    film.shots[0].preset = "animatic";
    window.shots()->setProject(film);
    window.renderQueue()->setPaused(true);
    renderAll->trigger();
    CHECK(jobs->rowCount() == static_cast<int>(film.shots.size()));
    window.renderQueue()->cancelAll();
}
