// storyreel-cli generate on tiny random-weight models in every layout users download:
// --engine wan on Wan 2.1 I2V (tests/core/infer/wan/tiny_wan_layouts.h, written by the
// storyreel_tiny_wan_models tool: official sharded safetensors + .pth, ComfyUI repackaged
// fp16/bf16/scaled fp8, diffusers, GGUF Q8_0/Q4_K) and --engine hunyuan on HunyuanVideo-I2V
// (tests/core/infer/hunyuan/tiny_hunyuan_layouts.h: official .pt files and transformers
// folders, ComfyUI's split files, diffusers, GGUF Q8_0/Q4_K DiTs). Each layout makes its 5
// frames twice as PNG, the same frames both times (the seed fixes everything), and once as
// an MP4 that carries them; the layouts that hold the official values give exactly the
// official layout's frames, the ones that round the weights give frames close to them.
// The MP4's bytes are not compared between runs: libx264 is not bit-reproducible on
// AVX-512 CPUs (core/media/video_encoder.h).
#include "tests/app/support/run_program.h"

#include <QFile>
#include <QProcess>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#if defined(STORYREEL_TINY_WAN_MODELS) || defined(STORYREEL_TINY_HUNYUAN_MODELS)
using storyreel::test::freshFolder;
using storyreel::test::runProgram;

namespace {

const QString kCli = QStringLiteral(STORYREEL_CLI);

// A valid 2x2 RGB PNG (cli_test.cpp's), so the test needs no image library.
void writeStill(const QString& path) {
    static const char kPng[] =
        "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x02\x00"
        "\x00\x00\x02\x08\x02\x00\x00\x00\xfd\xd4\x9a\x73\x00\x00\x00\x10\x49\x44\x41\x54\x78"
        "\x9c\x63\x38\x91\x62\x04\x44\x0c\x10\x0a\x00\x28\xae\x05\x79\x42\xe1\x27\xee\x00\x00"
        "\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(kPng, sizeof kPng - 1);
}

// Runs `program` and returns its standard output (failing the test when it fails).
QByteArray outputOf(const QString& program, const QStringList& arguments) {
    QProcess process;
    process.start(program, arguments);
    REQUIRE(process.waitForFinished(120000));
    INFO(QString::fromUtf8(process.readAllStandardError()).toStdString());
    REQUIRE(process.exitCode() == 0);
    return process.readAllStandardOutput();
}

// The frames as packed RGB24, decoded by ffmpeg from an MP4 or a folder of PNG frames.
QByteArray rgbFrames(const QString& input) {
    return outputOf(QStringLiteral("ffmpeg"),
                    {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-i"), input,
                     QStringLiteral("-f"), QStringLiteral("rawvideo"), QStringLiteral("-pix_fmt"),
                     QStringLiteral("rgb24"), QStringLiteral("-")});
}

QString tinyLayout(const QString& tool, const QString& folder, const QString& layout) {
    const QString dir = freshFolder(folder + QStringLiteral("/models-") + layout);
    const auto written = runProgram(tool, {dir, QStringLiteral("--layout"), layout});
    INFO(written.err.toStdString());
    REQUIRE(written.exitCode == 0);
    return dir;
}

#ifdef STORYREEL_TINY_WAN_MODELS
// generate with the test's fixed request; `out` is an .mp4 or a new folder of PNG frames.
void generate(const QString& models, const QString& still, const QString& out) {
    const auto result = runProgram(kCli, {QStringLiteral("generate"),
                                          QStringLiteral("--engine"),
                                          QStringLiteral("wan"),
                                          QStringLiteral("--models"),
                                          models,
                                          QStringLiteral("--image"),
                                          still,
                                          QStringLiteral("--prompt"),
                                          QStringLiteral("a slow zoom on the sea"),
                                          QStringLiteral("--frames"),
                                          QStringLiteral("5"),
                                          QStringLiteral("--size"),
                                          QStringLiteral("64x48"),
                                          QStringLiteral("--steps"),
                                          QStringLiteral("3"),
                                          QStringLiteral("--seed"),
                                          QStringLiteral("7"),
                                          QStringLiteral("--profile"),
                                          QStringLiteral("cpu"),
                                          QStringLiteral("--device"),
                                          QStringLiteral("cpu"),
                                          QStringLiteral("--out"),
                                          out});
    INFO(result.err.toStdString());
    REQUIRE(result.exitCode == 0);
    CHECK(result.out.contains(QStringLiteral("(5 frames, 48x48)")));
}
#endif

#ifdef STORYREEL_TINY_HUNYUAN_MODELS
// generate --engine hunyuan at the 360p bucket (480x480 for the square still), 2 steps.
void generateHunyuan(const QString& models, const QString& still, const QString& out) {
    const auto result = runProgram(kCli, {QStringLiteral("generate"),
                                          QStringLiteral("--engine"),
                                          QStringLiteral("hunyuan"),
                                          QStringLiteral("--models"),
                                          models,
                                          QStringLiteral("--image"),
                                          still,
                                          QStringLiteral("--prompt"),
                                          QStringLiteral("the lamp flickers"),
                                          QStringLiteral("--frames"),
                                          QStringLiteral("5"),
                                          QStringLiteral("--size"),
                                          QStringLiteral("360p"),
                                          QStringLiteral("--steps"),
                                          QStringLiteral("2"),
                                          QStringLiteral("--seed"),
                                          QStringLiteral("7"),
                                          QStringLiteral("--profile"),
                                          QStringLiteral("cpu"),
                                          QStringLiteral("--device"),
                                          QStringLiteral("cpu"),
                                          QStringLiteral("--accept-license"),
                                          QStringLiteral("--out"),
                                          out});
    INFO(result.err.toStdString());
    REQUIRE(result.exitCode == 0);
    CHECK(result.out.contains(QStringLiteral("(5 frames, 480x480)")));
}
#endif

struct Difference {
    double meanLevels = 0.0;  // mean |a - b| over every channel of every pixel, in 0..255
    int maxLevels = 0;
};

Difference difference(const QByteArray& a, const QByteArray& b) {
    REQUIRE(a.size() == b.size());
    Difference d;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const int delta =
            std::abs(static_cast<unsigned char>(a[i]) - static_cast<unsigned char>(b[i]));
        d.meanLevels += delta;
        d.maxLevels = std::max(d.maxLevels, delta);
    }
    d.meanLevels /= static_cast<double>(std::max<qsizetype>(a.size(), 1));
    return d;
}

