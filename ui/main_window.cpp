#include "ui/main_window.h"

#include "core/base/user_error.h"
#include "core/project/autosave.h"
#include "core/project/project_copy.h"
#include "core/project/project_loader.h"
#include "core/project/project_writer.h"
#include "core/project/shot_import.h"
#include "core/render/system_report.h"
#include "core/render/timeline_plan.h"
#include "ui/commands/edit_shot_command.h"
#include "ui/commands/shot_list_commands.h"
#include "ui/controllers/playback_controller.h"
#include "ui/controllers/preview_frames.h"
#include "ui/controllers/render_queue.h"
#include "ui/controllers/shot_importer.h"
#include "ui/dialogs/about_dialog.h"
#include "ui/dialogs/export_dialog.h"
#include "ui/dialogs/model_manager_dialog.h"
#include "ui/dialogs/new_project_dialog.h"
#include "ui/dialogs/shortcuts_dialog.h"
#include "ui/dialogs/take_compare_dialog.h"
#include "ui/licence_notice.h"
#include "ui/models/shot_list_model.h"
#include "ui/models/take_thumbnails.h"
#include "ui/sample_project.h"
#include "ui/std_path.h"
#include "ui/views/preview_view.h"
#include "ui/views/render_queue_view.h"
#include "ui/views/shot_inspector.h"
#include "ui/views/storyboard_view.h"
#include "ui/views/takes_view.h"
#include "ui/views/timeline_view.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>

#include <algorithm>

