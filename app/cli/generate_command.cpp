// storyreel-cli generate --engine wan|hunyuan --models DIR --image IMG --prompt TEXT --out
// FILE: one clip from one image with a neural engine (Wan 2.1 I2V for the Quality and Fast
// (Wan) presets, HunyuanVideo-I2V for Fast), the way the presets render a shot. The final latents
// are kept beside the output (FILE.latents.safetensors) until the clip is written, so running the
// same command again after a failed decode skips the denoising.
#include "app/cli/cli_options.h"
#include "app/cli/cli_support.h"
#include "app/cli/command_handlers.h"
#include "core/base/user_error.h"
#include "core/render/frames_writer.h"
#include "core/render/hunyuan_engine.h"
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
                                "Wan: quality (default) or fast-wan (4 steps with the "
                                "step-distillation LoRA); HunyuanVideo: fast."),
              "id");
    addOption(parser, "models",
              QT_TRANSLATE_NOOP("Cli", "The models folder (default: $STORYREEL_MODELS_DIR)."),
              "folder");
    addOption(parser, "image", QT_TRANSLATE_NOOP("Cli", "The still image to animate."), "file");
    addOption(parser, "prompt", QT_TRANSLATE_NOOP("Cli", "What happens in the shot."), "text");
    addOption(parser, "negative",
              QT_TRANSLATE_NOOP("Cli",
                                "What to avoid (default: the model's own negative prompt; "
                                "HunyuanVideo uses it only with --guidance above 1)."),
              "text");
    addOption(parser, "frames",
              QT_TRANSLATE_NOOP("Cli",
                                "Number of frames, 4n+1 (Wan: default 81, 5 s at 16 fps; "
                                "HunyuanVideo: default 129, 5.4 s at 24 fps)."),
              "n");
    addOption(parser, "size",
              QT_TRANSLATE_NOOP("Cli",
                                "Wan: the pixel budget, 480p (default), 720p or WxH; "
                                "HunyuanVideo: 360p, 540p or 720p (default). The video keeps "
                                "the image's shape."),
              "size");
    addOption(parser, "steps", QT_TRANSLATE_NOOP("Cli", "Denoising steps (default: the preset's)."),
              "n");
    addOption(parser, "guidance",
              QT_TRANSLATE_NOOP("Cli",
                                "Classifier-free guidance (default: the preset's; 1 for "
                                "HunyuanVideo, which has embedded guidance)."),
              "g");
    addOption(parser, "shift",
              QT_TRANSLATE_NOOP("Cli",
                                "Flow shift (Wan: 3 at 480p, 5 above, 5 for fast-wan; "
                                "HunyuanVideo: 7 stable, 17 dynamic)."),
              "s");
    addOption(parser, "sampler", QT_TRANSLATE_NOOP("Cli", "Wan: unipc (default), dpm++ or euler."),
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
              QT_TRANSLATE_NOOP("Cli", "Wan: a LoRA file, optionally :STRENGTH (repeatable)."),
              "file[:strength]");
    addOption(parser, "embedded-guidance",
              QT_TRANSLATE_NOOP("Cli", "HunyuanVideo: the embedded guidance (default 6)."), "g");
    addOption(parser, "mode",
              QT_TRANSLATE_NOOP("Cli",
                                "HunyuanVideo: stable (default: less motion, shift 7) or dynamic "
                                "(more motion, shift 17)."),
              "name");
    addOption(parser, "accept-license",
              QT_TRANSLATE_NOOP("Cli",
                                "HunyuanVideo: confirm that the Tencent Hunyuan Community License "
                                "covers you (it excludes the European Union, the United Kingdom "
                                "and South Korea)."));
    addOption(parser, "out",
              QT_TRANSLATE_NOOP("Cli",
                                "The MP4 (or lossless .mkv) to write, or a new folder for PNG "
                                "frames."),
              "file");
}