// `mp4` is an H.264 MP4 of `count` frames of `width` x `height` carrying `frames` (packed
// RGB24, in order). Lossy 4:2:0 cannot give the pixels back, and the tiny random-weight
// models paint per-pixel colour noise, its worst case (mean error 16-18 levels here, about
// 1 on natural frames), so what is checked is what survives any faithful encode: each
// frame's mean colour (within 4 levels per channel; measured under 2) and each decoded frame
// being nearer its own frame than any other frame of the clip.
void checkMp4(const QString& mp4, const QByteArray& frames, int width, int height, int count) {
    const QString probed = QString::fromUtf8(outputOf(
        QStringLiteral("ffprobe"),
        {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-count_frames"),
         QStringLiteral("-select_streams"), QStringLiteral("v:0"), QStringLiteral("-show_entries"),
         QStringLiteral("stream=codec_name,width,height,nb_read_frames"), QStringLiteral("-of"),
         QStringLiteral("compact=p=0"), mp4}));
    CHECK(probed.trimmed() == QStringLiteral("codec_name=h264|width=%1|height=%2|nb_read_frames=%3")
                                  .arg(width)
                                  .arg(height)
                                  .arg(count));
    const QByteArray decoded = rgbFrames(mp4);
    REQUIRE(decoded.size() == frames.size());
    const qsizetype frameBytes = qsizetype{width} * height * 3;
    const auto frame = [frameBytes](const QByteArray& all, int index) {
        return all.mid(index * frameBytes, frameBytes);
    };
    const auto meanColour = [](const QByteArray& rgb, int channel) {
        double sum = 0.0;
        for (qsizetype i = channel; i < rgb.size(); i += 3) {
            sum += static_cast<unsigned char>(rgb[i]);
        }
        return sum / static_cast<double>(rgb.size() / 3);
    };
    std::cout << "  MP4: mean |decoded - lossless| " << difference(decoded, frames).meanLevels
              << " levels\n";
    for (int i = 0; i < count; ++i) {
        INFO("MP4 frame " << i);
        const QByteArray mine = frame(decoded, i);
        for (int channel = 0; channel < 3; ++channel) {
            CHECK(std::abs(meanColour(mine, channel) - meanColour(frame(frames, i), channel)) <=
                  4.0);
        }
        const double own = difference(mine, frame(frames, i)).meanLevels;
        for (int j = 0; j < count; ++j) {
            if (j != i) {
                CHECK(own < difference(mine, frame(frames, j)).meanLevels);
            }
        }
    }
}

struct LayoutCase {
    const char* name;
    // 0: the same float32 values as the official layout, so the same frames exactly.
    // Otherwise the mean difference allowed, in 8-bit levels (see below).
    double meanBound;
};

}  // namespace

