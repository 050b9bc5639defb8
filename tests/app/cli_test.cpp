#include "tests/app/support/run_program.h"

#include <QDir>
#include <QFile>
#include <catch2/catch.hpp>

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
    for (const char* command : {"animate", "render", "export", "models", "bench"}) {
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
        {{QStringLiteral("render"), project, QStringLiteral("--preset"), QStringLiteral("ultra")},
         "--preset must be one of animatic, fast, fast-wan, quality"},
        {{QStringLiteral("models"), QStringLiteral("--dir"), dir + QStringLiteral("/models")},
         "models folder not found"},
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

TEST_CASE("Commands with good arguments say they are not available yet", "[app][cli]") {
    const QString dir = freshFolder(QStringLiteral("cli-ok"));
    const QString project = freshFolder(QStringLiteral("cli-ok/film.storyreel"));
    QFile image(dir + QStringLiteral("/frame.png"));
    REQUIRE(image.open(QIODevice::WriteOnly));
    image.write("not decoded yet");
    image.close();
    const QList<QStringList> cases = {
        {QStringLiteral("animate"), image.fileName(), QStringLiteral("--prompt"),
         QStringLiteral("slow push in"), QStringLiteral("--out"), dir + QStringLiteral("/o.mp4")},
        {QStringLiteral("render"), project, QStringLiteral("--shot"), QStringLiteral("2")},
        {QStringLiteral("export"), project, QStringLiteral("--out"), dir + QStringLiteral("/o.mp4"),
         QStringLiteral("--format"), QStringLiteral("otio")},
        {QStringLiteral("models"), QStringLiteral("list")},
        {QStringLiteral("bench"), QStringLiteral("export")},
    };
    for (const QStringList& arguments : cases) {
        INFO(arguments.join(QLatin1Char(' ')).toStdString());
        const auto result = cli(arguments);
        CHECK(result.exitCode == 1);
        CHECK(result.err.contains(QStringLiteral("storyreel-cli ") + arguments.first() +
                                  QStringLiteral(": not available yet")));
    }
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
