// An undoable edit of one shot's fields (prompt, preset, duration, seed, notes...). Typing
// into one field merges into one command, so undo takes back the whole edit, not a letter.
//
//   undoStack->push(new EditShotCommand(model, shotId, before, after, field));
//
// Thread-safety: UI thread only.
#pragma once

#include "core/project/project.h"

#include <QUndoCommand>

#include <string>

namespace storyreel::ui {

class ShotListModel;

class EditShotCommand : public QUndoCommand {
public:
    // Edits of the same field of the same shot merge; kNoMerge edits (a timeline drag, a
    // transition) each stay one step.
    static constexpr int kNoMerge = -1;
    EditShotCommand(ShotListModel* model, std::string shotId, project::Shot before,
                    project::Shot after, int field);

    void undo() override;
    void redo() override;
    int id() const override { return 1; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    ShotListModel* model_;
    std::string shotId_;
    project::Shot before_;
    project::Shot after_;
    int field_;
};

}  // namespace storyreel::ui
