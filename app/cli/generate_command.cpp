// storyreel-cli generate --engine wan --models DIR --image IMG --prompt TEXT --out FILE:
// one clip from one image with a neural engine (Wan 2.1 I2V; HunyuanVideo-I2V later), the
// way the Quality and Fast (Wan) presets render a shot. The final latents are kept beside
// the output (FILE.latents.safetensors) until the clip is written, so running the same
// command again after a failed decode skips the denoising.
#include "app/cli/cli_options.h"
#include "app/cli/cli_support.h"
#include "app/cli/command_handlers.h"
#include "core/base/user_error.h"
#include "core/render/frames_writer.h"
#include "core/render/wan_engine.h"
#include "ui/std_path.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

namespace storyreel::app {

using ui::toStdPath;

namespace {

// "FILE" or "FILE:STRENGTH" (the strength after the last colon, when it is a number).
render::LoraRef parseLora(const QString& value) {
    render::LoraRef lora;
    QString file = value;
    const qsizetype colon = value.lastIndexOf(QLatin1Char(':'));
    if (colon > 0) {
        bool isNumber = false;
        const double strength = value.mid(colon + 1).toDouble(&isNumber);
        if (isNumber) {
            if (strength < -10.0 || strength > 10.0) {
                throw CliUsageError(QCoreApplication::translate(
                                        "Cli", "LoRA strength must be between -10 and 10: %1")
                                        .arg(value));
            }
            lora.strength = strength;
            file = value.left(colon);
        }
    }
    lora.file = toStdPath(requireExistingFile(file, QCoreApplication::translate("Cli", "LoRA")));
    return lora;
}

// 480p and 720p are generate.py's pixel budgets (832*480, 1280*720); WxH is any other.
QSize parseBudget(const QString& value) {
    if (value.isEmpty() || value == QLatin1String("480p")) {
        return {832, 480};
    }
    if (value == QLatin1String("720p")) {
        return {1280, 720};
    }
    return parseSize(value);
}

// Steps of denoising with the time left, loading and decoding, on one line of stderr.
void printGenerateProgress(const Progress& progress) {
    using Clock = std::chrono::steady_clock;
    static Clock::time_point shown;
    const auto now = Clock::now();
    const bool edge = progress.step == 0 || progress.step == progress.steps;
    if (!edge && now - shown < std::chrono::milliseconds(250)) {
        return;
    }
    shown = now;
    QString line;
    switch (progress.phase) {
        case Phase::Loading:
            line = QCoreApplication::translate("Cli", "loading the models…");
            break;
        case Phase::Encoding:
            line = QCoreApplication::translate("Cli", "encoding the prompt and the image %1/%2")
                       .arg(progress.step)
                       .arg(progress.steps);
            break;
        case Phase::Denoising:
            line = progress.etaSeconds >= 0
                       ? QCoreApplication::translate("Cli", "step %1/%2 · %3 s left")
                             .arg(progress.step)
                             .arg(progress.steps)
                             .arg(progress.etaSeconds, 0, 'f', 0)
                       : QCoreApplication::translate("Cli", "step %1/%2")
                             .arg(progress.step)
                             .arg(progress.steps);
            break;
        case Phase::Decoding:
            line = QCoreApplication::translate("Cli", "decoding the video…");
            break;
        case Phase::Muxing:
            break;
    }
    std::fprintf(stderr, "\r%-60s%s", qPrintable(line),
                 progress.phase == Phase::Decoding && progress.step == progress.steps ? "\n" : "");
}

}  // namespace

void configureGenerate(QCommandLineParser& parser) {
    addOption(parser, "engine", QT_TRANSLATE_NOOP("Cli", "The engine: wan (default) or hunyuan."),
              "name");
    addOption(parser, "preset",
              QT_TRANSLATE_NOOP("Cli",
                                "quality (default) or fast-wan (4 steps with the "
                                "step-distillation LoRA)."),
              "id");
    addOption(parser, "models",
              QT_TRANSLATE_NOOP("Cli", "The models folder (default: $STORYREEL_MODELS_DIR)."),
              "folder");
    addOption(parser, "image", QT_TRANSLATE_NOOP("Cli", "The still image to animate."), "file");
    addOption(parser, "prompt", QT_TRANSLATE_NOOP("Cli", "What happens in the shot."), "text");
    addOption(parser, "negative",
              QT_TRANSLATE_NOOP("Cli", "What to avoid (default: Wan's own negative prompt)."),
              "text");
    addOption(parser, "frames",
              QT_TRANSLATE_NOOP("Cli", "Number of frames, 4n+1 (default 81, 5 s at 16 fps)."), "n");
    addOption(parser, "size",
              QT_TRANSLATE_NOOP("Cli",
                                "Pixel budget: 480p (default), 720p or WxH; the video keeps the "
                                "image's shape."),
              "size");
    addOption(parser, "steps", QT_TRANSLATE_NOOP("Cli", "Denoising steps (default: the preset's)."),
              "n");
    addOption(parser, "guidance",
              QT_TRANSLATE_NOOP("Cli", "Classifier-free guidance (default: the preset's)."), "g");
    addOption(parser, "shift",
              QT_TRANSLATE_NOOP("Cli", "Flow shift (default 3 at 480p, 5 above; 5 for fast-wan)."),
              "s");
    addOption(parser, "sampler", QT_TRANSLATE_NOOP("Cli", "unipc (default), dpm++ or euler."),
              "name");
    addOption(parser, "seed", QT_TRANSLATE_NOOP("Cli", "Random seed (default 0)."), "n");
    addOption(parser, "profile",
              QT_TRANSLATE_NOOP("Cli",
                                "Memory profile: auto (default), 8gb, 12gb, 16gb, 24gb, 48gb, "
                                "80gb or cpu."),
              "name");
    addOption(parser, "device", QT_TRANSLATE_NOOP("Cli", "auto (default), cpu, cuda or cuda:N."),
              "name");
    addOption(parser, "lora",
              QT_TRANSLATE_NOOP("Cli", "A LoRA file, optionally :STRENGTH (repeatable)."),
              "file[:strength]");
    addOption(parser, "out",
              QT_TRANSLATE_NOOP("Cli",
                                "The MP4 (or lossless .mkv) to write, or a new folder for PNG "
                                "frames."),
              "file");
}

int runGenerate(const QCommandLineParser& parser) {
    const QString engine =
        parser.isSet(QStringLiteral("engine"))
            ? requireOneOf(parser.value(QStringLiteral("engine")), QStringLiteral("--engine"),
                           {QStringLiteral("wan"), QStringLiteral("hunyuan")})
            : QStringLiteral("wan");
    if (engine == QLatin1String("hunyuan")) {
        return notAvailableYet(
            "generate",
            QCoreApplication::translate("Cli", "the HunyuanVideo-I2V engine (--engine hunyuan)"));
    }
    const QString preset =
        parser.isSet(QStringLiteral("preset"))
            ? requireOneOf(parser.value(QStringLiteral("preset")), QStringLiteral("--preset"),
                           {QStringLiteral("quality"), QStringLiteral("fast-wan")})
            : QStringLiteral("quality");
    const QString image = requireExistingFile(requireOption(parser, QStringLiteral("image")),
                                              QCoreApplication::translate("Cli", "image"));
    const QString prompt = requireOption(parser, QStringLiteral("prompt"));
    const QString out = requireWritableTarget(requireOption(parser, QStringLiteral("out")));
    std::filesystem::path models = render::modelsDirFromEnvironment();
    if (parser.isSet(QStringLiteral("models"))) {
        models =
            toStdPath(requireExistingFolder(parser.value(QStringLiteral("models")),
                                            QCoreApplication::translate("Cli", "models folder")));
    }
    if (models.empty()) {
        throw CliUsageError(QCoreApplication::translate(
            "Cli", "missing --models (or set STORYREEL_MODELS_DIR to the models folder)"));
    }
    const QSize budget = parseBudget(parser.value(QStringLiteral("size")));
    render::RenderRequest request = render::wanPresetRequest(preset.toStdString());
    request.image = toStdPath(image);
    request.prompt = prompt.toStdString();
    request.negativePrompt = parser.value(QStringLiteral("negative")).toStdString();
    request.width = budget.width();
    request.height = budget.height();
    if (preset == QLatin1String("quality") && budget != QSize(832, 480)) {
        request.shift = 5.0;  // generate.py: 3 only for 480p
    }
    const int frames = static_cast<int>(parseNumber(
        parser.value(QStringLiteral("frames")), QStringLiteral("frames"), 1, 1001, request.frames));
    if ((frames - 1) % 4 != 0) {
        throw CliUsageError(QCoreApplication::translate(
                                "Cli", "--frames must be 4n+1 (for example 49 or 81), not %1")
                                .arg(frames));
    }
    request.frames = frames;
    request.steps = static_cast<int>(parseNumber(parser.value(QStringLiteral("steps")),
                                                 QStringLiteral("steps"), 1, 1000, request.steps));
    request.guidance = parseNumber(parser.value(QStringLiteral("guidance")),
                                   QStringLiteral("guidance"), 0, 100, request.guidance);
    request.shift = parseNumber(parser.value(QStringLiteral("shift")), QStringLiteral("shift"),
                                0.01, 100, request.shift);
    if (parser.isSet(QStringLiteral("sampler"))) {
        request.sampler =
            requireOneOf(
                parser.value(QStringLiteral("sampler")), QStringLiteral("--sampler"),
                {QStringLiteral("unipc"), QStringLiteral("dpm++"), QStringLiteral("euler")})
                .toStdString();
    }
    request.seed = static_cast<std::int64_t>(parseNumber(
        parser.value(QStringLiteral("seed")), QStringLiteral("seed"), 0, 4294967295.0, 0));
    request.memoryProfile = parser.isSet(QStringLiteral("profile"))
                                ? parser.value(QStringLiteral("profile")).toStdString()
                                : std::string("auto");
    if (parser.isSet(QStringLiteral("device"))) {
        request.device = parser.value(QStringLiteral("device")).toStdString();
    }
    for (const QString& value : parser.values(QStringLiteral("lora"))) {
        request.loras.push_back(parseLora(value));
    }
    const std::filesystem::path target = toStdPath(out);
    request.latentFile = target;
    request.latentFile += ".latents.safetensors";
    try {
        render::WanEngine wan({models, preset.toStdString()});
        const CancelToken never;
        const render::Frames result = wan.render(request, printGenerateProgress, never);
        if (wan.lastResumedFromLatents()) {
            std::fprintf(stderr, "%s\n",
                         qPrintable(QCoreApplication::translate(
                             "Cli", "Decoded the saved latents of an earlier run; no denoising.")));
        }
        render::writeFrames(
            result, target,
            {{"title", request.image.stem().string()},
             {"comment", "AI-generated video: made by Storyreel with Wan 2.1 I2V 14B (" +
                             preset.toStdString() + ")."},
             {"storyreel_prompt", request.prompt},
             {"storyreel_seed", std::to_string(request.seed)}});
        std::error_code ignored;
        std::filesystem::remove(request.latentFile, ignored);
        std::printf("%s\n",
                    qPrintable(QCoreApplication::translate("Cli", "Wrote %1 (%2 frames, %3x%4).")
                                   .arg(out)
                                   .arg(result.frames.size())
                                   .arg(result.frames.front().width)
                                   .arg(result.frames.front().height)));
        return 0;
    } catch (const UserError& error) {
        std::fprintf(stderr, "\nstoryreel-cli generate: %s\n", error.what());
        return 1;
    }
}

}  // namespace storyreel::app
