// Small helpers shared by the UI tests.
#pragma once

#include <QDir>
#include <QFile>
#include <QString>

namespace storyreel::test {

inline QString uiScratchFolder(const QString& name) {
    const QString path = QStringLiteral(STORYREEL_TEST_BINARY_DIR "/scratch/") + name;
    QDir(path).removeRecursively();
    QDir().mkpath(path);
    return path;
}

inline void writeText(const QString& path, const QByteArray& text) {
    QFile file(path);
    file.open(QIODevice::WriteOnly | QIODevice::Truncate);
    file.write(text);
}

}  // namespace storyreel::test
