// What storyreel-cli's commands share: declaring options, saying a feature has not landed,
// the preset ids, and progress on the terminal.
//
//   addOption(parser, "out", QT_TRANSLATE_NOOP("Cli", "The file to write."), "file");
//   return notAvailableYet("models", QCoreApplication::translate("Cli", "managing models"));
//
// Thread-safety: main thread only.
#pragma once

#include "core/base/progress.h"

#include <QString>
#include <QStringList>

class QCommandLineParser;

namespace storyreel::app {

QString translated(const char* text);

// `description` is untranslated (marked with QT_TRANSLATE_NOOP("Cli", ...)).
void addOption(QCommandLineParser& parser, const char* name, const char* description,
               const char* valueName = nullptr);

// Arguments were fine, but the work itself has not landed in this version: exit status 1.
int notAvailableYet(const char* command, const QString& what);

QStringList presetIds();

// Frames done, speed and time left, on one line of stderr rewritten at most 4 times a second.
void printProgress(const Progress& progress);

}  // namespace storyreel::app
