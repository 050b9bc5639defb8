#include "ui/controllers/shot_importer.h"

#include "core/base/natural_order.h"
#include "core/base/user_error.h"
#include "core/media/image_check.h"
#include "core/media/video_decoder.h"
#include "core/project/shot_import.h"
#include "core/project/shot_list_csv.h"
#include "ui/std_path.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtConcurrent/QtConcurrentRun>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>

namespace storyreel::ui {
namespace {

const QStringList kImageSuffixes = {
    QStringLiteral("png"), QStringLiteral("jpg"),  QStringLiteral("jpeg"), QStringLiteral("webp"),
    QStringLiteral("tif"), QStringLiteral("tiff"), QStringLiteral("bmp")};

bool isImageFile(const QFileInfo& file) {
    return kImageSuffixes.contains(file.suffix().toLower());
}

// Dropped files and folders as shot sources: every image directly in a folder, the rows of
// a CSV shot list, dropped images as they are; images in natural filename order.
std::vector<project::ShotSource> expandPaths(const QStringList& paths, QStringList& problems) {
    std::vector<std::filesystem::path> images;
    std::vector<project::ShotSource> fromLists;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (info.isDir()) {
            for (const QFileInfo& entry : QDir(path).entryInfoList(QDir::Files, QDir::Name)) {
                if (isImageFile(entry)) {
                    images.push_back(toStdPath(entry.absoluteFilePath()));
                }
            }
        } else if (info.suffix().toLower() == QStringLiteral("csv")) {
            try {
                const auto rows = project::readShotListCsv(toStdPath(path));
                fromLists.insert(fromLists.end(), rows.begin(), rows.end());
            } catch (const std::exception& error) {
                problems << QString::fromStdString(error.what());
            }
        } else {
            images.push_back(toStdPath(path));  // the image check names it if it is none
        }
    }
    std::vector<project::ShotSource> sources = project::shotsFromImages(std::move(images));
    sources.insert(sources.end(), fromLists.begin(), fromLists.end());
    return sources;
}

ShotImportResult importPaths(const project::Project& project, const QStringList& paths, int row) {
    ShotImportResult result;
    project::Project growing = project;  // so each new shot's id is unique
    for (const project::ShotSource& source : expandPaths(paths, result.problems)) {
        try {
            const auto checkImage = [](const std::filesystem::path& file) {
                media::checkImportable(file);
            };
            for (project::Shot& shot : project::importShots(growing, {source}, checkImage)) {
                growing.shots.push_back(shot);
                result.shots.push_back(
                    {row++, shot, makeShotThumbnail(fromStdPath(project.imagePath(shot)))});
            }
        } catch (const std::exception& error) {
            result.problems << QString::fromStdString(error.what());
        }
    }
    return result;
}

}  // namespace

ShotImporter::ShotImporter(QObject* parent) : QObject(parent) {
    connect(&watcher_, &QFutureWatcher<ShotImportResult>::finished, this,
            [this] { Q_EMIT finished(watcher_.result()); });
}

ShotImporter::~ShotImporter() {
    watcher_.waitForFinished();  // the job holds copies only, but must not outlive the app
}

bool ShotImporter::start(const project::Project& project, const QStringList& paths, int row) {
    if (watcher_.isRunning()) {
        return false;
    }
    watcher_.setFuture(QtConcurrent::run(importPaths, project, paths, row));
    return true;
}

bool ShotImporter::startImage(const project::Project& project, const QImage& image, int row) {
    if (watcher_.isRunning()) {
        return false;
    }
    watcher_.setFuture(QtConcurrent::run([project, image, row] {
        // The pasted picture becomes a file only long enough to be copied into media/.
        QTemporaryDir scratch;
        const QString file = scratch.filePath(QStringLiteral("pasted.png"));
        if (!scratch.isValid() || !image.save(file, "PNG")) {
            ShotImportResult failed;
            failed.problems << QCoreApplication::translate(
                "storyreel::ui::ShotImporter", "The pasted picture could not be saved.");
            return failed;
        }
        return importPaths(project, {file}, row);
    }));
    return true;
}

bool ShotImporter::startLastFrame(const project::Project& project, const QString& videoFile,
                                  int row) {
    if (watcher_.isRunning()) {
        return false;
    }
    watcher_.setFuture(QtConcurrent::run([project, videoFile, row] {
        ShotImportResult result;
        try {
            media::VideoDecoder decoder(toStdPath(videoFile));
            cv::Mat frame;
            cv::Mat last;
            while (decoder.read(frame)) {
                last = frame;  // each read gives a new picture; keep the newest
            }
            if (last.empty()) {
                throw UserError::inFile(toStdPath(videoFile), "has no frames");
            }
            // Lossless PNG: the next shot starts from exactly this picture.
            QTemporaryDir scratch;
            const QString file = scratch.filePath(QStringLiteral("last_frame.png"));
            if (!scratch.isValid() || !cv::imwrite(toStdPath(file).string(), last)) {
                throw UserError::inFile(toStdPath(file), "cannot be written");
            }
            return importPaths(project, {file}, row);
        } catch (const std::exception& error) {
            result.problems << QString::fromStdString(error.what());
        }
        return result;
    }));
    return true;
}

bool ShotImporter::isImportablePath(const QString& path) {
    const QFileInfo info(path);
    return info.isDir() || isImageFile(info) || info.suffix().toLower() == QStringLiteral("csv");
}

}  // namespace storyreel::ui
