#include "app/cli/cli_options.h"
#include "app/cli/cli_support.h"
#include "app/cli/command_handlers.h"
#include "core/base/user_error.h"
#include "core/project/project_loader.h"
#include "core/render/take_renderer.h"
#include "ui/std_path.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>
#include <vector>

namespace storyreel::app {

using ui::toStdPath;

void configureRender(QCommandLineParser& parser) {
    addOption(parser, "shots",
              QT_TRANSLATE_NOOP("Cli", "Shots to render, e.g. 1,3-5 (default: all)."), "list");
    addOption(parser, "device", QT_TRANSLATE_NOOP("Cli", "auto, cpu, cuda or cuda:N."), "device");
}

namespace {

// "1,3-5" -> {1, 3, 4, 5}; a usage error names what it could not read.
std::vector<int> parseShotList(const QString& text) {
    std::vector<int> numbers;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList range = part.trimmed().split(QLatin1Char('-'));
        bool firstOk = false;
        bool lastOk = false;
        const int first = range.value(0).toInt(&firstOk);
        const int last = range.size() == 2 ? range.value(1).toInt(&lastOk) : first;
        if (!firstOk || (range.size() == 2 && !lastOk) || range.size() > 2 || first < 1 ||
            last < first || last - first > 100000) {
            throw CliUsageError(QCoreApplication::translate(
                                    "Cli", "--shots must list shot numbers like 1,3-5 (got '%1')")
                                    .arg(text));
        }
        for (int number = first; number <= last; ++number) {
            numbers.push_back(number);
        }
    }
    return numbers;
}

}  // namespace

int runRender(const QCommandLineParser& parser) {
    const QString folder = requireExistingProject(
        requirePositional(parser, QCoreApplication::translate("Cli", "project")));
    const std::vector<int> shots = parseShotList(parser.value(QStringLiteral("shots")));
    if (parser.isSet(QStringLiteral("device"))) {
        requireOneOf(parser.value(QStringLiteral("device")).section(QLatin1Char(':'), 0, 0),
                     QStringLiteral("--device"),
                     {QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda")});
    }
    try {
        project::Project project = project::loadProject(toStdPath(folder));
        const CancelToken never;
        int rendered = 0;
        for (const render::TakeReport& report :
             render::renderAnimaticTakes(project, shots, printProgress, never)) {
            rendered += report.takeId.empty() ? 0 : 1;
            std::printf("%s\n", qPrintable(QCoreApplication::translate("Cli", "Shot %1: %2")
                                               .arg(report.shotNumber)
                                               .arg(QString::fromStdString(report.message))));
        }
        return rendered > 0 ? 0 : 1;
    } catch (const UserError& error) {
        std::fprintf(stderr, "storyreel-cli render: %s\n", error.what());
        return 1;
    }
}

}  // namespace storyreel::app
