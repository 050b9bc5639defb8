#include "ui/controllers/render_queue.h"

#include "core/project/project_builder.h"
#include "core/project/project_loader.h"
#include "tests/ui/ui_test_support.h"
#include "ui/models/shot_list_model.h"
#include "ui/std_path.h"

#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>
#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>

using storyreel::ui::RenderQueue;
using storyreel::ui::ShotListModel;
namespace project = storyreel::project;

namespace {

// A small project of `count` Animatic shots (and one Quality shot last) made the CLI's way.
project::Project smallProject(const QString& name, int count, double seconds) {
    const QString folder = storyreel::test::uiScratchFolder(name);
    std::vector<project::ShotSource> shots;
    for (int i = 0; i < count; ++i) {
        const std::string image = (folder + QStringLiteral("/still%1.png").arg(i)).toStdString();
        cv::Mat still(72, 128, CV_8UC3);
        cv::RNG(i).fill(still, cv::RNG::UNIFORM, 0, 256);
        cv::imwrite(image, still);
        shots.push_back({image, "slow push in", "animatic", seconds, 1, ""});
    }
    shots.push_back({shots.front().image, "pan left", "quality", seconds, 2, ""});
    project::NewProjectOptions options;
    options.width = 64;
    options.height = 36;
    return project::createProject(
        storyreel::ui::toStdPath(folder + QStringLiteral("/film.storyreel")), shots, options, {});
}

// Files under the project's takes/ folder.
QStringList takeFiles(const project::Project& film) {
    QStringList files;
    QDirIterator it(storyreel::ui::fromStdPath(film.folder / "takes"), QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        files << it.next();
    }
    return files;
}

}  // namespace

TEST_CASE("A queued Animatic render adds an active take and saves the project", "[ui][queue]") {
    ShotListModel shots;
    shots.setProject(smallProject(QStringLiteral("queue-done"), 1, 1.0));
    QStandardItemModel jobs;
    RenderQueue queue(&shots, &jobs);
    QSignalSpy finished(&queue, &RenderQueue::jobFinished);
    const std::vector<int> ids = queue.enqueue({0});
    REQUIRE(ids.size() == 1);
    REQUIRE(finished.wait(180000));
    CHECK(shots.index(0).data(ShotListModel::TakeCountRole).toInt() == 1);
    CHECK(shots.index(0).data(ShotListModel::ActiveTakeRole).toString() ==
          QStringLiteral("takes/shot-1/take-1.mkv"));
    CHECK(jobs.item(0, 2)->text() == QStringLiteral("Done"));
    const project::Project saved = project::loadProject(shots.project().folder);
    REQUIRE(saved.shots[0].activeTake() != nullptr);
    CHECK(saved.shots[0].activeTake()->engine == "animatic");
    CHECK(takeFiles(saved).size() == 2);  // the clip and its JSON
}

TEST_CASE("A cancelled job leaves no take and no file", "[ui][queue]") {
    ShotListModel shots;
    shots.setProject(smallProject(QStringLiteral("queue-cancel"), 2, 20.0));
    QStandardItemModel jobs;
    RenderQueue queue(&shots, &jobs);
    QSignalSpy cancelled(&queue, &RenderQueue::jobCancelled);
    QSignalSpy idle(&queue, &RenderQueue::idle);
    const std::vector<int> ids = queue.enqueue({0, 1});
    REQUIRE(ids.size() == 2);
    queue.cancelAll();
    REQUIRE(idle.wait(180000));
    CHECK(cancelled.count() == 2);
    for (int row = 0; row < 2; ++row) {
        CHECK(shots.index(row).data(ShotListModel::TakeCountRole).toInt() == 0);
    }
    for (const QString& file : takeFiles(shots.project())) {
        FAIL_CHECK("left behind: " << file.toStdString());
    }
}

TEST_CASE("A shot whose preset cannot run is refused with the reason", "[ui][queue]") {
    ShotListModel shots;
    shots.setProject(smallProject(QStringLiteral("queue-refused"), 1, 1.0));
    QStandardItemModel jobs;
    RenderQueue queue(&shots, &jobs);
    CHECK(queue.enqueue({1}).empty());  // the Quality shot
    REQUIRE(jobs.rowCount() == 1);
    CHECK(jobs.item(0, 2)->text().contains(QStringLiteral("not available yet")));
    CHECK(queue.pendingCount() == 0);
}