namespace storyreel::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      shots_(new ShotListModel(this)),
      selection_(new QItemSelectionModel(shots_, this)),
      storyboard_(new StoryboardView(this)),
      inspector_(new ShotInspector(this)),
      preview_(new PreviewView(this)),
      timeline_(new TimelineView(this)),
      queue_(new RenderQueueView(this)),
      projectStatus_(new QLabel(this)),
      computeStatus_(new QLabel(this)),
      renderQueue_(new RenderQueue(shots_, queue_->jobs(), this)),
      undoStack_(new QUndoStack(this)),
      importer_(new ShotImporter(this)),
      transport_(new PlaybackController(this)),
      previewFrames_(new PreviewFrames(this)),
      takeThumbnails_(new TakeThumbnails(this)),
      takes_(new TakesView(takeThumbnails_, this)),
      autosaveTimer_(new QTimer(this)) {
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Storyreel"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    storyboard_->setModel(shots_);
    storyboard_->setTakeThumbnails(takeThumbnails_);
    storyboard_->setSelectionModel(selection_);
    timeline_->setModel(shots_, selection_);
    setCentralWidget(preview_);

    // Editors' layout: the storyboard on the left, the shot and its render queue on the
    // right, the timeline along the whole bottom.
    QDockWidget* storyboard = addDock(tr("Storyboard"), QStringLiteral("storyboardDock"),
                                      storyboard_, Qt::LeftDockWidgetArea);
    QDockWidget* inspector =
        addDock(tr("Shot"), QStringLiteral("inspectorDock"), inspector_, Qt::RightDockWidgetArea);
    QDockWidget* queue = addDock(tr("Render Queue"), QStringLiteral("renderQueueDock"), queue_,
                                 Qt::RightDockWidgetArea);
    // Zoomed in, the timeline scrolls sideways.
    auto* timelineScroll = new QScrollArea(this);
    timelineScroll->setWidget(timeline_);
    timelineScroll->setWidgetResizable(true);
    timelineScroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    timelineScroll->setFrameShape(QFrame::NoFrame);
    QDockWidget* timeline = addDock(tr("Timeline"), QStringLiteral("timelineDock"), timelineScroll,
                                    Qt::BottomDockWidgetArea);
    QDockWidget* takes =
        addDock(tr("Takes"), QStringLiteral("takesDock"), takes_, Qt::RightDockWidgetArea);
    splitDockWidget(inspector, queue, Qt::Vertical);
    tabifyDockWidget(queue, takes);
    queue->raise();
    setCorner(Qt::BottomLeftCorner, Qt::BottomDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);
    // Default proportions, applied once the window has its real size (before that the
    // dock areas have none); a layout saved by the user replaces them.
    QTimer::singleShot(0, this, [this, storyboard, inspector, timeline, queue] {
        if (!layoutRestored_) {
            resizeDocks({storyboard, inspector}, {380, 400}, Qt::Horizontal);
            resizeDocks({inspector, queue}, {3, 2}, Qt::Vertical);
            resizeDocks({timeline}, {170}, Qt::Vertical);
        }
    });

    statusBar()->addWidget(projectStatus_, 1);
    statusBar()->addPermanentWidget(computeStatus_);
    preview_->setTransport(transport_);
    buildMenus();
    // The preview plays the timeline as the export will make it; every edit re-plans it.
    for (const auto signal :
         {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved}) {
        connect(shots_, signal, this, &MainWindow::onTimelineChanged);
    }
    connect(shots_, &QAbstractItemModel::dataChanged, this, &MainWindow::onTimelineChanged);
    connect(shots_, &QAbstractItemModel::modelReset, this, &MainWindow::onTimelineChanged);
    connect(shots_, &QAbstractItemModel::layoutChanged, this, &MainWindow::onTimelineChanged);
    connect(previewFrames_, &PreviewFrames::timelineChanged, this,
            [this] { showFrameAt(transport_->position()); });
    connect(previewFrames_, &PreviewFrames::frameReady, this, [this](long frame) {
        if (frame == transport_->position()) {
            showFrameAt(frame);
        }
    });
    connect(previewFrames_, &PreviewFrames::failed, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Cannot preview: %1").arg(message), 8000);
    });
    connect(transport_, &PlaybackController::positionChanged, this, [this](long frame) {
        timeline_->setPlayhead(frame);
        showFrameAt(frame);
    });
    connect(transport_, &PlaybackController::stateChanged, this,
            [this] { timeline_->setInOut(transport_->inPoint(), transport_->outPoint()); });
    connect(timeline_, &TimelineView::seekRequested, this, [this](long frame) {
        transport_->pause();
        transport_->seek(frame);
    });
    // Trims, transitions, the active take and deleted takes: each one undo step.
    const auto edited = [this](const QString& shotId, const project::Shot& before,
                               const project::Shot& after) {
        pushShotEdit(shotId.toStdString(), before, after);
    };
    connect(timeline_, &TimelineView::shotEdited, this, edited);
    connect(takes_, &TakesView::shotEdited, this, edited);
    connect(takes_, &TakesView::compareRequested, this, &MainWindow::onCompareTakes);
    connect(takes_, &TakesView::finishInQualityRequested, this, &MainWindow::onFinishInQuality);
    connect(takes_, &TakesView::continueRequested, this, &MainWindow::onContinueFromLastFrame);
    connect(selection_, &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { onCurrentShotChanged(current); });
    // A new take changes what the inspector and the preview say about the current shot.
    connect(shots_, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& from, const QModelIndex& to) {
                const QModelIndex current = selection_->currentIndex();
                if (current.isValid() && current.row() >= from.row() && current.row() <= to.row()) {
                    onCurrentShotChanged(current);
                }
            });
    connect(
        inspector_, &ShotInspector::shotEdited, this,
        [this](const QString& shotId, const project::Shot& before, const project::Shot& after,
               int field) {
            // HunyuanVideo's licence excludes some territories: the user confirms once
            // before choosing it; declining leaves the preset as it was.
            if (after.preset != before.preset && !ensureLicenceAcknowledged(this, after.preset)) {
                QTimer::singleShot(0, this,
                                   [this] { inspector_->showShot(selection_->currentIndex()); });
                return;
            }
            undoStack_->push(
                new EditShotCommand(shots_, shotId.toStdString(), before, after, field));
        });
    connect(storyboard_, &StoryboardView::filesDropped, this,
            [this](const QStringList& paths, int row) { importFiles(paths, row); });
    connect(storyboard_, &StoryboardView::shotsMoved, this, &MainWindow::onShotsMoved);
    connect(storyboard_, &StoryboardView::deleteRequested, this, &MainWindow::deleteSelectedShots);
    connect(importer_, &ShotImporter::finished, this, &MainWindow::onImportFinished);
    for (const auto signal :
         {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved}) {
        connect(shots_, signal, this, &MainWindow::updateStatus);
    }
    connect(shots_, &QAbstractItemModel::dataChanged, this, &MainWindow::updateStatus);
    connect(undoStack_, &QUndoStack::cleanChanged, this,
            [this](bool clean) { setWindowModified(!clean || recoveredUnsaved_); });
    connect(renderQueue_, &RenderQueue::projectSaved, this, &MainWindow::markSaved);
    // Unsaved edits are written aside every minute, so a crash loses at most a minute.
    autosaveTimer_->setInterval(QSettings().value(QStringLiteral("autosave/seconds"), 60).toInt() *
                                1000);
    connect(autosaveTimer_, &QTimer::timeout, this, &MainWindow::autosaveNow);
    autosaveTimer_->start();
    connect(inspector_, &ShotInspector::renderRequested, this, [this] {
        if (selection_->currentIndex().isValid()) {
            renderRows({selection_->currentIndex().row()});
        }
    });
    connect(queue_, &RenderQueueView::cancelRequested, this, [this](int jobId) {
        jobId == 0 ? renderQueue_->cancelAll() : renderQueue_->cancel(jobId);
    });
    connect(queue_, &RenderQueueView::retryRequested, renderQueue_, &RenderQueue::retry);
    connect(queue_, &RenderQueueView::moveRequested, this, [this](int jobId, int delta) {
        if (renderQueue_->move(jobId, delta)) {
            queue_->selectJob(jobId);
        }
    });
    connect(queue_, &RenderQueueView::pauseToggled, renderQueue_, &RenderQueue::setPaused);
    connect(renderQueue_, &RenderQueue::pausedChanged, queue_, &RenderQueueView::setPaused);
    connect(queue_, &RenderQueueView::clearFinishedRequested, renderQueue_,
            &RenderQueue::clearFinished);
    connect(renderQueue_, &RenderQueue::restored, this, [this](int jobs) {
        statusBar()->showMessage(tr("Resuming renders left from last time: %1").arg(jobs), 8000);
    });
    updateStatus();
    resize(1440, 900);
    restoreLayout();
}

