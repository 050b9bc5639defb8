#include "tests/app/support/run_program.h"
#include "tests/core/infer/weights/golden_dir.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <catch2/catch.hpp>

#include <cstring>

using storyreel::test::freshFolder;
using storyreel::test::runProgram;

namespace {

const QString kCli = QStringLiteral(STORYREEL_CLI);

storyreel::test::ProgramResult cli(const QStringList& arguments) {
    return runProgram(kCli, arguments);
}

int lineCount(const QString& text) {
    return static_cast<int>(text.trimmed().split(QLatin1Char('\n')).size());
}

}  // namespace

TEST_CASE("storyreel-cli --help lists every subcommand", "[app][cli]") {
    const auto result = cli({QStringLiteral("--help")});
    CHECK(result.exitCode == 0);
    for (const char* command : {"new", "animate", "render", "export", "models", "bench"}) {
        INFO(command);
        CHECK(result.out.contains(QStringLiteral("  ") + QLatin1String(command)));
    }
}

TEST_CASE("storyreel-cli --version names the version, the libraries and the CPU", "[app][cli]") {
    const auto result = cli({QStringLiteral("--version")});
    CHECK(result.exitCode == 0);
    CHECK(result.out.startsWith(QStringLiteral("storyreel-cli " STORYREEL_VERSION_TEXT "\n")));
    CHECK(result.out.contains(QStringLiteral("LibTorch")));
    CHECK(result.out.contains(QStringLiteral("Device cpu: CPU")));
}

TEST_CASE("A subcommand's --help shows its usage and options", "[app][cli]") {
    const auto result = cli({QStringLiteral("export"), QStringLiteral("--help")});
    CHECK(result.exitCode == 0);
    CHECK(result.out.contains(QStringLiteral("storyreel-cli export [options] PROJECT")));
    CHECK(result.out.contains(QStringLiteral("--format <format>")));
    CHECK(cli({QStringLiteral("help"), QStringLiteral("animate")})
              .out.contains(QStringLiteral("--prompt <text>")));
}

TEST_CASE("Unknown commands and options are one-line errors with status 2", "[app][cli]") {
    const QString project = freshFolder(QStringLiteral("cli/film.storyreel"));
    const QList<QStringList> cases = {
        {QStringLiteral("--frobnicate")},
        {QStringLiteral("transmogrify")},
        {QStringLiteral("export"), project, QStringLiteral("--out"), QStringLiteral("x.mp4"),
         QStringLiteral("--bogus")},
        {QStringLiteral("--lang"), QStringLiteral("de"), QStringLiteral("--help")},
    };
    for (const QStringList& arguments : cases) {
        INFO(arguments.join(QLatin1Char(' ')).toStdString());
        const auto result = cli(arguments);
        CHECK(result.exitCode == 2);
        CHECK(lineCount(result.err) == 1);
        CHECK(result.out.isEmpty());
    }
    CHECK(cli({QStringLiteral("--frobnicate")})
              .err.contains(QStringLiteral("unknown option '--frobnicate'")));
    CHECK(cli({}).exitCode == 2);
}

