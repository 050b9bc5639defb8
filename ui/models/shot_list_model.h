// The shots of the open project as a Qt list model, shared by the storyboard, the timeline,
// the inspector and the preview (one selection model keeps them in step).
//
//   ShotListModel model;
//   model.setProject(loadProject(folder));
//   QString prompt = model.index(0).data(ShotListModel::PromptRole).toString();
//
// Thread-safety: UI thread only.
#pragma once

#include "core/project/project.h"

#include <QAbstractListModel>
#include <QImage>

#include <vector>

namespace storyreel::ui {

class ShotListModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum Role {
        ShotNumberRole = Qt::UserRole + 1,
        ThumbnailRole,  // QImage, 16:9 card size; a placeholder when the image is missing
        ImagePathRole,
        ImageMissingRole,
        PromptRole,
        NegativePromptRole,
        PresetRole,  // the preset id, e.g. "quality"
        SecondsRole,
        StartSecondsRole,  // where the shot starts on the timeline
        SeedRole,
        NotesRole,
        TakeCountRole,
        ActiveTakeRole,  // the active take's file, relative to the project; empty if none
    };

    explicit ShotListModel(QObject* parent = nullptr);

    void setProject(project::Project project);
    // Adds a rendered take to the shot with this id and makes it active; false if gone.
    bool addTake(const std::string& shotId, const project::Take& take);
    // Replaces the shot with this id (an edit or its undo); false if gone.
    bool setShot(const std::string& shotId, const project::Shot& shot);
    const project::Project& project() const { return project_; }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;

    static constexpr QSize kThumbnailSize{320, 180};

private:
    QImage thumbnailFor(const project::Shot& shot) const;
    void updateStartTimes();

    project::Project project_;
    std::vector<QImage> thumbnails_;
    std::vector<double> startSeconds_;
};

}  // namespace storyreel::ui