// The layouts that round the weights may move the frames by one step of the format's
// precision: a mean |frame - official frame| of at most 255 * 2^-b levels over every channel
// of every pixel, b being the significant bits the format keeps (bf16 and Q8_0 8, fp8 e4m3
// and Q4_K 4). Every denoising step feeds the rounding error forward and the VAE spreads
// it over the pixels, so a few pixels move further; the mean is what stays bounded. Measured
// on this model: bf16 0.14, Q8_0 (umT5 in Q8_0 too) 0.55, scaled fp8 (umT5 in fp8 too) 3.4,
// Q4_K 6.3 levels.
#ifdef STORYREEL_TINY_WAN_MODELS
TEST_CASE("storyreel-cli generate gives the same clip from every Wan checkpoint layout",
          "[app][cli][generate][layouts]") {
    const double eightBits = 255.0 / 256.0;
    const double fourBits = 255.0 / 16.0;
    const LayoutCase layouts[] = {
        {"official", 0.0},
        {"diffusers", 0.0},
        {"comfyui-fp16", 0.0},
        {"comfyui-bf16", eightBits},
        {"comfyui-fp8-scaled", fourBits},
        {"gguf-q8_0", eightBits},
        {"gguf-q4_k", fourBits},
    };
    const QString dir = freshFolder(QStringLiteral("cli-layouts/out"));
    const QString still = dir + QStringLiteral("/still.png");
    writeStill(still);
    QByteArray officialFrames;
    for (const LayoutCase& layout : layouts) {
        const QString name = QString::fromLatin1(layout.name);
        INFO("layout " << layout.name);
        const QString models = tinyLayout(QStringLiteral(STORYREEL_TINY_WAN_MODELS),
                                          QStringLiteral("cli-layouts"), name);
        const QString mp4 = dir + QLatin1Char('/') + name + QStringLiteral(".mp4");
        const QString pngs = dir + QLatin1Char('/') + name + QStringLiteral("-frames");
        const QString pngsAgain = dir + QLatin1Char('/') + name + QStringLiteral("-again");
        generate(models, still, pngs);
        generate(models, still, pngsAgain);
        generate(models, still, mp4);

        const QByteArray frames = rgbFrames(pngs + QStringLiteral("/frame_%06d.png"));
        REQUIRE(frames.size() == 5 * 48 * 48 * 3);
        CHECK(rgbFrames(pngsAgain + QStringLiteral("/frame_%06d.png")) == frames);
        if (officialFrames.isEmpty()) {
            officialFrames = frames;
        }
        const Difference d = difference(frames, officialFrames);
        std::cout << "layout " << layout.name << ": mean |frame - official| " << d.meanLevels
                  << " levels, max " << d.maxLevels << " (bound " << layout.meanBound << ")\n";
        if (layout.meanBound == 0.0) {
            CHECK(frames == officialFrames);
        } else {
            CHECK(d.meanLevels <= layout.meanBound);
        }
        checkMp4(mp4, frames, 48, 48, 5);
    }
}
#endif

#ifdef STORYREEL_TINY_HUNYUAN_MODELS
// As for Wan: the bf16 and float16 files hold the official values exactly (the tiny weights
// are exact in both), GGUF rounds the DiT's matrices to 8 or 4 significant bits.
TEST_CASE("storyreel-cli generate --engine hunyuan gives the same clip from every layout",
          "[app][cli][generate][layouts][hunyuan]") {
    const double eightBits = 255.0 / 256.0;
    const double fourBits = 255.0 / 16.0;
    const LayoutCase layouts[] = {
        {"official", 0.0},        {"comfyui", 0.0},        {"diffusers", 0.0},
        {"gguf-q8_0", eightBits}, {"gguf-q4_k", fourBits},
    };
    const QString dir = freshFolder(QStringLiteral("cli-hunyuan-layouts/out"));
    const QString still = dir + QStringLiteral("/still.png");
    writeStill(still);
    const int frameBytes = 480 * 480 * 3;
    QByteArray officialFrames;
    for (const LayoutCase& layout : layouts) {
        const QString name = QString::fromLatin1(layout.name);
        INFO("layout " << layout.name);
        const QString models = tinyLayout(QStringLiteral(STORYREEL_TINY_HUNYUAN_MODELS),
                                          QStringLiteral("cli-hunyuan-layouts"), name);
        const QString mp4 = dir + QLatin1Char('/') + name + QStringLiteral(".mp4");
        const QString pngs = dir + QLatin1Char('/') + name + QStringLiteral("-frames");
        const QString pngsAgain = dir + QLatin1Char('/') + name + QStringLiteral("-again");
        generateHunyuan(models, still, pngs);
        generateHunyuan(models, still, pngsAgain);
        generateHunyuan(models, still, mp4);
        const QByteArray frames = rgbFrames(pngs + QStringLiteral("/frame_%06d.png"));
        REQUIRE(frames.size() == 5 * frameBytes);
        CHECK(rgbFrames(pngsAgain + QStringLiteral("/frame_%06d.png")) == frames);
        if (officialFrames.isEmpty()) {
            officialFrames = frames;
        }
        const Difference d = difference(frames, officialFrames);
        std::cout << "hunyuan layout " << layout.name << ": mean |frame - official| "
                  << d.meanLevels << " levels, max " << d.maxLevels << " (bound "
                  << layout.meanBound << ")\n";
        if (layout.meanBound == 0.0) {
            CHECK(frames == officialFrames);
        } else {
            CHECK(d.meanLevels <= layout.meanBound);
        }
        checkMp4(mp4, frames, 480, 480, 5);
    }
}
#endif
#endif
