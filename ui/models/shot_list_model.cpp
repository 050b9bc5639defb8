#include "ui/models/shot_list_model.h"

#include "ui/preset_names.h"
#include "ui/std_path.h"

#include <QFileInfo>
#include <QMimeData>
#include <QStringList>

#include <algorithm>

namespace storyreel::ui {

ShotListModel::ShotListModel(QObject* parent) : QAbstractListModel(parent) {}

void ShotListModel::setProject(project::Project project) {
    beginResetModel();
    project_ = std::move(project);
    thumbnails_.clear();
    statuses_.clear();
    startSeconds_.clear();
    double start = 0.0;
    // Thumbnails are made up front: a storyboard has tens of shots, each image decoded once.
    for (const project::Shot& shot : project_.shots) {
        thumbnails_.push_back(makeShotThumbnail(fromStdPath(project_.imagePath(shot))));
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
        case ActiveTakePathRole:
            return shot.activeTake() ? fromStdPath(project_.folder / shot.activeTake()->file)
                                     : QString();
        case ActiveTakeFramesRole:
            return shot.activeTake() ? shot.activeTake()->frames : 0;
        case StatusRole: {
            const auto status = statuses_.find(shot.id);
            return status == statuses_.end() ? QString() : status->second;
        }
        case LivePreviewRole: {
            const auto preview = previews_.find(shot.id);
            return preview == previews_.end() ? QImage() : preview->second;
        }
        default:
            return {};
    }
}

void ShotListModel::setShotStatus(const std::string& shotId, const QString& status) {
    if (status.isEmpty()) {
        statuses_.erase(shotId);
    } else {
        statuses_[shotId] = status;
    }
    const int row = rowOf(shotId);
    if (row >= 0) {
        Q_EMIT dataChanged(index(row), index(row), {StatusRole});
    }
}

void ShotListModel::setShotPreview(const std::string& shotId, const QImage& picture) {
    if (picture.isNull()) {
        if (previews_.erase(shotId) == 0) {
            return;
        }
    } else {
        previews_[shotId] = picture;
    }
    const int row = rowOf(shotId);
    if (row >= 0) {
        Q_EMIT dataChanged(index(row), index(row), {LivePreviewRole});
    }
}

int ShotListModel::rowOf(const std::string& shotId) const {
    for (std::size_t row = 0; row < project_.shots.size(); ++row) {
        if (project_.shots[row].id == shotId) {
            return static_cast<int>(row);
        }
    }
    return -1;
}

void ShotListModel::insertShots(const std::vector<PlacedShot>& shots) {
    for (const PlacedShot& placed : shots) {
        const int row = std::clamp(placed.row, 0, rowCount());
        beginInsertRows(QModelIndex(), row, row);
        project_.shots.insert(project_.shots.begin() + row, placed.shot);
        thumbnails_.insert(thumbnails_.begin() + row, placed.thumbnail);
        startSeconds_.insert(startSeconds_.begin() + row, 0.0);
        updateStartTimes();
        endInsertRows();
    }
    if (!shots.empty()) {
        Q_EMIT dataChanged(index(0), index(rowCount() - 1));  // shot numbers and start times
    }
}

std::vector<ShotListModel::PlacedShot> ShotListModel::removeShots(
    const std::vector<std::string>& shotIds) {
    std::vector<PlacedShot> removed;
    for (const std::string& id : shotIds) {
        const int row = rowOf(id);
        if (row >= 0) {
            removed.push_back({row, project_.shots[static_cast<std::size_t>(row)],
                               thumbnails_[static_cast<std::size_t>(row)]});
        }
    }
    std::sort(removed.begin(), removed.end(),
              [](const PlacedShot& a, const PlacedShot& b) { return a.row < b.row; });
    // Bottom up, so the rows recorded above stay right for the reinsertion on undo.
    for (auto it = removed.rbegin(); it != removed.rend(); ++it) {
        beginRemoveRows(QModelIndex(), it->row, it->row);
        project_.shots.erase(project_.shots.begin() + it->row);
        thumbnails_.erase(thumbnails_.begin() + it->row);
        startSeconds_.erase(startSeconds_.begin() + it->row);
        endRemoveRows();
    }
    updateStartTimes();
    if (!removed.empty() && rowCount() > 0) {
        Q_EMIT dataChanged(index(0), index(rowCount() - 1));
    }
    return removed;
}

std::vector<std::string> ShotListModel::order() const {
    std::vector<std::string> ids;
    for (const project::Shot& shot : project_.shots) {
        ids.push_back(shot.id);
    }
    return ids;
}

void ShotListModel::setOrder(const std::vector<std::string>& shotIds) {
    std::vector<int> from;  // new row -> old row
    for (const std::string& id : shotIds) {
        const int row = rowOf(id);
        if (row < 0) {
            return;  // not a permutation of this project's shots
        }
        from.push_back(row);
    }
    if (from.size() != project_.shots.size()) {
        return;
    }
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    std::vector<project::Shot> shots;
    std::vector<QImage> thumbnails;
    std::vector<int> to(from.size());
    for (std::size_t row = 0; row < from.size(); ++row) {
        const auto old = static_cast<std::size_t>(from[row]);
        shots.push_back(std::move(project_.shots[old]));
        thumbnails.push_back(thumbnails_[old]);
        to[old] = static_cast<int>(row);
    }
    project_.shots = std::move(shots);
    thumbnails_ = std::move(thumbnails);
    updateStartTimes();
    // Selections and the current shot follow their shots to the new rows.
    for (const QModelIndex& old : persistentIndexList()) {
        changePersistentIndex(old, index(to[static_cast<std::size_t>(old.row())]));
    }
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    Q_EMIT dataChanged(index(0), index(rowCount() - 1));
}

Qt::ItemFlags ShotListModel::flags(const QModelIndex& index) const {
    const Qt::ItemFlags base = QAbstractListModel::flags(index);
    return index.isValid() ? base | Qt::ItemIsDragEnabled : base | Qt::ItemIsDropEnabled;
}

QStringList ShotListModel::mimeTypes() const {
    return {QString::fromLatin1(kShotIdsMimeType), QStringLiteral("text/uri-list")};
}

QMimeData* ShotListModel::mimeData(const QModelIndexList& indexes) const {
    QStringList ids;
    for (const QModelIndex& index : indexes) {
        if (index.isValid() && index.row() < rowCount()) {
            ids << QString::fromStdString(project_.shots[static_cast<std::size_t>(index.row())].id);
        }
    }
    auto* data = new QMimeData;
    data->setData(QString::fromLatin1(kShotIdsMimeType), ids.join(QLatin1Char('\n')).toUtf8());
    return data;
}

Qt::DropActions ShotListModel::supportedDropActions() const {
    return Qt::MoveAction | Qt::CopyAction;
}

}  // namespace storyreel::ui
