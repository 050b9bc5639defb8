#include "ui/commands/edit_shot_command.h"

#include "ui/models/shot_list_model.h"

#include <QCoreApplication>

namespace storyreel::ui {

EditShotCommand::EditShotCommand(ShotListModel* model, std::string shotId, project::Shot before,
                                 project::Shot after, int field)
    : model_(model),
      shotId_(std::move(shotId)),
      before_(std::move(before)),
      after_(std::move(after)),
      field_(field) {
    setText(QCoreApplication::translate("EditShotCommand", "Edit Shot"));
}

void EditShotCommand::undo() {
    model_->setShot(shotId_, before_);
}

void EditShotCommand::redo() {
    model_->setShot(shotId_, after_);
}

bool EditShotCommand::mergeWith(const QUndoCommand* other) {
    const auto* next = static_cast<const EditShotCommand*>(other);
    if (field_ == kNoMerge || next->shotId_ != shotId_ || next->field_ != field_) {
        return false;
    }
    after_ = next->after_;
    return true;
}

}  // namespace storyreel::ui
