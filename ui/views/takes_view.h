// The takes of the current shot as a strip, newest last: each with its picture, engine,
// seed and length, the active one marked. From here the user makes a take active, compares
// two takes side by side, deletes one (undoable), re-renders the shot in Quality with a
// take's seed (the draft-fast, finalise-quality loop) or continues the story from the last
// frame of the active take. The view reports these as signals; the main window acts.
//
// Thread-safety: UI thread only.
#pragma once

#include "core/project/project.h"

#include <QModelIndex>
#include <QWidget>

class QListWidget;
class QPushButton;

namespace storyreel::ui {

class TakeThumbnails;

class TakesView : public QWidget {
    Q_OBJECT

public:
    TakesView(TakeThumbnails* thumbnails, QWidget* parent = nullptr);

    void showShot(const QModelIndex& index);
    // The selected take ids, in strip order.
    QStringList selectedTakeIds() const;
    void selectTakes(const QStringList& takeIds);

Q_SIGNALS:
    void shotEdited(const QString& shotId, const project::Shot& before, const project::Shot& after);
    void compareRequested(const QString& shotId, const QString& takeA, const QString& takeB);
    void finishInQualityRequested(const QString& shotId, const QString& takeId);
    void continueRequested(const QString& shotId);

private:
    void refresh();
    void updateButtons();
    const project::Take* selectedTake() const;

    TakeThumbnails* thumbnails_;
    QListWidget* list_;
    QPushButton* makeActive_;
    QPushButton* compare_;
    QPushButton* remove_;
    QPushButton* quality_;
    QPushButton* continue_;
    QPersistentModelIndex current_;
    project::Shot shot_;
    std::filesystem::path projectFolder_;
};

}  // namespace storyreel::ui