// The window's size and dock layout persist between sessions (QSettings, per user).
void MainWindow::restoreLayout() {
    const QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
    layoutRestored_ =
        restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!confirmDiscardChanges()) {
        event->ignore();
        return;
    }
    // Renders in progress are not lost: the queue is saved with the project and resumes
    // when it opens again; the user only decides whether to stop now.
    if (const int pending = renderQueue_->pendingCount(); pending > 0) {
        const auto answer = QMessageBox::question(
            this, tr("Renders in Progress"),
            tr("Renders waiting or running: %1. Quit now? They resume when you open the "
               "project again.")
                .arg(pending),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
    }
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    QMainWindow::closeEvent(event);
}

QDockWidget* MainWindow::addDock(const QString& title, const QString& objectName, QWidget* content,
                                 Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(content);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Project…"), QKeySequence::New, this,
                    &MainWindow::onNewProjectTriggered);
    file->addAction(tr("&Open Project…"), QKeySequence::Open, this,
                    &MainWindow::onOpenProjectTriggered);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    recentMenu_->setObjectName(QStringLiteral("recentMenu"));
    connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    file->addAction(tr("Open &Sample Storyboard"), this, &MainWindow::onOpenSampleTriggered);
    file->addSeparator();
    file->addAction(tr("Add &Images…"), QKeySequence(tr("Ctrl+I")), this,
                    &MainWindow::onAddImagesTriggered);
    file->addAction(tr("Import Shot &List (CSV)…"), this, &MainWindow::onImportShotListTriggered);
    file->addSeparator();
    file->addAction(tr("&Save"), QKeySequence::Save, this, &MainWindow::onSaveTriggered);
    file->addAction(tr("Save &As…"), QKeySequence::SaveAs, this, &MainWindow::onSaveAsTriggered);
    file->addSeparator();
    file->addAction(tr("&Export…"), QKeySequence(tr("Ctrl+E")), this, [this] {
        if (!hasProject() || shots_->rowCount() == 0) {
            statusBar()->showMessage(tr("Add shots before exporting."), 4000);
            return;
        }
        ExportDialog dialog(shots_->project(), this);
        dialog.exec();
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = undoStack_->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = undoStack_->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    edit->addAction(tr("&Paste Images"), QKeySequence::Paste, this, &MainWindow::onPasteTriggered);
    QAction* remove = edit->addAction(tr("&Delete Shots"), this, &MainWindow::deleteSelectedShots);
    remove->setShortcut(QKeySequence::Delete);
    remove->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    storyboard_->addAction(remove);

    QMenu* renderMenu = menuBar()->addMenu(tr("&Render"));
    renderMenu->addAction(tr("Render &Selected Shots"), QKeySequence(tr("Ctrl+R")), this, [this] {
        std::vector<int> rows;
        for (const QModelIndex& index : selection_->selectedIndexes()) {
            rows.push_back(index.row());
        }
        std::sort(rows.begin(), rows.end());
        renderRows(rows);
    });
    renderMenu->addAction(tr("Render &All Shots"), QKeySequence(tr("Ctrl+Shift+R")), this, [this] {
        std::vector<int> rows;
        for (int row = 0; row < shots_->rowCount(); ++row) {
            rows.push_back(row);
        }
        renderRows(rows);
    });
    renderMenu->addSeparator();
    renderMenu->addAction(tr("&Cancel All Jobs"), this, [this] { renderQueue_->cancelAll(); });

    QMenu* tools = menuBar()->addMenu(tr("&Tools"));
    tools->addAction(tr("&Models…"), this, [this] {
        ModelManagerDialog dialog(this);
        dialog.exec();
        inspector_->presetsChanged();
    });

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>()) {
        view->addAction(dock->toggleViewAction());
    }

    buildPlaybackMenu();
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard Shortcuts"), QKeySequence::HelpContents, this,
                    [this] { showShortcutsDialog(this); });
    help->addAction(tr("&About Storyreel"), this, [this] { showAboutDialog(this); });
}