TEST_CASE("A paused queue starts nothing until resumed, in the order the user set", "[ui][queue]") {
    ShotListModel shots;
    shots.setProject(smallProject(QStringLiteral("queue-order"), 3, 0.5));
    QStandardItemModel jobs;
    RenderQueue queue(&shots, &jobs);
    queue.setPaused(true);
    const std::vector<int> ids = queue.enqueue({0, 1, 2});
    REQUIRE(ids.size() == 3);
    QTest::qWait(200);
    for (const int id : ids) {
        CHECK(queue.state(id) == RenderQueue::JobState::Waiting);
    }
    // The third job first, then the first two.
    CHECK(queue.move(ids[2], -1));
    CHECK(queue.move(ids[2], -1));
    CHECK_FALSE(queue.move(ids[2], -1));  // already at the top
    QSignalSpy started(&queue, &RenderQueue::jobStarted);
    QSignalSpy idle(&queue, &RenderQueue::idle);
    queue.setPaused(false);
    REQUIRE(idle.wait(180000));
    REQUIRE(started.count() == 3);
    CHECK(started.at(0).at(0).toInt() == ids[2]);
    CHECK(started.at(1).at(0).toInt() == ids[0]);
    CHECK(started.at(2).at(0).toInt() == ids[1]);
    queue.clearFinished();
    CHECK(jobs.rowCount() == 0);
}

TEST_CASE("A cancelled job can be retried and then makes its take", "[ui][queue]") {
    ShotListModel shots;
    shots.setProject(smallProject(QStringLiteral("queue-retry"), 1, 0.5));
    QStandardItemModel jobs;
    RenderQueue queue(&shots, &jobs);
    queue.setPaused(true);
    const std::vector<int> ids = queue.enqueue({0});
    queue.cancel(ids[0]);
    CHECK(queue.state(ids[0]) == RenderQueue::JobState::Cancelled);
    CHECK_FALSE(queue.retry(12345));
    QSignalSpy finished(&queue, &RenderQueue::jobFinished);
    REQUIRE(queue.retry(ids[0]));
    queue.setPaused(false);
    REQUIRE(finished.wait(180000));
    CHECK(shots.index(0).data(ShotListModel::TakeCountRole).toInt() == 1);
    CHECK(jobs.rowCount() == 2);  // the cancelled attempt stays listed until cleared
}

TEST_CASE("Waiting jobs are saved with the project and resume when it opens again", "[ui][queue]") {
    const project::Project film = smallProject(QStringLiteral("queue-resume"), 2, 0.5);
    const QString queueFile = storyreel::ui::fromStdPath(film.folder / "render_queue.json");
    {
        // The session that stops (a crash or a quit) while two jobs wait.
        ShotListModel shots;
        shots.setProject(film);
        QStandardItemModel jobs;
        RenderQueue queue(&shots, &jobs);
        queue.setPaused(true);
        REQUIRE(queue.enqueue({1, 0}).size() == 2);
        REQUIRE(QFile::exists(queueFile));
    }
    ShotListModel shots;
    QStandardItemModel jobs;
    RenderQueue queue(&shots, &jobs);
    QSignalSpy restored(&queue, &RenderQueue::restored);
    QSignalSpy idle(&queue, &RenderQueue::idle);
    shots.setProject(project::loadProject(film.folder));
    queue.projectChanged();
    REQUIRE(restored.count() == 1);
    CHECK(restored.first().first().toInt() == 2);
    CHECK(jobs.item(0, 0)->text() == QStringLiteral("Shot 2"));  // the saved order
    REQUIRE(idle.wait(180000));
    for (int row = 0; row < 2; ++row) {
        CHECK(shots.index(row).data(ShotListModel::TakeCountRole).toInt() == 1);
    }
    CHECK_FALSE(QFile::exists(queueFile));  // nothing left to resume
}