TEST_CASE("Missing files and bad values are named, with status 2", "[app][cli]") {
    const QString dir = freshFolder(QStringLiteral("cli-missing"));
    const QString project = freshFolder(QStringLiteral("cli-missing/film.storyreel"));
    struct Case {
        QStringList arguments;
        const char* message;
    };
    const QList<Case> cases = {
        {{QStringLiteral("animate"), dir + QStringLiteral("/nope.png"), QStringLiteral("--prompt"),
          QStringLiteral("pan"), QStringLiteral("--out"), dir + QStringLiteral("/o.mp4")},
         "image not found"},
        {{QStringLiteral("export"), dir + QStringLiteral("/gone.storyreel"),
          QStringLiteral("--out"), dir + QStringLiteral("/o.mp4")},
         "project not found"},
        {{QStringLiteral("render"), dir + QStringLiteral("/gone.storyreel")}, "project not found"},
        {{QStringLiteral("export"), project, QStringLiteral("--out"),
          dir + QStringLiteral("/no/such/dir/o.mp4")},
         "output folder does not exist"},
        {{QStringLiteral("export"), project, QStringLiteral("--out"),
          dir + QStringLiteral("/o.mp4"), QStringLiteral("--format"), QStringLiteral("avi")},
         "--format must be one of mp4, png, mlt, edl, fcpxml, otio"},
        {{QStringLiteral("export"), project, QStringLiteral("--out"),
          dir + QStringLiteral("/o.mp4"), QStringLiteral("--size"), QStringLiteral("12x")},
         "--size must be WIDTHxHEIGHT"},
        {{QStringLiteral("export"), project}, "missing --out"},
        {{QStringLiteral("export"), project, QStringLiteral("--out"),
          dir + QStringLiteral("/o.mp4"), QStringLiteral("--fps-method"), QStringLiteral("magic")},
         "--fps-method must be one of repeat, blend, motion"},
        {{QStringLiteral("render"), project, QStringLiteral("--shots"), QStringLiteral("2-x")},
         "--shots must list shot numbers like 1,3-5 (got '2-x')"},
        {{QStringLiteral("models"), QStringLiteral("inspect"), dir + QStringLiteral("/models")},
         "model file or folder not found"},
        {{QStringLiteral("models"), QStringLiteral("list")},
         "action must be one of inspect, verify"},
        {{QStringLiteral("models"), QStringLiteral("verify")},
         "missing the model file or folder after 'verify'"},
        {{QStringLiteral("bench"), QStringLiteral("everything")},
         "benchmark must be one of export, animatic"},
    };
    for (const Case& c : cases) {
        INFO(c.arguments.join(QLatin1Char(' ')).toStdString());
        const auto result = cli(c.arguments);
        CHECK(result.exitCode == 2);
        CHECK(result.err.contains(QLatin1String(c.message)));
        CHECK(lineCount(result.err) == 1);
    }
}

TEST_CASE("storyreel-cli bench export prints a table with the ratio to ffmpeg", "[app][cli]") {
    const auto result =
        cli({QStringLiteral("bench"), QStringLiteral("export"), QStringLiteral("--size"),
             QStringLiteral("160x90"), QStringLiteral("--seconds"), QStringLiteral("1")});
    INFO(result.err.toStdString());
    CHECK(result.exitCode == 0);
    CHECK(result.out.contains(QStringLiteral("| Storyreel (in process) |")));
    CHECK(result.out.contains(QStringLiteral("| ffmpeg program (best of 2) |")));
    CHECK(result.out.contains(QStringLiteral("ratio Storyreel / ffmpeg: ")));
}

TEST_CASE("storyreel-cli bench animatic compares with zoompan", "[app][cli]") {
    const auto result =
        cli({QStringLiteral("bench"), QStringLiteral("animatic"), QStringLiteral("--size"),
             QStringLiteral("320x180"), QStringLiteral("--seconds"), QStringLiteral("1")});
    INFO(result.err.toStdString());
    CHECK(result.exitCode == 0);
    CHECK(result.out.contains(QStringLiteral("| Storyreel Animatic |")));
    CHECK(result.out.contains(QStringLiteral("| ffmpeg zoompan |")));
    CHECK(result.out.contains(QStringLiteral("jitter: zoompan / Storyreel = ")));
}

TEST_CASE("storyreel-cli speaks French with --lang fr", "[app][cli][i18n]") {
    const auto french =
        cli({QStringLiteral("--lang"), QStringLiteral("fr"), QStringLiteral("--help")});
    CHECK(french.exitCode == 0);
    CHECK(french.out.contains(QStringLiteral("Commandes")));
    const auto error = cli({QStringLiteral("--lang=fr"), QStringLiteral("render"),
                            QStringLiteral("/nonexistent.storyreel")});
    CHECK(error.exitCode == 2);
    CHECK(error.err.contains(QStringLiteral("projet introuvable")));
}

