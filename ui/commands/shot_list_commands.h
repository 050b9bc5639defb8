// Undoable changes to the list of shots: adding (dropped or pasted images, a shot list),
// removing, and reordering. Each keeps what it needs to take itself back exactly: removed
// shots return to their rows with their takes, a reorder restores the previous order.
//
//   undoStack->push(new AddShotsCommand(model, placedShots, tr("Add 3 Shots")));
//   undoStack->push(new RemoveShotsCommand(model, {"shot-2"}));
//   undoStack->push(new ReorderShotsCommand(model, model->order(), newOrder));
//
// Thread-safety: UI thread only.
#pragma once

#include "ui/models/shot_list_model.h"

#include <QUndoCommand>

#include <string>
#include <vector>

namespace storyreel::ui {

class AddShotsCommand : public QUndoCommand {
public:
    AddShotsCommand(ShotListModel* model, std::vector<ShotListModel::PlacedShot> shots,
                    const QString& text);
    void undo() override;
    void redo() override;

private:
    ShotListModel* model_;
    std::vector<ShotListModel::PlacedShot> shots_;
};

class RemoveShotsCommand : public QUndoCommand {
public:
    RemoveShotsCommand(ShotListModel* model, std::vector<std::string> shotIds);
    void undo() override;
    void redo() override;

private:
    ShotListModel* model_;
    std::vector<std::string> shotIds_;
    std::vector<ShotListModel::PlacedShot> removed_;
};

class ReorderShotsCommand : public QUndoCommand {
public:
    ReorderShotsCommand(ShotListModel* model, std::vector<std::string> before,
                        std::vector<std::string> after);
    void undo() override;
    void redo() override;

private:
    ShotListModel* model_;
    std::vector<std::string> before_;
    std::vector<std::string> after_;
};

// The order after moving the shots with these ids, keeping their relative order, to just
// before the shot now at targetRow (rowCount: to the end).
std::vector<std::string> orderAfterMove(const std::vector<std::string>& order,
                                        const std::vector<std::string>& moved, int targetRow);

}  // namespace storyreel::ui
