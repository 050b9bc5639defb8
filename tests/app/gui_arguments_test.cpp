#ifdef STORYREEL_GUI

#include "tests/app/support/run_program.h"

#include <QFile>
#include <QImage>
#include <catch2/catch.hpp>

using storyreel::test::freshFolder;
using storyreel::test::runProgram;

namespace {

const QString kGui = QStringLiteral(STORYREEL_GUI);

}  // namespace

TEST_CASE("storyreel --help and --version work without a display", "[app][gui]") {
    const auto help = runProgram(kGui, {QStringLiteral("--help")});
    CHECK(help.exitCode == 0);
    CHECK(help.out.contains(QStringLiteral("--lang <code>")));
    CHECK(help.out.contains(QStringLiteral("[project]")));
    const auto version = runProgram(kGui, {QStringLiteral("--version")});
    CHECK(version.exitCode == 0);
    CHECK(version.out.trimmed() == QStringLiteral("storyreel " STORYREEL_VERSION_TEXT));
}

TEST_CASE("storyreel refuses unknown options, languages and missing projects", "[app][gui]") {
    const QList<QPair<QStringList, const char*>> cases = {
        {{QStringLiteral("--frobnicate")}, "Unknown option 'frobnicate'"},
        {{QStringLiteral("--lang"), QStringLiteral("xx")}, "Unknown language 'xx'"},
        {{QStringLiteral("/nonexistent/film.storyreel")}, "project not found"},
    };
    for (const auto& [arguments, message] : cases) {
        INFO(arguments.join(QLatin1Char(' ')).toStdString());
        const auto result = runProgram(kGui, arguments);
        CHECK(result.exitCode == 2);
        CHECK(result.err.contains(QLatin1String(message)));
        CHECK(result.err.trimmed().count(QLatin1Char('\n')) == 0);
    }
}

TEST_CASE("storyreel opens the sample storyboard on a first start", "[app][gui]") {
    const QString shot = freshFolder(QStringLiteral("gui-sample")) + QStringLiteral("/window.png");
    const auto result = runProgram(kGui, {QStringLiteral("--screenshot"), shot});
    INFO(result.err.toStdString());
    REQUIRE(result.exitCode == 0);
    const QImage image(shot);
    CHECK(image.width() >= 1000);
    CHECK(image.height() >= 600);
}

TEST_CASE("storyreel reports a damaged project and which file is wrong", "[app][gui]") {
    const QString project = freshFolder(QStringLiteral("gui-damaged.storyreel"));
    QFile json(project + QStringLiteral("/project.json"));
    REQUIRE(json.open(QIODevice::WriteOnly));
    json.write("{\"schema\": 1, \"title\": ");
    json.close();
    const auto result = runProgram(
        kGui, {project, QStringLiteral("--screenshot"), project + QStringLiteral("/shot.png")});
    CHECK(result.exitCode == 1);
    CHECK(result.err.contains(QStringLiteral("project.json: not valid JSON")));
    CHECK(QFile(project + QStringLiteral("/project.json")).size() == 23);
}

#endif