namespace {

// A valid 2x2 RGB PNG, so the CLI tests need no image library.
void writeTinyPng(const QString& path) {
    static const char kPng[] =
        "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x02\x00"
        "\x00\x00\x02\x08\x02\x00\x00\x00\xfd\xd4\x9a\x73\x00\x00\x00\x10\x49\x44\x41\x54\x78"
        "\x9c\x63\x38\x91\x62\x04\x44\x0c\x10\x0a\x00\x28\xae\x05\x79\x42\xe1\x27\xee\x00\x00"
        "\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(kPng, sizeof kPng - 1);
}

}  // namespace

TEST_CASE("storyreel-cli new makes a project from images in natural order", "[app][cli][new]") {
    const QString dir = freshFolder(QStringLiteral("cli-new"));
    for (const char* name : {"shot_10.png", "shot_2.png", "shot_1.png"}) {
        writeTinyPng(dir + QLatin1Char('/') + QLatin1String(name));
    }
    const QString project = dir + QStringLiteral("/film.storyreel");
    const auto result =
        cli({QStringLiteral("new"), project, dir + QStringLiteral("/shot_10.png"),
             dir + QStringLiteral("/shot_2.png"), dir + QStringLiteral("/shot_1.png"),
             QStringLiteral("--seconds"), QStringLiteral("2.5"), QStringLiteral("--title"),
             QStringLiteral("Harbour")});
    INFO(result.err.toStdString());
    REQUIRE(result.exitCode == 0);
    CHECK(result.out.contains(QStringLiteral("shots: 3, length 0:08")));
    QFile json(project + QStringLiteral("/project.json"));
    REQUIRE(json.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(json.readAll());
    CHECK(text.contains(QStringLiteral("\"title\": \"Harbour\"")));
    CHECK(text.count(QStringLiteral("\"seconds\": 2.5")) == 3);
    // The same picture three times is stored once.
    CHECK(QDir(project + QStringLiteral("/media")).entryList(QDir::Files).size() == 1);
    const auto again = cli({QStringLiteral("new"), project, dir + QStringLiteral("/shot_1.png")});
    CHECK(again.exitCode == 1);
    CHECK(again.err.contains(QStringLiteral("already exists")));
}

TEST_CASE("storyreel-cli export writes an MP4 and editor timelines", "[app][cli][export]") {
    const QString dir = freshFolder(QStringLiteral("cli-export"));
    writeTinyPng(dir + QStringLiteral("/a.png"));
    const QString project = dir + QStringLiteral("/a.storyreel");
    REQUIRE(cli({QStringLiteral("new"), project, dir + QStringLiteral("/a.png"),
                 QStringLiteral("--size"), QStringLiteral("64x36"), QStringLiteral("--seconds"),
                 QStringLiteral("1")})
                .exitCode == 0);
    const auto noTakes = cli({QStringLiteral("export"), project, QStringLiteral("--out"),
                              dir + QStringLiteral("/a.mp4")});
    CHECK(noTakes.exitCode == 1);
    CHECK(noTakes.err.contains(QStringLiteral("shots without a take: 1")));
    for (const char* name : {"a.mp4", "a.otio", "a.mlt", "a.edl", "a.fcpxml"}) {
        INFO(name);
        const auto result =
            cli({QStringLiteral("export"), project, QStringLiteral("--out"),
                 dir + QLatin1Char('/') + QLatin1String(name), QStringLiteral("--placeholders")});
        CHECK(result.exitCode == 0);
        CHECK(QFileInfo(dir + QLatin1Char('/') + QLatin1String(name)).size() > 100);
    }
    CHECK(QFileInfo::exists(dir + QStringLiteral("/a.mp4.json")));

    // Rendering the Animatic shot gives it a take; the export then needs no placeholders.
    const auto rendered =
        cli({QStringLiteral("render"), project, QStringLiteral("--shots"), QStringLiteral("1")});
    INFO(rendered.err.toStdString());
    CHECK(rendered.exitCode == 0);
    CHECK(rendered.out.contains(QStringLiteral("Shot 1: rendered takes/shot-1/take-1.mkv")));
    CHECK(QFileInfo::exists(project + QStringLiteral("/takes/shot-1/take-1.json")));
    CHECK(cli({QStringLiteral("export"), project, QStringLiteral("--out"),
               dir + QStringLiteral("/takes.mp4")})
              .exitCode == 0);
    CHECK(cli({QStringLiteral("render"), project, QStringLiteral("--shots"), QStringLiteral("4")})
              .err.contains(QStringLiteral("there is no shot 4")));
    QProcess probe;
    probe.start(QStringLiteral("ffprobe"),
                {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-show_entries"),
                 QStringLiteral("stream=codec_name,pix_fmt,width,height:format_tags=title,comment"),
                 QStringLiteral("-of"), QStringLiteral("compact"), dir + QStringLiteral("/a.mp4")});
    REQUIRE(probe.waitForFinished());
    const QString probed = QString::fromUtf8(probe.readAllStandardOutput());
    CHECK(probed.contains(QStringLiteral("codec_name=h264|width=64|height=36|pix_fmt=yuv420p")));
    CHECK(probed.contains(QStringLiteral("tag:title=a")));
    CHECK(probed.contains(QStringLiteral("no AI-generated video")));

    const QString clips = freshFolder(QStringLiteral("cli-export/clips"));
    const auto sequence =
        cli({QStringLiteral("export"), project, QStringLiteral("--out"),
             dir + QStringLiteral("/frames"), QStringLiteral("--format"), QStringLiteral("png"),
             QStringLiteral("--placeholders"), QStringLiteral("--per-shot"), clips});
    INFO(sequence.err.toStdString());
    CHECK(sequence.exitCode == 0);
    const QStringList pngs =
        QDir(dir + QStringLiteral("/frames")).entryList({QStringLiteral("*.png")}, QDir::Files);
    CHECK(pngs.size() == 24);  // 1 s at 24 fps
    CHECK(pngs.first() == QStringLiteral("frame_000001.png"));
    CHECK(QFileInfo::exists(clips + QStringLiteral("/shot_01.mp4")));
    CHECK(QFileInfo::exists(clips + QStringLiteral("/shot_01.mp4.json")));
}

TEST_CASE("storyreel-cli animate turns a still into a clip and says what it understood",
          "[app][cli][animate]") {
    const QString dir = freshFolder(QStringLiteral("cli-animate"));
    writeTinyPng(dir + QStringLiteral("/a.png"));
    const auto result =
        cli({QStringLiteral("animate"), dir + QStringLiteral("/a.png"), QStringLiteral("--prompt"),
             QStringLiteral("slow push in while the wind blows"), QStringLiteral("--frames"),
             QStringLiteral("5"), QStringLiteral("--size"), QStringLiteral("64x36"),
             QStringLiteral("--out"), dir + QStringLiteral("/a.mp4")});
    INFO(result.err.toStdString());
    CHECK(result.exitCode == 0);
    CHECK(result.err.contains(QStringLiteral("Motion: slow, zoom in")));
    CHECK(result.err.contains(QStringLiteral("Ignored words: wind, blows")));
    CHECK(QFileInfo(dir + QStringLiteral("/a.mp4")).size() > 100);
    const auto both =
        cli({QStringLiteral("animate"), dir + QStringLiteral("/a.png"), QStringLiteral("--prompt"),
             QStringLiteral("pan"), QStringLiteral("--out"), dir + QStringLiteral("/b.mp4"),
             QStringLiteral("--seconds"), QStringLiteral("2"), QStringLiteral("--frames"),
             QStringLiteral("5")});
    CHECK(both.exitCode == 2);
}

TEST_CASE("storyreel-cli new reads a CSV shot list and reports its bad rows", "[app][cli][new]") {
    const QString dir = freshFolder(QStringLiteral("cli-new-csv"));
    writeTinyPng(dir + QStringLiteral("/a.png"));
    QFile fake(dir + QStringLiteral("/fake.png"));
    REQUIRE(fake.open(QIODevice::WriteOnly));
    fake.write("not a picture");
    fake.close();
    const auto writeCsv = [&dir](const char* text) {
        QFile csv(dir + QStringLiteral("/shots.csv"));
        REQUIRE(csv.open(QIODevice::WriteOnly | QIODevice::Truncate));
        csv.write(text);
    };
    writeCsv("image,prompt,preset,seconds\na.png,\"push in, slowly\",quality,3\n");
    const auto good = cli({QStringLiteral("new"), dir + QStringLiteral("/a.storyreel"),
                           QStringLiteral("--shots"), dir + QStringLiteral("/shots.csv")});
    INFO(good.err.toStdString());
    CHECK(good.exitCode == 0);

    writeCsv("image,prompt,preset,seconds\na.png,x,ultra,3\na.png,y,fast,never\n");
    const auto bad = cli({QStringLiteral("new"), dir + QStringLiteral("/b.storyreel"),
                          QStringLiteral("--shots"), dir + QStringLiteral("/shots.csv")});
    CHECK(bad.exitCode == 1);
    CHECK(bad.err.contains(QStringLiteral("shots.csv line 2: unknown preset 'ultra'")));
    CHECK(bad.err.contains(QStringLiteral("shots.csv line 3: seconds must be")));
    CHECK_FALSE(QFileInfo::exists(dir + QStringLiteral("/b.storyreel")));

    writeCsv("image,prompt,preset,seconds\nfake.png,x,fast,3\n");
    const auto fakeImage = cli({QStringLiteral("new"), dir + QStringLiteral("/c.storyreel"),
                                QStringLiteral("--shots"), dir + QStringLiteral("/shots.csv")});
    CHECK(fakeImage.exitCode == 1);
    CHECK(fakeImage.err.contains(QStringLiteral("fake.png: not an image")));

    const auto both = cli({QStringLiteral("new"), dir + QStringLiteral("/d.storyreel"),
                           dir + QStringLiteral("/a.png"), QStringLiteral("--shots"),
                           dir + QStringLiteral("/shots.csv")});
    CHECK(both.exitCode == 2);
    CHECK(both.err.contains(QStringLiteral("either images or --shots")));
}

namespace {

QString golden(const char* file) {
    return QString::fromStdString((storyreel::test::goldenDir() / file).string());
}

// The Wan golden weights in a folder: every file the Quality preset needs, tiny.
QString wanModelsFolder(const QString& name) {
    const QString dir = freshFolder(name);
    for (const char* file :
         {"wan/wan_dit_i2v.weights.safetensors", "wan/wan_vae.weights.safetensors",
          "wan/wan_t5_encoder.weights.safetensors", "wan/wan_clip_visual.weights.safetensors"}) {
        REQUIRE(
            QFile::copy(golden(file), dir + QLatin1Char('/') + QFileInfo(golden(file)).fileName()));
    }
    return dir;
}

// Rewrites a safetensors file without tensor `drop` (offsets recomputed).
void writeWithout(const QString& from, const QString& to, const QString& drop) {
    QFile in(from);
    REQUIRE(in.open(QIODevice::ReadOnly));
    const QByteArray all = in.readAll();
    quint64 headerBytes = 0;
    std::memcpy(&headerBytes, all.constData(), 8);
    const QJsonObject header =
        QJsonDocument::fromJson(all.mid(8, static_cast<qsizetype>(headerBytes))).object();
    const QByteArray data = all.mid(8 + static_cast<qsizetype>(headerBytes));
    QJsonObject out;
    QByteArray outData;
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == drop) {
            continue;
        }
        if (it.key() == QLatin1String("__metadata__")) {
            out.insert(it.key(), it.value());
            continue;
        }
        QJsonObject entry = it.value().toObject();
        const QJsonArray offsets = entry.value(QStringLiteral("data_offsets")).toArray();
        const auto begin = static_cast<qsizetype>(offsets.at(0).toDouble());
        const auto end = static_cast<qsizetype>(offsets.at(1).toDouble());
        entry.insert(QStringLiteral("data_offsets"),
                     QJsonArray{static_cast<qint64>(outData.size()),
                                static_cast<qint64>(outData.size() + end - begin)});
        outData += data.mid(begin, end - begin);
        out.insert(it.key(), entry);
    }
    QByteArray json = QJsonDocument(out).toJson(QJsonDocument::Compact);
    json.append(QByteArray((8 - json.size() % 8) % 8, ' '));
    const quint64 jsonBytes = static_cast<quint64>(json.size());
    QFile file(to);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(reinterpret_cast<const char*>(&jsonBytes), 8);
    file.write(json);
    file.write(outData);
}

}  // namespace

