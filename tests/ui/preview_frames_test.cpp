#include "ui/controllers/preview_frames.h"

#include "core/project/project_loader.h"
#include "tests/ui/ui_test_support.h"
#include "ui/sample_project.h"
#include "ui/std_path.h"

#include <QSignalSpy>
#include <catch2/catch.hpp>

using storyreel::ui::PreviewFrames;

TEST_CASE("Preview frames are made on the worker and then served from the cache", "[ui][preview]") {
    QString error;
    const QString folder = storyreel::ui::installSampleProject(&error);
    REQUIRE(error.isEmpty());
    const auto project = storyreel::project::loadProject(storyreel::ui::toStdPath(folder));
    PreviewFrames frames;
    QSignalSpy ready(&frames, &PreviewFrames::frameReady);
    QSignalSpy changed(&frames, &PreviewFrames::timelineChanged);
    frames.setProject(project);
    CHECK(changed.count() == 1);
    CHECK(frames.frameCount() == std::lround(project.totalSeconds() * project.fps));
    CHECK(frames.frameSize() == QSize(640, 360));
    CHECK(frames.frame(10).isNull());  // not made yet
    REQUIRE(ready.wait(10000));
    CHECK(ready.first().first().value<long>() == 10);
    const QImage made = frames.frame(10);
    REQUIRE_FALSE(made.isNull());
    CHECK(made.size() == QSize(640, 360));
    // The same project again keeps the cache; reading ahead makes the following frames.
    frames.setProject(project);
    CHECK(changed.count() == 1);
    CHECK_FALSE(frames.frame(10, +1).isNull());
    while (ready.count() < 6 && ready.wait(5000)) {
    }
    CHECK_FALSE(frames.frame(14).isNull());
    // An edit that moves frames throws the cache away.
    auto edited = project;
    edited.shots[1].transition = {storyreel::project::TransitionKind::Crossfade, 0.5};
    frames.setProject(edited);
    CHECK(changed.count() == 2);
    CHECK(frames.frame(14).isNull());
}
