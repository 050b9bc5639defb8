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

#include <QMainWindow>
#include <QString>

#include <vector>

class QDockWidget;
class QItemSelectionModel;
class QLabel;
class QUndoStack;

namespace storyreel::ui {

class PreviewView;
class RenderQueue;
class RenderQueueView;
class ShotInspector;
class ShotListModel;
class StoryboardView;
class TimelineView;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);

    // Loads NAME.storyreel; on failure keeps the current project and returns the reason.
    QString openProject(const QString& folder);
    QString openSampleProject();
    // Saves the open project; returns the reason on failure.
    QString saveProject();
    QUndoStack* undoStack() const { return undoStack_; }

    ShotListModel* shots() const { return shots_; }
    RenderQueue* renderQueue() const { return renderQueue_; }

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
    void onSaveTriggered();
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
    bool layoutRestored_ = false;
};

}  // namespace storyreel::ui