TEST_CASE("storyreel-cli models inspect lists the tensors and names the model",
          "[app][cli][models]") {
    const QString file = golden("wan/wan_dit_i2v.weights.safetensors");
    const auto result = cli({QStringLiteral("models"), QStringLiteral("inspect"), file});
    INFO(result.err.toStdString());
    REQUIRE(result.exitCode == 0);
    CHECK(result.out.contains(QStringLiteral("Format: safetensors, 87 tensors")));
    CHECK(
        result.out.contains(QStringLiteral("  blocks.0.self_attn.q.weight  F32  [64, 64]  16384")));
    CHECK(result.out.contains(QStringLiteral("Model: Wan 2.1 DiT (video transformer)")));
    CHECK(
        result.out.contains(QStringLiteral("Variant: unknown size (dim 64, 2 layers, in_dim 36")));
    CHECK(result.out.contains(QStringLiteral("Layout: official")));
    CHECK(result.out.contains(QStringLiteral("Licence: Apache-2.0")));

    const auto json =
        cli({QStringLiteral("models"), QStringLiteral("inspect"), file, QStringLiteral("--json")});
    REQUIRE(json.exitCode == 0);
    const QJsonObject object = QJsonDocument::fromJson(json.out.toUtf8()).object();
    CHECK(object.value(QStringLiteral("family")).toString() ==
          QStringLiteral("Wan 2.1 DiT (video transformer)"));
    CHECK(object.value(QStringLiteral("tensors")).toArray().size() == 87);
    CHECK(
        object.value(QStringLiteral("config")).toObject().value(QStringLiteral("in_dim")).toInt() ==
        36);
}