QString MainWindow::openProject(const QString& folder) {
    if (!confirmDiscardChanges()) {
        return tr("Opening was cancelled to keep the unsaved changes.");
    }
    try {
        project::Project project = project::loadProject(toStdPath(folder));
        // Edits that were autosaved but never saved: Storyreel stopped before the user
        // could save them. Offer them back rather than silently choosing.
        bool recovered = false;
        if (auto autosaved = project::newerAutosave(project.folder)) {
            const auto answer = QMessageBox::question(
                this, tr("Recover Unsaved Changes?"),
                tr("“%1” has changes that were autosaved at %2 but never saved, probably "
                   "because Storyreel stopped unexpectedly.\n\nRecover them? (Discarding "
                   "keeps the project as it was last saved.)")
                    .arg(QString::fromStdString(project.title),
                         QString::fromStdString(autosaved->savedAt)),
                QMessageBox::Yes | QMessageBox::Discard, QMessageBox::Yes);
            if (answer == QMessageBox::Yes) {
                project = std::move(autosaved->project);
                recovered = true;
            } else {
                project::removeAutosave(project.folder);
            }
        }
        setWindowTitle(tr("%1[*] — Storyreel").arg(QString::fromStdString(project.title)));
        shots_->setProject(std::move(project));
        undoStack_->clear();
        renderQueue_->projectChanged();
        recoveredUnsaved_ = recovered;
        setWindowModified(recovered);
    } catch (const std::exception& error) {
        return QString::fromStdString(error.what());
    }
    rememberRecent(folder);
    if (shots_->rowCount() > 0) {
        selection_->setCurrentIndex(shots_->index(0), QItemSelectionModel::ClearAndSelect);
    } else {
        onCurrentShotChanged(QModelIndex());
    }
    updateStatus();
    return QString();
}

QString MainWindow::openSampleProject() {
    QString error;
    const QString folder = installSampleProject(&error);
    return folder.isEmpty() ? error : openProject(folder);
}

QString MainWindow::newProject(const QString& folder, const project::NewProjectOptions& options) {
    if (!confirmDiscardChanges()) {
        return tr("Creating was cancelled to keep the unsaved changes.");
    }
    try {
        project::createEmptyProject(toStdPath(folder), options);
    } catch (const std::exception& error) {
        return QString::fromStdString(error.what());
    }
    return openProject(folder);
}

