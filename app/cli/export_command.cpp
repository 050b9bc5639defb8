#include "app/cli/cli_options.h"
#include "app/cli/cli_support.h"
#include "app/cli/command_handlers.h"
#include "core/base/user_error.h"
#include "core/project/project_loader.h"
#include "core/render/timeline_export.h"
#include "core/render/timeline_files.h"
#include "ui/std_path.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

#include <cstdio>
#include <map>

namespace storyreel::app {

using ui::toStdPath;

void configureExport(QCommandLineParser& parser) {
    addOption(parser, "out", QT_TRANSLATE_NOOP("Cli", "The file to write."), "file");
    addOption(parser, "format", QT_TRANSLATE_NOOP("Cli", "mp4, png, mlt, edl, fcpxml or otio."),
              "format");
    addOption(parser, "size", QT_TRANSLATE_NOOP("Cli", "Output size, e.g. 1920x1080."), "WxH");
    addOption(parser, "fps", QT_TRANSLATE_NOOP("Cli", "Output frame rate."), "n");
    addOption(parser, "per-shot", QT_TRANSLATE_NOOP("Cli", "Also write one clip per shot here."),
              "dir");
    addOption(parser, "placeholders",
              QT_TRANSLATE_NOOP("Cli", "Use the still image for shots without a take."));
    addOption(parser, "crf",
              QT_TRANSLATE_NOOP("Cli", "H.264 quality, 0-51 (default 18, lower is better)."), "n");
    addOption(parser, "preset",
              QT_TRANSLATE_NOOP("Cli", "x264 speed: ultrafast ... veryslow (default medium)."),
              "name");
    addOption(parser, "fps-method",
              QT_TRANSLATE_NOOP("Cli", "Takes at another rate: repeat, blend or motion (default)."),
              "method");
}

namespace {

// --format defaults to what the output's extension says: film.otio -> otio.
QString formatFromExtension(const QString& out) {
    const QString suffix = QFileInfo(out).suffix().toLower();
    for (const char* known : {"mlt", "edl", "fcpxml", "otio", "png"}) {
        if (suffix == QLatin1String(known)) {
            return suffix;
        }
    }
    return QStringLiteral("mp4");
}

}  // namespace

int runExport(const QCommandLineParser& parser) {
    const QString folder = requireExistingProject(
        requirePositional(parser, QCoreApplication::translate("Cli", "project")));
    const QString out = requireWritableTarget(requireOption(parser, QStringLiteral("out")));
    const QString format =
        parser.isSet(QStringLiteral("format"))
            ? requireOneOf(
                  parser.value(QStringLiteral("format")), QStringLiteral("--format"),
                  {QStringLiteral("mp4"), QStringLiteral("png"), QStringLiteral("mlt"),
                   QStringLiteral("edl"), QStringLiteral("fcpxml"), QStringLiteral("otio")})
            : formatFromExtension(out);
    const QSize size = parseSize(parser.value(QStringLiteral("size")));
    const double fps =
        parseNumber(parser.value(QStringLiteral("fps")), QStringLiteral("fps"), 1, 240, 0);
    const QString perShot = parser.value(QStringLiteral("per-shot"));
    if (!perShot.isEmpty()) {
        requireExistingFolder(perShot, QCoreApplication::translate("Cli", "folder"));
    }
    if (format != QLatin1String("mp4") && format != QLatin1String("png")) {
        const std::map<QString, render::TimelineFormat> formats = {
            {QStringLiteral("mlt"), render::TimelineFormat::Mlt},
            {QStringLiteral("edl"), render::TimelineFormat::Edl},
            {QStringLiteral("fcpxml"), render::TimelineFormat::Fcpxml},
            {QStringLiteral("otio"), render::TimelineFormat::Otio}};
        try {
            render::writeTimelineFile(project::loadProject(toStdPath(folder)), toStdPath(out),
                                      formats.at(format),
                                      parser.isSet(QStringLiteral("placeholders")));
            std::printf("%s\n",
                        qPrintable(QCoreApplication::translate("Cli", "Wrote %1.").arg(out)));
            return 0;
        } catch (const UserError& error) {
            std::fprintf(stderr, "storyreel-cli export: %s\n", error.what());
            return 1;
        }
    }
    render::TimelineExportOptions options;
    options.usePlaceholders = parser.isSet(QStringLiteral("placeholders"));
    options.crf = static_cast<int>(
        parseNumber(parser.value(QStringLiteral("crf")), QStringLiteral("crf"), 0, 51, 18));
    if (parser.isSet(QStringLiteral("preset"))) {
        options.preset =
            requireOneOf(parser.value(QStringLiteral("preset")), QStringLiteral("--preset"),
                         {QStringLiteral("ultrafast"), QStringLiteral("superfast"),
                          QStringLiteral("veryfast"), QStringLiteral("faster"),
                          QStringLiteral("fast"), QStringLiteral("medium"), QStringLiteral("slow"),
                          QStringLiteral("slower"), QStringLiteral("veryslow")})
                .toStdString();
    }
    if (parser.isSet(QStringLiteral("fps-method"))) {
        const QString method = requireOneOf(
            parser.value(QStringLiteral("fps-method")), QStringLiteral("--fps-method"),
            {QStringLiteral("repeat"), QStringLiteral("blend"), QStringLiteral("motion")});
        options.frameRateMethod = method == QLatin1String("repeat") ? media::FrameRateMethod::Repeat
                                  : method == QLatin1String("blend")
                                      ? media::FrameRateMethod::Blend
                                      : media::FrameRateMethod::MotionCompensated;
    }
    options.width = size.isValid() ? size.width() : 0;
    options.height = size.isValid() ? size.height() : 0;
    options.fps = fps;
    try {
        const project::Project project = project::loadProject(toStdPath(folder));
        const CancelToken never;
        if (format == QLatin1String("png")) {
            render::exportTimelinePngs(project, toStdPath(out), options, printProgress, never);
        } else {
            render::exportTimelineMp4(project, toStdPath(out), options, printProgress, never);
        }
        if (!perShot.isEmpty()) {
            render::exportShotClips(project, toStdPath(perShot), options, printProgress, never);
        }
        std::printf("%s\n", qPrintable(QCoreApplication::translate("Cli", "Wrote %1.").arg(out)));
        return 0;
    } catch (const UserError& error) {
        std::fprintf(stderr, "storyreel-cli export: %s\n", error.what());
        return 1;
    }
}

}  // namespace storyreel::app
