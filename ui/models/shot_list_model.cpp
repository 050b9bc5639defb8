#include "ui/models/shot_list_model.h"

#include "ui/preset_names.h"
#include "ui/std_path.h"

#include <QFileInfo>
#include <QImageReader>
#include <QPainter>

namespace storyreel::ui {

ShotListModel::ShotListModel(QObject* parent) : QAbstractListModel(parent) {}

void ShotListModel::setProject(project::Project project) {
    beginResetModel();
    project_ = std::move(project);
    thumbnails_.clear();
    startSeconds_.clear();
    double start = 0.0;
    // Thumbnails are made up front: a storyboard has tens of shots, each image decoded once.
    for (const project::Shot& shot : project_.shots) {
        thumbnails_.push_back(thumbnailFor(shot));
        startSeconds_.push_back(start);
        start += shot.seconds;
    }
    endResetModel();
}

bool ShotListModel::addTake(const std::string& shotId, const project::Take& take) {
    for (std::size_t row = 0; row < project_.shots.size(); ++row) {
        project::Shot& shot = project_.shots[row];
        if (shot.id == shotId) {
            shot.takes.push_back(take);
            shot.activeTakeId = take.id;
            const QModelIndex changed = index(static_cast<int>(row));
            Q_EMIT dataChanged(changed, changed);
            return true;
        }
    }
    return false;
}

bool ShotListModel::setShot(const std::string& shotId, const project::Shot& shot) {
    for (std::size_t row = 0; row < project_.shots.size(); ++row) {
        if (project_.shots[row].id == shotId) {
            project_.shots[row] = shot;
            updateStartTimes();
            // Later shots move on the timeline when a duration changes.
            Q_EMIT dataChanged(index(static_cast<int>(row)), index(rowCount() - 1));
            return true;
        }
    }
    return false;
}

void ShotListModel::updateStartTimes() {
    double start = 0.0;
    for (std::size_t row = 0; row < project_.shots.size(); ++row) {
        startSeconds_[row] = start;
        start += project_.shots[row].seconds;
    }
}

int ShotListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(project_.shots.size());
}

QVariant ShotListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    const auto row = static_cast<std::size_t>(index.row());
    const project::Shot& shot = project_.shots[row];
    const QString imagePath = fromStdPath(project_.imagePath(shot));
    switch (role) {
        case Qt::DisplayRole:
            return tr("Shot %1").arg(index.row() + 1);
        case Qt::ToolTipRole:
            return QString::fromStdString(shot.prompt);
        case ShotNumberRole:
            return index.row() + 1;
        case ThumbnailRole:
            return thumbnails_[row];
        case ImagePathRole:
            return imagePath;
        case ImageMissingRole:
            return !QFileInfo::exists(imagePath);
        case PromptRole:
            return QString::fromStdString(shot.prompt);
        case NegativePromptRole:
            return QString::fromStdString(shot.negativePrompt);
        case PresetRole:
            return QString::fromStdString(shot.preset);
        case SecondsRole:
            return shot.seconds;
        case StartSecondsRole:
            return startSeconds_[row];
        case SeedRole:
            return static_cast<qlonglong>(shot.seed);
        case NotesRole:
            return QString::fromStdString(shot.notes);
        case TakeCountRole:
            return static_cast<int>(shot.takes.size());
        case ActiveTakeRole:
            return shot.activeTake() ? fromStdPath(shot.activeTake()->file) : QString();
        default:
            return {};
    }
}

QImage ShotListModel::thumbnailFor(const project::Shot& shot) const {
    QImageReader reader(fromStdPath(project_.imagePath(shot)));
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid()) {
        reader.setScaledSize(size.scaled(kThumbnailSize * 2, Qt::KeepAspectRatio));
    }
    QImage image = reader.read();
    if (!image.isNull()) {
        return image.scaled(kThumbnailSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    }
    // A missing or unreadable image still gets a card, saying so, so the shot stays editable.
    QImage placeholder(kThumbnailSize, QImage::Format_RGB32);
    placeholder.fill(QColor(60, 60, 66));
    QPainter painter(&placeholder);
    painter.setPen(QColor(220, 120, 110));
    painter.drawText(placeholder.rect(), Qt::AlignCenter, tr("Image missing"));
    return placeholder;
}

}  // namespace storyreel::ui
