#include "app/cli/cli_support.h"

#include "core/render/engine_catalog.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace storyreel::app {

QString translated(const char* text) {
    return QCoreApplication::translate("Cli", text);
}

void addOption(QCommandLineParser& parser, const char* name, const char* description,
               const char* valueName) {
    parser.addOption(QCommandLineOption(QString::fromLatin1(name), translated(description),
                                        valueName ? QString::fromLatin1(valueName) : QString()));
}

// Arguments were fine, but the work itself has not landed in this version.
int notAvailableYet(const char* command, const QString& what) {
    std::fprintf(stderr, "%s\n",
                 qPrintable(QCoreApplication::translate(
                                "Cli",
                                "storyreel-cli %1: not available yet: %2 comes in a later "
                                "version of Storyreel.")
                                .arg(QString::fromLatin1(command), what)));
    return 1;
}

QStringList presetIds() {
    QStringList ids;
    for (const render::PresetInfo& preset : render::presetCatalog()) {
        ids << QString::fromStdString(preset.id);
    }
    return ids;
}

// Progress on the terminal: frames done, speed and time left, on one line rewritten at most
// four times a second.
void printProgress(const Progress& progress) {
    using Clock = std::chrono::steady_clock;
    static Clock::time_point started;
    static Clock::time_point shown;
    const auto now = Clock::now();
    if (progress.step == 1) {
        started = now;
    }
    const bool last = progress.step == progress.steps;
    if (!last && progress.step != 1 && now - shown < std::chrono::milliseconds(250)) {
        return;
    }
    shown = now;
    const double elapsed = std::chrono::duration<double>(now - started).count();
    std::fprintf(stderr, "\r%s%s",
                 qPrintable(QCoreApplication::translate("Cli", "frame %1/%2 · %3 fps · %4 s left")
                                .arg(progress.step)
                                .arg(progress.steps)
                                .arg(elapsed > 0 ? progress.step / elapsed : 0.0, 0, 'f', 1)
                                .arg(std::max(0.0, progress.etaSeconds), 0, 'f', 0)),
                 last ? "\n" : "");
}

}  // namespace storyreel::app