TEST_CASE("storyreel-cli models inspect DIR reports what each preset found", "[app][cli][models]") {
    const QString dir = wanModelsFolder(QStringLiteral("cli-models-inspect"));
    const auto result = cli({QStringLiteral("models"), QStringLiteral("inspect"), dir});
    INFO(result.err.toStdString());
    REQUIRE(result.exitCode == 0);
    CHECK(result.out.contains(QStringLiteral("4 files")));
    CHECK(
        result.out.contains(QStringLiteral("Preset Quality (Wan 2.1 I2V 14B): every file found")));
    CHECK(result.out.contains(QStringLiteral("Preset Fast (HunyuanVideo-I2V): incomplete")));
    CHECK(result.out.contains(
        QStringLiteral("  transformer: missing (HunyuanVideo DiT (video transformer))")));
    CHECK(result.out.contains(QStringLiteral("European Union")));
}

TEST_CASE("storyreel-cli models verify exits 1 naming the file and the tensor",
          "[app][cli][models]") {
    const QString dir = wanModelsFolder(QStringLiteral("cli-models-verify"));
    const auto good = cli({QStringLiteral("models"), QStringLiteral("verify"), dir});
    INFO(good.err.toStdString());
    CHECK(good.exitCode == 0);
    CHECK(good.out.contains(QStringLiteral("The model files are complete and intact.")));

    const QString dit = dir + QStringLiteral("/wan_dit_i2v.weights.safetensors");
    QFile::remove(dit);
    writeWithout(golden("wan/wan_dit_i2v.weights.safetensors"), dit,
                 QStringLiteral("blocks.1.cross_attn.k_img.weight"));
    const auto bad = cli({QStringLiteral("models"), QStringLiteral("verify"), dir});
    CHECK(bad.exitCode == 1);
    CHECK(bad.err.contains(
        QStringLiteral("error: %1: tensor 'blocks.1.cross_attn.k_img.weight' is missing")
            .arg(dit)));
}