bool MainWindow::hasProject() const {
    return !shots_->project().folder.empty();
}

bool MainWindow::importFiles(const QStringList& paths, int row) {
    if (!hasProject()) {
        statusBar()->showMessage(tr("Create or open a project before adding shots."), 5000);
        return false;
    }
    if (!importer_->start(shots_->project(), paths, row < 0 ? shots_->rowCount() : row)) {
        statusBar()->showMessage(tr("Still adding the previous shots…"), 3000);
        return false;
    }
    statusBar()->showMessage(tr("Adding shots…"));
    return true;
}

void MainWindow::onImportFinished(const ShotImportResult& result) {
    statusBar()->clearMessage();
    if (!result.shots.empty()) {
        undoStack_->push(new AddShotsCommand(
            shots_, result.shots,
            tr("Add Shots (%n)", nullptr, static_cast<int>(result.shots.size()))));
        const int first = shots_->rowOf(result.shots.front().shot.id);
        const int last = shots_->rowOf(result.shots.back().shot.id);
        selection_->select(QItemSelection(shots_->index(first), shots_->index(last)),
                           QItemSelectionModel::ClearAndSelect);
        selection_->setCurrentIndex(shots_->index(first), QItemSelectionModel::NoUpdate);
        storyboard_->scrollTo(shots_->index(first));
        onCurrentShotChanged(shots_->index(first));
    }
    if (!result.problems.isEmpty()) {
        // Not modal: the shots that could be added are there; this says which files were not.
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Some Files Were Not Added"),
                                    tr("Files that could not become shots: %n", nullptr,
                                       static_cast<int>(result.problems.size())),
                                    QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("importProblems"));
        box->setDetailedText(result.problems.join(QLatin1Char('\n')));
        box->setInformativeText(result.problems.first());
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
}

void MainWindow::deleteSelectedShots() {
    std::vector<std::string> ids;
    for (const QString& id : storyboard_->selectedShotIds()) {
        ids.push_back(id.toStdString());
    }
    if (!ids.empty()) {
        undoStack_->push(new RemoveShotsCommand(shots_, ids));
    }
}

void MainWindow::onShotsMoved(const QStringList& shotIds, int row) {
    std::vector<std::string> moved;
    for (const QString& id : shotIds) {
        moved.push_back(id.toStdString());
    }
    const std::vector<std::string> before = shots_->order();
    const std::vector<std::string> after = orderAfterMove(before, moved, row);
    if (after != before) {
        undoStack_->push(new ReorderShotsCommand(shots_, before, after));
    }
}

void MainWindow::onNewProjectTriggered() {
    NewProjectDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    const QString error = newProject(dialog.folder(), dialog.options());
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Cannot Create Project"), error);
    }
}

void MainWindow::onAddImagesTriggered() {
    const QStringList files =
        QFileDialog::getOpenFileNames(this, tr("Add Images"), QString(),
                                      tr("Images (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp)"));
    if (!files.isEmpty()) {
        importFiles(files, -1);
    }
}

void MainWindow::onImportShotListTriggered() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Import Shot List"), QString(),
                                                      tr("Shot lists (*.csv)"));
    if (!file.isEmpty()) {
        importFiles({file}, -1);
    }
}

// Pasted files or a copied picture become shots after the current one.
void MainWindow::onPasteTriggered() {
    const QMimeData* data = QApplication::clipboard()->mimeData();
    const QModelIndex current = selection_->currentIndex();
    const int row = current.isValid() ? current.row() + 1 : shots_->rowCount();
    if (!hasProject() || data == nullptr) {
        return;
    }
    QStringList paths;
    for (const QUrl& url : data->urls()) {
        if (url.isLocalFile() && ShotImporter::isImportablePath(url.toLocalFile())) {
            paths << url.toLocalFile();
        }
    }
    if (!paths.isEmpty()) {
        importFiles(paths, row);
    } else if (data->hasImage()) {
        importer_->startImage(shots_->project(), qvariant_cast<QImage>(data->imageData()), row);
    } else {
        statusBar()->showMessage(tr("The clipboard holds no picture or image file."), 4000);
    }
}

