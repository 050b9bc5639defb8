#include "app/cli/cli_options.h"
#include "app/cli/cli_support.h"
#include "app/cli/command_handlers.h"
#include "core/base/user_error.h"
#include "core/media/image_check.h"
#include "core/render/animatic_engine.h"
#include "ui/std_path.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace storyreel::app {

using ui::toStdPath;

void configureAnimate(QCommandLineParser& parser) {
    addOption(parser, "prompt", QT_TRANSLATE_NOOP("Cli", "The motion prompt."), "text");
    addOption(parser, "out",
              QT_TRANSLATE_NOOP("Cli", "The MP4 file to write, or a new folder for PNG frames."),
              "file");
    addOption(parser, "seconds", QT_TRANSLATE_NOOP("Cli", "Duration (default 4)."), "n");
    addOption(parser, "frames",
              QT_TRANSLATE_NOOP("Cli", "Number of frames (instead of --seconds)."), "n");
    addOption(parser, "fps", QT_TRANSLATE_NOOP("Cli", "Frame rate (default 24)."), "n");
    addOption(parser, "size",
              QT_TRANSLATE_NOOP("Cli",
                                "Output size, e.g. 1280x720 (default: 720 high, the "
                                "image's shape)."),
              "WxH");
    addOption(parser, "seed", QT_TRANSLATE_NOOP("Cli", "Random seed for shake and drift."), "n");
    addOption(parser, "motion-blur",
              QT_TRANSLATE_NOOP("Cli", "Shutter angle in degrees, e.g. 180 (default: none)."),
              "angle");
    addOption(parser, "life", QT_TRANSLATE_NOOP("Cli", "A subtle breathing zoom on static shots."));
    addOption(parser, "depth",
              QT_TRANSLATE_NOOP("Cli", "A greyscale depth map for parallax (white is near)."),
              "image");
    addOption(parser, "parallax",
              QT_TRANSLATE_NOOP("Cli", "Parallax from an estimated depth (without --depth)."));
}

int runAnimate(const QCommandLineParser& parser) {
    const QString image =
        requireExistingFile(requirePositional(parser, QCoreApplication::translate("Cli", "image")),
                            QCoreApplication::translate("Cli", "image"));
    const QString prompt = requireOption(parser, QStringLiteral("prompt"));
    const QString out = requireWritableTarget(requireOption(parser, QStringLiteral("out")));
    if (parser.isSet(QStringLiteral("seconds")) && parser.isSet(QStringLiteral("frames"))) {
        throw CliUsageError(
            QCoreApplication::translate("Cli", "give either --seconds or --frames, not both"));
    }
    render::RenderRequest request;
    request.image = toStdPath(image);
    request.prompt = prompt.toStdString();
    request.fps =
        parseNumber(parser.value(QStringLiteral("fps")), QStringLiteral("fps"), 1, 240, 24);
    const double seconds = parseNumber(parser.value(QStringLiteral("seconds")),
                                       QStringLiteral("seconds"), 0.1, 600, 4);
    request.frames = parser.isSet(QStringLiteral("frames"))
                         ? static_cast<int>(parseNumber(parser.value(QStringLiteral("frames")),
                                                        QStringLiteral("frames"), 1, 100000, 96))
                         : std::max(1, static_cast<int>(std::lround(seconds * request.fps)));
    request.seed = static_cast<std::int64_t>(parseNumber(
        parser.value(QStringLiteral("seed")), QStringLiteral("seed"), 0, 4294967295.0, 0));
    render::AnimaticExtras extras;
    extras.shutterAngle = parseNumber(parser.value(QStringLiteral("motion-blur")),
                                      QStringLiteral("motion-blur"), 0, 360, 0);
    extras.life = parser.isSet(QStringLiteral("life"));
    if (parser.isSet(QStringLiteral("depth"))) {
        extras.depthMap =
            toStdPath(requireExistingFile(parser.value(QStringLiteral("depth")),
                                          QCoreApplication::translate("Cli", "depth map")));
    }
    extras.estimateDepth = parser.isSet(QStringLiteral("parallax"));
    try {
        const media::ImageHeader header = media::checkImportable(request.image);
        QSize size = parseSize(parser.value(QStringLiteral("size")));
        if (!size.isValid()) {
            // 720 lines high in the picture's own shape, even for the encoder.
            const int width =
                static_cast<int>(std::lround(720.0 * header.width / header.height / 2)) * 2;
            size = QSize(std::clamp(width, 16, 8192), 720);
        }
        request.width = size.width();
        request.height = size.height();
        const render::PromptReading reading = render::readMotionPrompt(request.prompt);
        std::string understood;
        for (const std::string& chip : reading.understood) {
            understood += (understood.empty() ? "" : ", ") + chip;
        }
        std::fprintf(stderr, "%s\n",
                     qPrintable(QCoreApplication::translate("Cli", "Motion: %1")
                                    .arg(QString::fromStdString(understood))));
        if (!reading.ignored.empty()) {
            std::string ignored;
            for (const std::string& word : reading.ignored) {
                ignored += (ignored.empty() ? "" : ", ") + word;
            }
            std::fprintf(stderr, "%s\n",
                         qPrintable(QCoreApplication::translate("Cli", "Ignored words: %1")
                                        .arg(QString::fromStdString(ignored))));
        }
        const CancelToken never;
        render::animateToFile(request, toStdPath(out), extras, printProgress, never);
        std::printf("%s\n", qPrintable(QCoreApplication::translate("Cli", "Wrote %1.").arg(out)));
        return 0;
    } catch (const UserError& error) {
        std::fprintf(stderr, "storyreel-cli animate: %s\n", error.what());
        return 1;
    }
}

}  // namespace storyreel::app