TEST_CASE("storyreel-cli models inspect reads a damaged .pth and says why it cannot",
          "[app][cli][models]") {
    const QString dir = freshFolder(QStringLiteral("cli-models-pth"));
    const QString file = dir + QStringLiteral("/model.pth");
    QFile out(file);
    REQUIRE(out.open(QIODevice::WriteOnly));
    out.write("PK\x03\x04 not a whole archive");
    out.close();
    const auto result = cli({QStringLiteral("models"), QStringLiteral("inspect"), file});
    CHECK(result.exitCode == 1);
    CHECK(result.out.contains(QStringLiteral("Format: torch .pth")));
    CHECK(result.out.contains(QStringLiteral("Model: cannot be read: ")));
    CHECK_FALSE(result.out.contains(QStringLiteral("needs the .pth reader")));
}

#ifdef STORYREEL_TINY_WAN_MODELS
namespace {

// The tiny Wan models folder of tests/core/infer/wan/tiny_wan_models.h (with its random
// step-distillation LoRA when `withLora`).
QString tinyWanModels(const QString& name, bool withLora = false) {
    const QString dir = freshFolder(name);
    QStringList arguments = {dir};
    if (withLora) {
        arguments << QStringLiteral("lora");
    }
    const auto written = runProgram(QStringLiteral(STORYREEL_TINY_WAN_MODELS), arguments);
    INFO(written.err.toStdString());
    REQUIRE(written.exitCode == 0);
    return dir;
}

QByteArray readAll(const QString& path) {
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    return file.readAll();
}

}  // namespace

