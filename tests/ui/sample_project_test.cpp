#include "ui/sample_project.h"

#include "core/project/project_loader.h"
#include "tests/ui/ui_test_support.h"
#include "ui/std_path.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <catch2/catch.hpp>

using storyreel::ui::installSampleProject;

TEST_CASE("The sample storyboard is copied out once and loads as a project", "[ui][sample]") {
    const QString data = storyreel::test::uiScratchFolder(QStringLiteral("sample-data"));
    QString error;
    const QString folder = installSampleProject(&error, data);
    REQUIRE(error.isEmpty());
    REQUIRE(folder.endsWith(QStringLiteral("The Lighthouse Keeper.storyreel")));
    const auto project = storyreel::project::loadProject(storyreel::ui::toStdPath(folder));
    CHECK(project.title == "The Lighthouse Keeper");
    REQUIRE(project.shots.size() == 6);
    for (const auto& shot : project.shots) {
        INFO(shot.image.string());
        CHECK(QFileInfo(storyreel::ui::fromStdPath(project.imagePath(shot))).size() > 10000);
    }
    CHECK(QDir(data + QStringLiteral("/samples")).entryList(QDir::Dirs | QDir::NoDotAndDotDot) ==
          QStringList{QStringLiteral("The Lighthouse Keeper.storyreel")});
}

TEST_CASE("A user's edits to the sample survive the next start", "[ui][sample]") {
    const QString data = storyreel::test::uiScratchFolder(QStringLiteral("sample-edits"));
    QString error;
    const QString folder = installSampleProject(&error, data);
    REQUIRE_FALSE(folder.isEmpty());
    const QString json = folder + QStringLiteral("/project.json");
    storyreel::test::writeText(json, "{\"schema\": 1, \"title\": \"Mine now\"}");
    CHECK(installSampleProject(&error, data) == folder);
    QFile file(json);
    REQUIRE(file.open(QIODevice::ReadOnly));
    CHECK(file.readAll().contains("Mine now"));
}
