#include "app/cli/cli_commands.h"

#include "app/cli/cli_options.h"
#include "core/base/user_error.h"
#include "core/media/image_check.h"
#include "core/project/project_builder.h"
#include "core/project/project_loader.h"
#include "core/project/shot_list_csv.h"
#include "core/render/animatic_benchmark.h"
#include "core/render/animatic_engine.h"
#include "core/render/engine_catalog.h"
#include "core/render/export_benchmark.h"
#include "core/render/take_renderer.h"
#include "core/render/timeline_export.h"
#include "core/render/timeline_files.h"
#include "ui/std_path.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

namespace storyreel::app {
namespace {

using ui::toStdPath;

QString translated(const char* text) {
    return QCoreApplication::translate("Cli", text);
}

void addOption(QCommandLineParser& parser, const char* name, const char* description,
               const char* valueName = nullptr) {
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

void printProgress(const Progress& progress);

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

void configureRender(QCommandLineParser& parser) {
    addOption(parser, "shots",
              QT_TRANSLATE_NOOP("Cli", "Shots to render, e.g. 1,3-5 (default: all)."), "list");
    addOption(parser, "device", QT_TRANSLATE_NOOP("Cli", "auto, cpu, cuda or cuda:N."), "device");
}

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

void configureModels(QCommandLineParser& parser) {
    addOption(parser, "dir", QT_TRANSLATE_NOOP("Cli", "The models folder to look in."), "dir");
}

int runModels(const QCommandLineParser& parser) {
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        throw CliUsageError(
            QCoreApplication::translate("Cli", "unexpected argument '%1'").arg(positional.at(1)));
    }
    requireOneOf(positional.value(0, QStringLiteral("list")), QStringLiteral("action"),
                 {QStringLiteral("list"), QStringLiteral("check")});
    if (parser.isSet(QStringLiteral("dir"))) {
        requireExistingFolder(parser.value(QStringLiteral("dir")),
                              QCoreApplication::translate("Cli", "models folder"));
    }
    return notAvailableYet("models", QCoreApplication::translate("Cli", "managing model files"));
}

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

}  // namespace

const std::vector<CliCommand>& cliCommands() {
    static const std::vector<CliCommand> commands = {
        {"new", QT_TRANSLATE_NOOP("Cli", "Create a project from images or a CSV shot list."),
         "PROJECT",
         QT_TRANSLATE_NOOP("Cli", "The NAME.storyreel folder to create, then the images."),
         configureNew, runNew},
        {"animate", QT_TRANSLATE_NOOP("Cli", "Animate one image with the Animatic engine."),
         "IMAGE", QT_TRANSLATE_NOOP("Cli", "The still image to animate."), configureAnimate,
         runAnimate},
        {"render", QT_TRANSLATE_NOOP("Cli", "Render takes for a project's Animatic shots."),
         "PROJECT", QT_TRANSLATE_NOOP("Cli", "The NAME.storyreel project folder."), configureRender,
         runRender},
        {"export", QT_TRANSLATE_NOOP("Cli", "Export the timeline as video or editor files."),
         "PROJECT", QT_TRANSLATE_NOOP("Cli", "The NAME.storyreel project folder."), configureExport,
         runExport},
        {"models", QT_TRANSLATE_NOOP("Cli", "List and check installed model files."), "[ACTION]",
         QT_TRANSLATE_NOOP("Cli", "list (the default) or check."), configureModels, runModels},
        {"bench", QT_TRANSLATE_NOOP("Cli", "Run a benchmark and print a table."), "NAME",
         QT_TRANSLATE_NOOP("Cli", "What to measure: export or animatic."), configureBench,
         runBench},
    };
    return commands;
}

const CliCommand* findCliCommand(const QString& name) {
    for (const CliCommand& command : cliCommands()) {
        if (name == QLatin1String(command.name)) {
            return &command;
        }
    }
    return nullptr;
}

}  // namespace storyreel::app