TEST_CASE("storyreel-cli generate makes the same clip twice for a seed", "[app][cli][generate]") {
    const QString models = tinyWanModels(QStringLiteral("cli-generate-models"));
    const QString dir = freshFolder(QStringLiteral("cli-generate"));
    writeTinyPng(dir + QStringLiteral("/still.png"));
    QStringList frames[2];
    for (int run = 0; run < 2; ++run) {
        const QString out = dir + QStringLiteral("/frames%1").arg(run);
        const auto result = cli({QStringLiteral("generate"),
                                 QStringLiteral("--engine"),
                                 QStringLiteral("wan"),
                                 QStringLiteral("--models"),
                                 models,
                                 QStringLiteral("--image"),
                                 dir + QStringLiteral("/still.png"),
                                 QStringLiteral("--prompt"),
                                 QStringLiteral("a slow zoom on the sea"),
                                 QStringLiteral("--frames"),
                                 QStringLiteral("5"),
                                 QStringLiteral("--size"),
                                 QStringLiteral("64x48"),
                                 QStringLiteral("--steps"),
                                 QStringLiteral("3"),
                                 QStringLiteral("--seed"),
                                 QStringLiteral("42"),
                                 QStringLiteral("--profile"),
                                 QStringLiteral("cpu"),
                                 QStringLiteral("--device"),
                                 QStringLiteral("cpu"),
                                 QStringLiteral("--out"),
                                 out});
        INFO(result.err.toStdString());
        REQUIRE(result.exitCode == 0);
        CHECK(result.out.contains(QStringLiteral("5 frames, 48x48")));
        CHECK_FALSE(QFileInfo::exists(out + QStringLiteral(".latents.safetensors")));
        frames[run] = QDir(out).entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name);
        REQUIRE(frames[run].size() == 5);
    }
    for (const QString& frame : frames[0]) {
        INFO(frame.toStdString());
        CHECK(readAll(dir + QStringLiteral("/frames0/") + frame) ==
              readAll(dir + QStringLiteral("/frames1/") + frame));
    }
}

TEST_CASE("storyreel-cli generate --preset fast-wan runs the distilled LoRA in 4 steps",
          "[app][cli][generate]") {
    const QString models = tinyWanModels(QStringLiteral("cli-generate-fast"), true);
    const QString dir = freshFolder(QStringLiteral("cli-generate-fast-out"));
    writeTinyPng(dir + QStringLiteral("/still.png"));
    const auto result =
        cli({QStringLiteral("generate"), QStringLiteral("--preset"), QStringLiteral("fast-wan"),
             QStringLiteral("--models"), models, QStringLiteral("--image"),
             dir + QStringLiteral("/still.png"), QStringLiteral("--prompt"),
             QStringLiteral("the dog runs"), QStringLiteral("--frames"), QStringLiteral("5"),
             QStringLiteral("--size"), QStringLiteral("64x48"), QStringLiteral("--out"),
             dir + QStringLiteral("/clip.mkv")});
    INFO(result.err.toStdString());
    REQUIRE(result.exitCode == 0);
    CHECK(result.err.contains(QStringLiteral("step 4/4")));
    CHECK_FALSE(result.err.contains(QStringLiteral("step 5/")));
    CHECK(QFileInfo(dir + QStringLiteral("/clip.mkv")).size() > 0);
}