void MainWindow::renderRows(const std::vector<int>& rows) {
    // A Fast (HunyuanVideo) shot may come from a project file or a shot list without the
    // user ever choosing the preset here: its licence is shown before the first render.
    const bool hasFast = std::any_of(rows.begin(), rows.end(), [this](int row) {
        return row >= 0 && row < static_cast<int>(shots_->project().shots.size()) &&
               shots_->project().shots[static_cast<std::size_t>(row)].preset == "fast";
    });
    if (hasFast && !ensureLicenceAcknowledged(this, "fast")) {
        return;
    }
    renderQueue_->enqueue(rows);
    findChild<QDockWidget*>(QStringLiteral("renderQueueDock"))->raise();
}

void MainWindow::pushShotEdit(const std::string& shotId, const project::Shot& before,
                              const project::Shot& after) {
    undoStack_->push(new EditShotCommand(shots_, shotId, before, after, EditShotCommand::kNoMerge));
}

void MainWindow::onCompareTakes(const QString& shotId, const QString& takeA, const QString& takeB) {
    const int row = shots_->rowOf(shotId.toStdString());
    if (row < 0) {
        return;
    }
    const project::Shot shot = shots_->project().shots[static_cast<std::size_t>(row)];
    const auto find = [&shot](const QString& id) {
        return *std::find_if(
            shot.takes.begin(), shot.takes.end(),
            [&id](const project::Take& take) { return take.id == id.toStdString(); });
    };
    auto* dialog = new TakeCompareDialog(shots_->project().folder, find(takeA), find(takeB), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &TakeCompareDialog::chosen, this, [this, shotId](const QString& takeId) {
        const int at = shots_->rowOf(shotId.toStdString());
        if (at < 0) {
            return;
        }
        const project::Shot before = shots_->project().shots[static_cast<std::size_t>(at)];
        project::Shot after = before;
        after.activeTakeId = takeId.toStdString();
        if (after.activeTakeId != before.activeTakeId) {
            after.trimInSeconds = 0.0;
            after.trimOutSeconds = 0.0;
            pushShotEdit(before.id, before, after);
        }
    });
    dialog->open();
}

// The draft-fast, finalise-quality loop: the same shot, image and prompt, the chosen take's
// seed, rendered with the Quality preset.
void MainWindow::onFinishInQuality(const QString& shotId, const QString& takeId) {
    const int row = shots_->rowOf(shotId.toStdString());
    if (row < 0) {
        return;
    }
    const project::Shot before = shots_->project().shots[static_cast<std::size_t>(row)];
    project::Shot after = before;
    after.preset = "quality";
    for (const project::Take& take : before.takes) {
        if (take.id == takeId.toStdString()) {
            after.seed = take.seed;
        }
    }
    if (after.preset != before.preset || after.seed != before.seed) {
        pushShotEdit(before.id, before, after);
    }
    renderRows({row});
}

void MainWindow::onContinueFromLastFrame(const QString& shotId) {
    const int row = shots_->rowOf(shotId.toStdString());
    if (row < 0) {
        return;
    }
    const project::Shot& shot = shots_->project().shots[static_cast<std::size_t>(row)];
    const project::Take* take = shot.activeTake();
    if (!take) {
        return;
    }
    if (!importer_->startLastFrame(shots_->project(),
                                   fromStdPath(shots_->project().folder / take->file), row + 1)) {
        statusBar()->showMessage(tr("Still adding the previous shots…"), 3000);
        return;
    }
    statusBar()->showMessage(tr("Adding a shot from the last frame…"));
}

void MainWindow::onCurrentShotChanged(const QModelIndex& current) {
    inspector_->showShot(current);
    takes_->showShot(current);
    const auto& project = shots_->project();
    preview_->showShot(current, project.height > 0 ? double(project.width) / project.height : 0.0);
    // Choosing a shot brings the playhead to it, unless it is already inside that shot.
    const auto& clips = timeline_->plan().clips;
    if (current.isValid() && current.row() < static_cast<int>(clips.size()) &&
        !transport_->isPlaying()) {
        const render::PlannedClip& clip = clips[static_cast<std::size_t>(current.row())];
        const long at = transport_->position();
        if (at < clip.recordIn + clip.fadeIn || at >= clip.recordOut()) {
            transport_->seek(clip.recordIn + clip.fadeIn);
        }
    }
}

