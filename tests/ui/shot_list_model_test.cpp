#include "ui/models/shot_list_model.h"

#include <QImage>
#include <catch2/catch.hpp>

using storyreel::ui::ShotListModel;

TEST_CASE("A shot whose image is missing still gets a card that says so", "[ui][model]") {
    storyreel::project::Project project;
    project.folder = STORYREEL_TEST_BINARY_DIR "/scratch/none.storyreel";
    project.shots.push_back({"a", "media/gone.png", "pan left", "", "animatic", 2.0, 1, ""});
    project.shots.push_back({"b", "media/gone2.png", "tilt up", "", "quality", 3.0, 2, ""});
    ShotListModel model;
    model.setProject(project);
    REQUIRE(model.rowCount() == 2);
    const QModelIndex first = model.index(0);
    CHECK(first.data(ShotListModel::ImageMissingRole).toBool());
    CHECK(first.data(ShotListModel::ThumbnailRole).value<QImage>().size() ==
          ShotListModel::kThumbnailSize);
    CHECK(first.data(Qt::DisplayRole).toString() == QStringLiteral("Shot 1"));
    CHECK(model.index(1).data(ShotListModel::StartSecondsRole).toDouble() == 2.0);
    CHECK(model.index(1).data(ShotListModel::PresetRole).toString() == QStringLiteral("quality"));
}
