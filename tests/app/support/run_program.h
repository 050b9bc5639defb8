// Runs one of Storyreel's executables the way a user would and collects what it printed.
// Each run gets its own data folder (XDG_DATA_HOME) under the test build tree, and the
// offscreen Qt platform, so tests never touch the user's files or need a display.
#pragma once

#include <QString>
#include <QStringList>

namespace storyreel::test {

struct ProgramResult {
    int exitCode = -1;
    QString out;
    QString err;
};

ProgramResult runProgram(const QString& program, const QStringList& arguments);

// A fresh, empty folder under the test build tree.
QString freshFolder(const QString& name);

}  // namespace storyreel::test
