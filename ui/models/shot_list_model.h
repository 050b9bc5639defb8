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
#include "ui/models/shot_thumbnail.h"

#include <QAbstractListModel>
#include <QImage>

#include <map>
#include <string>
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
        ActiveTakeRole,      // the active take's file, relative to the project; empty if none
        ActiveTakePathRole,  // the same, absolute
        ActiveTakeFramesRole,
        StatusRole,       // what the render queue is doing with the shot: "", "Queued"...
        LivePreviewRole,  // QImage: the picture of a render in progress; null otherwise
    };

    explicit ShotListModel(QObject* parent = nullptr);

    void setProject(project::Project project);
    // Adds a rendered take to the shot with this id and makes it active; false if gone.
    bool addTake(const std::string& shotId, const project::Take& take);
    // Replaces the shot with this id (an edit or its undo); false if gone.
    bool setShot(const std::string& shotId, const project::Shot& shot);
    const project::Project& project() const { return project_; }
    // The row of the shot with this id, or -1.
    int rowOf(const std::string& shotId) const;
    // The render queue's word on a shot, shown on its card; empty clears it.
    void setShotStatus(const std::string& shotId, const QString& status);
    // The latest picture of the shot's render in progress; a null image clears it.
    void setShotPreview(const std::string& shotId, const QImage& picture);

    // A shot with its card picture, as inserted and removed by the undoable commands.
    struct PlacedShot {
        int row = 0;
        project::Shot shot;
        QImage thumbnail;
    };
    // Inserts shots at their rows, in increasing row order.
    void insertShots(const std::vector<PlacedShot>& shots);
    // Removes the shots with these ids; returns them with the rows they had, in row order.
    std::vector<PlacedShot> removeShots(const std::vector<std::string>& shotIds);
    // The shot ids in timeline order, and a reordering of the same ids.
    std::vector<std::string> order() const;
    void setOrder(const std::vector<std::string>& shotIds);

    // Drag and drop: cards carry their shot ids so the storyboard can move them.
    static constexpr const char* kShotIdsMimeType = "application/x-storyreel-shot-ids";
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    Qt::DropActions supportedDropActions() const override;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;

    static constexpr QSize kThumbnailSize = kShotThumbnailSize;

private:
    void updateStartTimes();

    project::Project project_;
    std::vector<QImage> thumbnails_;
    std::vector<double> startSeconds_;
    std::map<std::string, QString> statuses_;  // by shot id
    std::map<std::string, QImage> previews_;   // by shot id
};

}  // namespace storyreel::ui
