// The main window: builds the regions of the workspace (storyboard, shot inspector,
// preview, timeline, render queue), its menus, and wires them to one shot model and one
// selection. Behaviour lives in the views and models; this class only assembles them.
//
//   MainWindow window;
//   window.openProject(folder);  // false, with a message shown, if it cannot load
//   window.show();
//
// Thread-safety: UI thread only.
#pragma once

#include "core/project/project_builder.h"

#include <QMainWindow>
#include <QString>
#include <QStringList>

#include <vector>

class QDockWidget;
class QMenu;
class QItemSelectionModel;
class QLabel;
class QTimer;
class QUndoStack;

namespace storyreel::ui {

class PlaybackController;
class PreviewFrames;
class PreviewView;
class RenderQueue;
class RenderQueueView;
class ShotImporter;
class ShotInspector;
class ShotListModel;
struct ShotImportResult;
class StoryboardView;
class TakesView;
class TakeThumbnails;
class TimelineView;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);

    // Loads NAME.storyreel; on failure keeps the current project and returns the reason.
    QString openProject(const QString& folder);
    QString openSampleProject();
    // Creates an empty NAME.storyreel and opens it; returns the reason on failure.
    QString newProject(const QString& folder, const project::NewProjectOptions& options);
    // Adds shots from images, folders and CSV shot lists before the shot at row (-1: at the
    // end), in the background; false when no project is open or an import is running.
    bool importFiles(const QStringList& paths, int row = -1);
    void deleteSelectedShots();
    // Saves the open project; returns the reason on failure.
    QString saveProject();
    // Copies the project with its media and takes to a new folder and opens the copy.
    QString saveProjectAs(const QString& folder);
    // Writes the unsaved edits to project.autosave.json now (the timer does every minute);
    // false when there is nothing to write or it failed.
    bool autosaveNow();
    // Unsaved edits, undoable ones or recovered from an autosave.
    bool hasUnsavedChanges() const;
    QUndoStack* undoStack() const { return undoStack_; }

    ShotListModel* shots() const { return shots_; }
    RenderQueue* renderQueue() const { return renderQueue_; }
    ShotImporter* shotImporter() const { return importer_; }
    PlaybackController* transport() const { return transport_; }
    PreviewFrames* previewFrames() const { return previewFrames_; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void restoreLayout();
    QDockWidget* addDock(const QString& title, const QString& objectName, QWidget* content,
                         Qt::DockWidgetArea area);
    void buildMenus();
    void onCurrentShotChanged(const QModelIndex& current);
    void onOpenProjectTriggered();
    void onOpenSampleTriggered();
    void onNewProjectTriggered();
    void onAddImagesTriggered();
    void onImportShotListTriggered();
    void onPasteTriggered();
    void onImportFinished(const ShotImportResult& result);
    void onShotsMoved(const QStringList& shotIds, int row);
    bool hasProject() const;
    void buildPlaybackMenu();
    void onTimelineChanged();
    void showFrameAt(long frame);
    void onCompareTakes(const QString& shotId, const QString& takeA, const QString& takeB);
    void onFinishInQuality(const QString& shotId, const QString& takeId);
    void onContinueFromLastFrame(const QString& shotId);
    void pushShotEdit(const std::string& shotId, const project::Shot& before,
                      const project::Shot& after);
    void onSaveTriggered();
    void onSaveAsTriggered();
    void rememberRecent(const QString& folder);
    void fillRecentMenu();
    void markSaved();
    bool confirmDiscardChanges();
    void renderRows(const std::vector<int>& rows);
    void updateStatus();

    ShotListModel* shots_;
    QItemSelectionModel* selection_;
    StoryboardView* storyboard_;
    ShotInspector* inspector_;
    PreviewView* preview_;
    TimelineView* timeline_;
    RenderQueueView* queue_;
    QLabel* projectStatus_;
    QLabel* computeStatus_;
    RenderQueue* renderQueue_;
    QUndoStack* undoStack_;
    ShotImporter* importer_;
    PlaybackController* transport_;
    PreviewFrames* previewFrames_;
    TakeThumbnails* takeThumbnails_;
    TakesView* takes_;
    QTimer* autosaveTimer_;
    QMenu* recentMenu_ = nullptr;
    bool recoveredUnsaved_ = false;  // opened from an autosave: modified without undo steps
    bool layoutRestored_ = false;
};

}  // namespace storyreel::ui
