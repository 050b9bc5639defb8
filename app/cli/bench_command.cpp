#include "app/cli/cli_options.h"
#include "app/cli/cli_support.h"
#include "app/cli/command_handlers.h"
#include "core/base/user_error.h"
#include "core/render/animatic_benchmark.h"
#include "core/render/export_benchmark.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

namespace storyreel::app {

void configureBench(QCommandLineParser& parser) {
    addOption(parser, "size", QT_TRANSLATE_NOOP("Cli", "Frame size, e.g. 1280x720."), "WxH");
    addOption(parser, "seconds", QT_TRANSLATE_NOOP("Cli", "Length of the test video (default 10)."),
              "n");
}

int runBench(const QCommandLineParser& parser) {
    const QString name = requireOneOf(
        requirePositional(parser, QCoreApplication::translate("Cli", "benchmark name")),
        QStringLiteral("benchmark"), {QStringLiteral("export"), QStringLiteral("animatic")});
    const QSize size = parseSize(parser.value(QStringLiteral("size")));
    if (name == QLatin1String("animatic")) {
        render::AnimaticBenchmarkOptions animatic;
        if (size.isValid()) {
            animatic.width = size.width();
            animatic.height = size.height();
        }
        animatic.seconds = parseNumber(parser.value(QStringLiteral("seconds")),
                                       QStringLiteral("seconds"), 0.5, 120, animatic.seconds);
        try {
            std::fputs(render::runAnimaticBenchmark(animatic).c_str(), stdout);
            return 0;
        } catch (const UserError& error) {
            std::fprintf(stderr, "storyreel-cli bench: %s\n", error.what());
            return 1;
        }
    }
    render::ExportBenchmarkOptions options;
    if (size.isValid()) {
        options.width = size.width();
        options.height = size.height();
    }
    options.seconds = parseNumber(parser.value(QStringLiteral("seconds")),
                                  QStringLiteral("seconds"), 0.5, 120, options.seconds);
    try {
        std::fputs(render::runExportBenchmark(options).c_str(), stdout);
        return 0;
    } catch (const UserError& error) {
        std::fprintf(stderr, "storyreel-cli bench: %s\n", error.what());
        return 1;
    }
}

}  // namespace storyreel::app