void MainWindow::onTimelineChanged() {
    previewFrames_->setProject(shots_->project());
    transport_->setTimeline(previewFrames_->frameCount(), previewFrames_->fps());
}

void MainWindow::showFrameAt(long frame) {
    const int direction = transport_->speed() > 0 ? 1 : transport_->speed() < 0 ? -1 : 0;
    preview_->showFrame(previewFrames_->frame(frame, direction));
}

void MainWindow::buildPlaybackMenu() {
    QMenu* playback = menuBar()->addMenu(tr("&Playback"));
    const auto add = [this, playback](const QString& text, const QKeySequence& key, auto slot) {
        QAction* action = playback->addAction(text, this, slot);
        action->setShortcut(key);
        return action;
    };
    add(tr("Play/Pause"), QKeySequence(Qt::Key_Space), [this] { transport_->togglePlay(); });
    add(tr("Play Backwards (J)"), QKeySequence(Qt::Key_J),
        [this] { transport_->shuttleBackward(); });
    add(tr("Stop (K)"), QKeySequence(Qt::Key_K), [this] { transport_->pause(); });
    add(tr("Play Forwards (L)"), QKeySequence(Qt::Key_L), [this] { transport_->shuttleForward(); });
    playback->addSeparator();
    add(tr("Previous Frame"), QKeySequence(Qt::Key_Left), [this] { transport_->step(-1); });
    add(tr("Next Frame"), QKeySequence(Qt::Key_Right), [this] { transport_->step(1); });
    add(tr("Go to Start"), QKeySequence(Qt::Key_Home), [this] { transport_->seek(0); });
    add(tr("Go to End"), QKeySequence(Qt::Key_End),
        [this] { transport_->seek(transport_->frameCount() - 1); });
    playback->addSeparator();
    add(tr("Set In Point"), QKeySequence(Qt::Key_I), [this] { transport_->markIn(); });
    add(tr("Set Out Point"), QKeySequence(Qt::Key_O), [this] { transport_->markOut(); });
    add(tr("Clear In and Out"), QKeySequence(Qt::ALT | Qt::Key_X),
        [this] { transport_->clearInOut(); });
    QAction* loop = add(tr("Loop"), QKeySequence(Qt::CTRL | Qt::Key_L),
                        [this](bool on) { transport_->setLoop(on); });
    loop->setCheckable(true);
    connect(transport_, &PlaybackController::stateChanged, loop,
            [this, loop] { loop->setChecked(transport_->loops()); });
    add(tr("Full Screen Preview"), QKeySequence(Qt::Key_F),
        [this] { preview_->toggleFullScreen(); });
}

QString MainWindow::saveProject() {
    try {
        project::saveProject(shots_->project());
    } catch (const std::exception& error) {
        return QString::fromStdString(error.what());
    }
    markSaved();
    return QString();
}

// project.json now holds everything: the autosave and the modified marker go.
void MainWindow::markSaved() {
    undoStack_->setClean();
    recoveredUnsaved_ = false;
    setWindowModified(false);
    if (hasProject()) {
        project::removeAutosave(shots_->project().folder);
    }
}

bool MainWindow::hasUnsavedChanges() const {
    return hasProject() && (!undoStack_->isClean() || recoveredUnsaved_);
}

bool MainWindow::autosaveNow() {
    if (!hasUnsavedChanges()) {
        return false;
    }
    try {
        project::writeAutosave(shots_->project());
    } catch (const std::exception& error) {
        statusBar()->showMessage(
            tr("Autosave failed: %1").arg(QString::fromStdString(error.what())), 8000);
        return false;
    }
    return true;
}

QString MainWindow::saveProjectAs(const QString& folder) {
    project::Project copy;
    try {
        copy = project::saveProjectAs(shots_->project(), toStdPath(folder));
    } catch (const std::exception& error) {
        return QString::fromStdString(error.what());
    }
    // The copy holds the edits; the original keeps its last save.
    project::removeAutosave(shots_->project().folder);
    undoStack_->clear();
    recoveredUnsaved_ = false;
    setWindowModified(false);
    return openProject(folder);
}

