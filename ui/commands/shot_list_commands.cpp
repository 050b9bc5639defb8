#include "ui/commands/shot_list_commands.h"

#include <QCoreApplication>

#include <algorithm>

namespace storyreel::ui {

AddShotsCommand::AddShotsCommand(ShotListModel* model, std::vector<ShotListModel::PlacedShot> shots,
                                 const QString& text)
    : model_(model), shots_(std::move(shots)) {
    setText(text);
}

void AddShotsCommand::undo() {
    std::vector<std::string> ids;
    for (const ShotListModel::PlacedShot& placed : shots_) {
        ids.push_back(placed.shot.id);
    }
    model_->removeShots(ids);
}

void AddShotsCommand::redo() {
    model_->insertShots(shots_);
}

RemoveShotsCommand::RemoveShotsCommand(ShotListModel* model, std::vector<std::string> shotIds)
    : model_(model), shotIds_(std::move(shotIds)) {
    const int count = static_cast<int>(shotIds_.size());
    setText(QCoreApplication::translate("RemoveShotsCommand", "Delete Shots (%n)", nullptr, count));
}

void RemoveShotsCommand::undo() {
    model_->insertShots(removed_);
}

void RemoveShotsCommand::redo() {
    removed_ = model_->removeShots(shotIds_);
}

ReorderShotsCommand::ReorderShotsCommand(ShotListModel* model, std::vector<std::string> before,
                                         std::vector<std::string> after)
    : model_(model), before_(std::move(before)), after_(std::move(after)) {
    setText(QCoreApplication::translate("ReorderShotsCommand", "Reorder Shots"));
}

void ReorderShotsCommand::undo() {
    model_->setOrder(before_);
}

void ReorderShotsCommand::redo() {
    model_->setOrder(after_);
}

std::vector<std::string> orderAfterMove(const std::vector<std::string>& order,
                                        const std::vector<std::string>& moved, int targetRow) {
    const auto isMoved = [&](const std::string& id) {
        return std::find(moved.begin(), moved.end(), id) != moved.end();
    };
    std::vector<std::string> kept;
    std::vector<std::string> carried;
    int insertAt = 0;
    for (int row = 0; row < static_cast<int>(order.size()); ++row) {
        const std::string& id = order[static_cast<std::size_t>(row)];
        if (isMoved(id)) {
            carried.push_back(id);
        } else {
            kept.push_back(id);
        }
        if (row < targetRow && !isMoved(id)) {
            insertAt = static_cast<int>(kept.size());
        }
    }
    kept.insert(kept.begin() + insertAt, carried.begin(), carried.end());
    return kept;
}

}  // namespace storyreel::ui
