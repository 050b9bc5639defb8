#include "ui/sample_project.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QStandardPaths>

namespace storyreel::ui {
namespace {

constexpr auto kResourceRoot = ":/sample/The Lighthouse Keeper.storyreel";

bool copyTree(const QString& from, const QString& to, QString* error) {
    QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString target = to + source.mid(from.size());
        if (!QDir().mkpath(QFileInfo(target).path())) {
            *error = QCoreApplication::translate("SampleProject", "Cannot create folder %1.")
                         .arg(QFileInfo(target).path());
            return false;
        }
        QFile::remove(target);
        if (!QFile::copy(source, target)) {
            *error = QCoreApplication::translate("SampleProject", "Cannot write %1.").arg(target);
            return false;
        }
        // Resource files are read-only; the copy is the user's to edit.
        QFile::setPermissions(target, QFile::permissions(target) | QFileDevice::WriteOwner);
    }
    return true;
}

}  // namespace

QString installSampleProject(QString* error, const QString& dataFolder) {
    const QString base =
        dataFolder.isEmpty()
            ? QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)
            : dataFolder;
    const QString folder = QDir(base).filePath(
        QStringLiteral("samples/") + QFileInfo(QString::fromLatin1(kResourceRoot)).fileName());
    const auto isComplete = [&folder] {
        return QFileInfo::exists(QDir(folder).filePath(QStringLiteral("project.json")));
    };
    if (isComplete()) {
        return folder;
    }
    // Copy into a temporary sibling of our own and rename, so an interrupted copy is never
    // taken for a complete sample, and two Storyreels starting at once do not collide.
    const QString partial = folder + QStringLiteral(".partial-%1-%2")
                                         .arg(QCoreApplication::applicationPid())
                                         .arg(QRandomGenerator::global()->generate());
    if (!copyTree(QString::fromLatin1(kResourceRoot), partial, error)) {
        QDir(partial).removeRecursively();
        return QString();
    }
    // The folder only ever appears complete; if another Storyreel renamed its copy first,
    // ours fails to replace it and is dropped.
    const bool renamed = QDir().rename(partial, folder);
    QDir(partial).removeRecursively();
    if (!renamed && !isComplete()) {
        *error = QCoreApplication::translate("SampleProject", "Cannot write %1.").arg(folder);
        return QString();
    }
    return folder;
}

}  // namespace storyreel::ui