void MainWindow::onSaveAsTriggered() {
    if (!hasProject()) {
        return;
    }
    const QString chosen = QFileDialog::getSaveFileName(
        this, tr("Save Project As"), fromStdPath(shots_->project().folder.parent_path()),
        tr("Storyreel projects (*.storyreel)"));
    if (chosen.isEmpty()) {
        return;
    }
    const QString folder = chosen.endsWith(QStringLiteral(".storyreel"))
                               ? chosen
                               : chosen + QStringLiteral(".storyreel");
    const QString error = saveProjectAs(folder);
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Cannot Save Project"), error);
    }
}

void MainWindow::rememberRecent(const QString& folder) {
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentProjects")).toStringList();
    const QString path = QFileInfo(folder).absoluteFilePath();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > 10) {
        recent.removeLast();
    }
    settings.setValue(QStringLiteral("recentProjects"), recent);
}

void MainWindow::fillRecentMenu() {
    recentMenu_->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentProjects")).toStringList();
    for (const QString& folder : recent) {
        QAction* open =
            recentMenu_->addAction(QFileInfo(folder).completeBaseName(), this, [this, folder] {
                const QString error = openProject(folder);
                if (!error.isEmpty()) {
                    QMessageBox::warning(this, tr("Cannot Open Project"), error);
                }
            });
        open->setToolTip(QDir::toNativeSeparators(folder));
        open->setStatusTip(QDir::toNativeSeparators(folder));
        open->setEnabled(QFileInfo::exists(folder));
    }
    if (recent.isEmpty()) {
        recentMenu_->addAction(tr("No recent projects"))->setEnabled(false);
        return;
    }
    recentMenu_->addSeparator();
    recentMenu_->addAction(tr("Clear Recent Projects"), this,
                           [] { QSettings().remove(QStringLiteral("recentProjects")); });
}

void MainWindow::onSaveTriggered() {
    const QString error = saveProject();
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Cannot Save Project"), error);
    }
}

// Asks before unsaved edits would be lost; true when it is fine to go on.
bool MainWindow::confirmDiscardChanges() {
    if (!hasUnsavedChanges()) {
        return true;
    }
    const auto answer = QMessageBox::question(
        this, tr("Unsaved Changes"), tr("The project has unsaved changes. Save them first?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save) {
        const QString error = saveProject();
        if (!error.isEmpty()) {
            QMessageBox::warning(this, tr("Cannot Save Project"), error);
            return false;
        }
        return true;
    }
    if (answer == QMessageBox::Discard) {
        project::removeAutosave(shots_->project().folder);
        return true;
    }
    return false;
}

void MainWindow::onOpenProjectTriggered() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Project"), QString(),
                                                             QFileDialog::ShowDirsOnly);
    if (folder.isEmpty()) {
        return;
    }
    const QString error = openProject(folder);
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Cannot Open Project"), error);
    }
}

void MainWindow::onOpenSampleTriggered() {
    const QString error = openSampleProject();
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Cannot Open the Sample Storyboard"), error);
    }
}

void MainWindow::updateStatus() {
    const auto& project = shots_->project();
    const int totalSeconds = static_cast<int>(project.totalSeconds() + 0.5);
    projectStatus_->setText(shots_->rowCount() == 0
                                ? tr("No project open")
                                : tr("Shots: %1 · length %2:%3 · %4×%5 at %6 fps")
                                      .arg(shots_->rowCount())
                                      .arg(totalSeconds / 60)
                                      .arg(totalSeconds % 60, 2, 10, QLatin1Char('0'))
                                      .arg(project.width)
                                      .arg(project.height)
                                      .arg(project.fps));
    static const render::SystemReport report = render::systemReport();
    computeStatus_->setText(
        report.hasCuda ? tr("GPU: %1").arg(QString::fromStdString(report.computeDevices[1]))
                       : tr("No CUDA GPU: neural presets run on the CPU, very slowly"));
    computeStatus_->setToolTip(tr("LibTorch %1").arg(QString::fromStdString(report.torchVersion)));
}

}  // namespace storyreel::ui