namespace {

// What both engines take the same way: the files, the prompt, frames, seed, profile, device.
struct GenerateCommon {
    std::filesystem::path models;
    std::filesystem::path target;
    QString out;
};

GenerateCommon readCommon(const QCommandLineParser& parser, render::RenderRequest& request) {
    GenerateCommon common;
    const QString image = requireExistingFile(requireOption(parser, QStringLiteral("image")),
                                              QCoreApplication::translate("Cli", "image"));
    const QString prompt = requireOption(parser, QStringLiteral("prompt"));
    common.out = requireWritableTarget(requireOption(parser, QStringLiteral("out")));
    common.models = render::modelsDirFromEnvironment();
    if (parser.isSet(QStringLiteral("models"))) {
        common.models =
            toStdPath(requireExistingFolder(parser.value(QStringLiteral("models")),
                                            QCoreApplication::translate("Cli", "models folder")));
    }
    if (common.models.empty()) {
        throw CliUsageError(QCoreApplication::translate(
            "Cli", "missing --models (or set STORYREEL_MODELS_DIR to the models folder)"));
    }
    request.image = toStdPath(image);
    request.prompt = prompt.toStdString();
    request.negativePrompt = parser.value(QStringLiteral("negative")).toStdString();
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
    request.seed = static_cast<std::int64_t>(parseNumber(
        parser.value(QStringLiteral("seed")), QStringLiteral("seed"), 0, 4294967295.0, 0));
    request.memoryProfile = parser.isSet(QStringLiteral("profile"))
                                ? parser.value(QStringLiteral("profile")).toStdString()
                                : std::string("auto");
    if (parser.isSet(QStringLiteral("device"))) {
        request.device = parser.value(QStringLiteral("device")).toStdString();
    }
    common.target = toStdPath(common.out);
    request.latentFile = common.target;
    request.latentFile += ".latents.safetensors";
    return common;
}

// Renders with `engine`, writes the clip and says so.
template <typename EngineType>
int renderAndWrite(EngineType& engine, const render::RenderRequest& request,
                   const GenerateCommon& common, const std::string& model) {
    try {
        const CancelToken never;
        const render::Frames result = engine.render(request, printGenerateProgress, never);
        if (engine.lastResumedFromLatents()) {
            std::fprintf(stderr, "%s\n",
                         qPrintable(QCoreApplication::translate(
                             "Cli", "Decoded the saved latents of an earlier run; no denoising.")));
        }
        render::writeFrames(
            result, common.target,
            {{"title", request.image.stem().string()},
             {"comment", "AI-generated video: made by Storyreel with " + model + "."},
             {"storyreel_prompt", request.prompt},
             {"storyreel_seed", std::to_string(request.seed)}});
        std::error_code ignored;
        std::filesystem::remove(request.latentFile, ignored);
        std::printf("%s\n",
                    qPrintable(QCoreApplication::translate("Cli", "Wrote %1 (%2 frames, %3x%4).")
                                   .arg(common.out)
                                   .arg(result.frames.size())
                                   .arg(result.frames.front().width)
                                   .arg(result.frames.front().height)));
        return 0;
    } catch (const UserError& error) {
        std::fprintf(stderr, "\nstoryreel-cli generate: %s\n", error.what());
        return 1;
    }
}

int runGenerateHunyuan(const QCommandLineParser& parser) {
    render::RenderRequest request = render::hunyuanPresetRequest();
    if (parser.isSet(QStringLiteral("preset")) &&
        parser.value(QStringLiteral("preset")) != QLatin1String("fast")) {
        throw CliUsageError(
            QCoreApplication::translate("Cli", "--engine hunyuan runs the preset fast only"));
    }
    if (parser.isSet(QStringLiteral("lora")) || parser.isSet(QStringLiteral("sampler"))) {
        throw CliUsageError(
            QCoreApplication::translate("Cli", "--lora and --sampler are for --engine wan"));
    }
    const GenerateCommon common = readCommon(parser, request);
    if (parser.isSet(QStringLiteral("size"))) {
        request.resolution =
            requireOneOf(parser.value(QStringLiteral("size")), QStringLiteral("--size"),
                         {QStringLiteral("360p"), QStringLiteral("540p"), QStringLiteral("720p")})
                .toStdString();
    }
    if (parser.isSet(QStringLiteral("mode"))) {
        request.stableMotion =
            requireOneOf(parser.value(QStringLiteral("mode")), QStringLiteral("--mode"),
                         {QStringLiteral("stable"), QStringLiteral("dynamic")}) ==
            QLatin1String("stable");
        request.shift = request.stableMotion ? 7.0 : 17.0;
    }
    request.shift = parseNumber(parser.value(QStringLiteral("shift")), QStringLiteral("shift"),
                                0.01, 100, request.shift);
    request.guidance = parseNumber(parser.value(QStringLiteral("guidance")),
                                   QStringLiteral("guidance"), 0, 100, request.guidance);
    request.embeddedGuidance =
        parseNumber(parser.value(QStringLiteral("embedded-guidance")),
                    QStringLiteral("embedded-guidance"), 0, 100, request.embeddedGuidance);
    render::HunyuanEngine hunyuan({common.models, parser.isSet(QStringLiteral("accept-license"))});
    return renderAndWrite(hunyuan, request, common, "HunyuanVideo-I2V (fast)");
}

}  // namespace

int runGenerate(const QCommandLineParser& parser) {
    const QString engine =
        parser.isSet(QStringLiteral("engine"))
            ? requireOneOf(parser.value(QStringLiteral("engine")), QStringLiteral("--engine"),
                           {QStringLiteral("wan"), QStringLiteral("hunyuan")})
            : QStringLiteral("wan");
    if (engine == QLatin1String("hunyuan")) {
        return runGenerateHunyuan(parser);
    }
    for (const char* option : {"embedded-guidance", "mode", "accept-license"}) {
        if (parser.isSet(QString::fromLatin1(option))) {
            throw CliUsageError(QCoreApplication::translate("Cli", "--%1 is for --engine hunyuan")
                                    .arg(QString::fromLatin1(option)));
        }
    }
    const QString preset =
        parser.isSet(QStringLiteral("preset"))
            ? requireOneOf(parser.value(QStringLiteral("preset")), QStringLiteral("--preset"),
                           {QStringLiteral("quality"), QStringLiteral("fast-wan")})
            : QStringLiteral("quality");
    render::RenderRequest request = render::wanPresetRequest(preset.toStdString());
    const GenerateCommon common = readCommon(parser, request);
    const QSize budget = parseBudget(parser.value(QStringLiteral("size")));
    request.width = budget.width();
    request.height = budget.height();
    if (preset == QLatin1String("quality") && budget != QSize(832, 480)) {
        request.shift = 5.0;  // generate.py: 3 only for 480p
    }
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
    for (const QString& value : parser.values(QStringLiteral("lora"))) {
        request.loras.push_back(parseLora(value));
    }
    render::WanEngine wan({common.models, preset.toStdString()});
    return renderAndWrite(wan, request, common, "Wan 2.1 I2V 14B (" + preset.toStdString() + ")");
}

}  // namespace storyreel::app