TEST_CASE("storyreel-cli generate names the missing model files and the folder",
          "[app][cli][generate]") {
    const QString models = freshFolder(QStringLiteral("cli-generate-empty"));
    const QString dir = freshFolder(QStringLiteral("cli-generate-missing"));
    writeTinyPng(dir + QStringLiteral("/still.png"));
    const auto result = cli({QStringLiteral("generate"), QStringLiteral("--models"), models,
                             QStringLiteral("--image"), dir + QStringLiteral("/still.png"),
                             QStringLiteral("--prompt"), QStringLiteral("waves"),
                             QStringLiteral("--out"), dir + QStringLiteral("/clip.mp4")});
    CHECK(result.exitCode == 1);
    CHECK(result.err.contains(models));
    CHECK(result.err.contains(QStringLiteral("transformer")));
    CHECK(result.err.contains(QStringLiteral("tokenizer")));
    CHECK_FALSE(QFileInfo::exists(dir + QStringLiteral("/clip.mp4")));
}
#endif

TEST_CASE("storyreel-cli generate --engine hunyuan needs --accept-license and its files",
          "[app][cli][generate]") {
    const QString dir = freshFolder(QStringLiteral("cli-generate-hunyuan"));
    const QString models = dir + QStringLiteral("/models");
    QDir().mkpath(models);
    writeTinyPng(dir + QStringLiteral("/still.png"));
    const QStringList request = {QStringLiteral("generate"),
                                 QStringLiteral("--engine"),
                                 QStringLiteral("hunyuan"),
                                 QStringLiteral("--models"),
                                 models,
                                 QStringLiteral("--image"),
                                 dir + QStringLiteral("/still.png"),
                                 QStringLiteral("--prompt"),
                                 QStringLiteral("waves"),
                                 QStringLiteral("--out"),
                                 dir + QStringLiteral("/clip.mp4")};
    // The licence first, before the folder is looked at.
    const auto refused = cli(request);
    CHECK(refused.exitCode == 1);
    CHECK(refused.err.contains(QStringLiteral("United Kingdom")));
    CHECK(refused.err.contains(QStringLiteral("--accept-license")));
    CHECK_FALSE(refused.err.contains(QStringLiteral("incomplete")));
    // Accepted: what the folder lacks, by name.
    const auto missing = cli(request + QStringList{QStringLiteral("--accept-license")});
    CHECK(missing.exitCode == 1);
    CHECK(missing.err.contains(models));
    CHECK(missing.err.contains(QStringLiteral("LLaVA")));
    CHECK(missing.err.contains(QStringLiteral("tokenizer")));
    CHECK_FALSE(QFileInfo::exists(dir + QStringLiteral("/clip.mp4")));
    // Options of the other engine, and values HunyuanVideo does not have, are usage errors.
    for (const QStringList& bad :
         {QStringList{QStringLiteral("--mode"), QStringLiteral("sideways")},
          QStringList{QStringLiteral("--size"), QStringLiteral("480p")},
          QStringList{QStringLiteral("--sampler"), QStringLiteral("euler")}}) {
        INFO(bad.join(QLatin1Char(' ')).toStdString());
        CHECK(cli(request + bad).exitCode == 2);
    }
    const auto wanWithMode =
        cli({QStringLiteral("generate"), QStringLiteral("--models"), models,
             QStringLiteral("--image"), dir + QStringLiteral("/still.png"),
             QStringLiteral("--prompt"), QStringLiteral("waves"), QStringLiteral("--mode"),
             QStringLiteral("stable"), QStringLiteral("--out"), dir + QStringLiteral("/c.mp4")});
    CHECK(wanWithMode.exitCode == 2);
    CHECK(wanWithMode.err.contains(QStringLiteral("--engine hunyuan")));
}
