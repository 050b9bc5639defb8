#include "ui/models/shot_list_model.h"

#include <QImage>
#include <catch2/catch.hpp>

using storyreel::ui::ShotListModel;

TEST_CASE("A shot whose image is missing still gets a card that says so", "[ui][model]") {
    storyreel::project::Project project;
    project.folder = STORYREEL_TEST_BINARY_DIR "/scratch/none.storyreel";
    storyreel::project::Shot panLeft;
    panLeft.image = "media/gone.png";
    panLeft.prompt = "pan left";
    panLeft.seconds = 2.0;
    storyreel::project::Shot tiltUp;
    tiltUp.image = "media/gone2.png";
    tiltUp.preset = "quality";
    project.shots = {panLeft, tiltUp};
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
