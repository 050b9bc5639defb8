// Conversions between Qt's strings and std::filesystem paths in the local file-name encoding,
// so a path with accents survives the trip between the UI and core.
#pragma once

#include <QFile>
#include <QString>

#include <filesystem>

namespace storyreel::ui {

inline std::filesystem::path toStdPath(const QString& path) {
    return std::filesystem::path(QFile::encodeName(path).toStdString());
}

inline QString fromStdPath(const std::filesystem::path& path) {
    return QFile::decodeName(QByteArray::fromStdString(path.string()));
}

}  // namespace storyreel::ui
