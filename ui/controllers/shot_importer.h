// Adds shots from files the user dropped, pasted or picked (images, folders of images,
// CSV shot lists) without blocking the window: images are checked, copied into the project
// and given thumbnails on a pool thread; the shots come back to the UI thread, ready to be
// inserted as one undoable step. A file that cannot be used is reported by name and the
// others are still added.
//
//   connect(importer, &ShotImporter::finished, this, [&](const ShotImportResult& result) {...});
//   importer->start(model->project(), {"/home/me/boards"}, model->rowCount());
//
// Thread-safety: UI thread only; the work runs on QThreadPool::globalInstance().
#pragma once

#include "ui/models/shot_list_model.h"

#include <QFutureWatcher>
#include <QImage>
#include <QObject>
#include <QStringList>

#include <vector>

namespace storyreel::ui {

struct ShotImportResult {
    std::vector<ShotListModel::PlacedShot> shots;  // rows from the requested row on
    QStringList problems;                          // "FILE: problem", one per refused file
};

class ShotImporter : public QObject {
    Q_OBJECT

public:
    explicit ShotImporter(QObject* parent = nullptr);
    ~ShotImporter() override;

    // Imports into a copy of the project as it is now; false while an import runs.
    bool start(const project::Project& project, const QStringList& paths, int row);
    // The same for a picture from the clipboard (saved as PNG first).
    bool startImage(const project::Project& project, const QImage& image, int row);
    // A shot made from the last frame of a video (continuing from a take).
    bool startLastFrame(const project::Project& project, const QString& videoFile, int row);
    bool isBusy() const { return watcher_.isRunning(); }

    // Whether a dropped or pasted local file could become shots, judging by its name.
    static bool isImportablePath(const QString& path);

Q_SIGNALS:
    void finished(const storyreel::ui::ShotImportResult& result);

private:
    QFutureWatcher<ShotImportResult> watcher_;
};

}  // namespace storyreel::ui
