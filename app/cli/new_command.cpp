#include "app/cli/cli_options.h"
#include "app/cli/cli_support.h"
#include "app/cli/command_handlers.h"
#include "core/base/user_error.h"
#include "core/media/image_check.h"
#include "core/project/project_builder.h"
#include "core/project/shot_list_csv.h"
#include "ui/std_path.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>
#include <filesystem>
#include <vector>

namespace storyreel::app {

using ui::toStdPath;

void configureNew(QCommandLineParser& parser) {
    addOption(
        parser, "shots",
        QT_TRANSLATE_NOOP("Cli", "A CSV shot list: image,prompt,preset,seconds[,seed,negative]."),
        "csv");
    addOption(parser, "title", QT_TRANSLATE_NOOP("Cli", "The project's title."), "text");
    addOption(parser, "fps", QT_TRANSLATE_NOOP("Cli", "Frame rate (default 24)."), "n");
    addOption(parser, "size", QT_TRANSLATE_NOOP("Cli", "Output size, e.g. 1280x720."), "WxH");
    addOption(parser, "preset", QT_TRANSLATE_NOOP("Cli", "Default preset for the shots."), "id");
    addOption(parser, "seconds",
              QT_TRANSLATE_NOOP("Cli", "Duration of shots that do not say (default 4)."), "n");
}

namespace {

project::NewProjectOptions newProjectOptions(const QCommandLineParser& parser) {
    project::NewProjectOptions options;
    options.title = parser.value(QStringLiteral("title")).toStdString();
    options.fps =
        parseNumber(parser.value(QStringLiteral("fps")), QStringLiteral("fps"), 1, 240, 24);
    const QSize size = parseSize(parser.value(QStringLiteral("size")));
    if (size.isValid()) {
        options.width = size.width();
        options.height = size.height();
    }
    if (parser.isSet(QStringLiteral("preset"))) {
        options.defaultPreset = requireOneOf(parser.value(QStringLiteral("preset")),
                                             QStringLiteral("--preset"), presetIds())
                                    .toStdString();
    }
    options.secondsPerShot = parseNumber(parser.value(QStringLiteral("seconds")),
                                         QStringLiteral("seconds"), 0.1, 600, 4);
    return options;
}

}  // namespace

int runNew(const QCommandLineParser& parser) {
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        throw CliUsageError(
            QCoreApplication::translate("Cli", "missing %1").arg(QStringLiteral("PROJECT")));
    }
    const QStringList images = positional.mid(1);
    const bool fromList = parser.isSet(QStringLiteral("shots"));
    if (fromList == !images.isEmpty()) {
        throw CliUsageError(
            QCoreApplication::translate("Cli", "give either images or --shots, not both"));
    }
    const project::NewProjectOptions options = newProjectOptions(parser);
    std::vector<project::ShotSource> shots;
    try {
        if (fromList) {
            shots = project::readShotListCsv(
                toStdPath(requireExistingFile(parser.value(QStringLiteral("shots")),
                                              QCoreApplication::translate("Cli", "shot list"))));
        } else {
            std::vector<std::filesystem::path> files;
            for (const QString& image : images) {
                files.push_back(toStdPath(
                    requireExistingFile(image, QCoreApplication::translate("Cli", "image"))));
            }
            shots = project::shotsFromImages(files);
        }
        const project::Project made = project::createProject(
            toStdPath(positional.first()), shots, options,
            [](const std::filesystem::path& image) { media::checkImportable(image); });
        const int seconds = static_cast<int>(made.totalSeconds() + 0.5);
        std::printf("%s\n", qPrintable(QCoreApplication::translate(
                                           "Cli", "Created %1 (shots: %2, length %3:%4).")
                                           .arg(positional.first())
                                           .arg(made.shots.size())
                                           .arg(seconds / 60)
                                           .arg(seconds % 60, 2, 10, QLatin1Char('0'))));
        return 0;
    } catch (const UserError& error) {
        std::fprintf(stderr, "storyreel-cli new: %s\n", error.what());
        return 1;
    }
}

}  // namespace storyreel::app
