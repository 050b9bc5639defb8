// The render queue running a Fast (HunyuanVideo-I2V) shot end to end with the tiny
// random-weight HunyuanVideo models the tests write: refused with the licence until the user
// has acknowledged it, then the estimate, a preview per denoising step, the take with the
// released defaults' frame rate, the same frames again for a kept seed, and the same from
// every models layout.
#include "core/project/project_builder.h"
#include "tests/ui/neural_test_support.h"
#include "tests/ui/storyboard_queue_window.h"
#include "tests/ui/ui_test_support.h"
#include "ui/controllers/render_queue.h"
#include "ui/licence_notice.h"
#include "ui/models/shot_list_model.h"
#include "ui/std_path.h"

#include <QSettings>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>
#include <catch2/catch.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cstdio>
#include <vector>

#ifdef STORYREEL_TINY_HUNYUAN_MODELS
using storyreel::test::decodeAll;
using storyreel::test::ModelsFolder;
using storyreel::ui::RenderQueue;
using storyreel::ui::ShotListModel;
namespace project = storyreel::project;

namespace {

const QString kLicenceKey = QStringLiteral("licences/hunyuan-video/acknowledged");

QString tinyHunyuanModels(const QString& name, const QString& layout = QString()) {
    return storyreel::test::tinyModels(QStringLiteral(STORYREEL_TINY_HUNYUAN_MODELS), name, layout);
}

// One Fast shot of 0.2 s (5 frames at 24 fps) at the 360p bucket, 2 steps, its seed kept.
project::Project fastProject(const QString& name) {
    const QString folder = storyreel::test::uiScratchFolder(name);
    const std::string image = (folder + QStringLiteral("/still.png")).toStdString();
    cv::Mat still(48, 64, CV_8UC3);
    cv::RNG(7).fill(still, cv::RNG::UNIFORM, 0, 256);
    cv::imwrite(image, still);
    project::NewProjectOptions options;
    options.width = 64;
    options.height = 48;
    project::Project film =
        project::createProject(storyreel::ui::toStdPath(folder + QStringLiteral("/film.storyreel")),
                               {{image, "the lamp flickers", "fast", 0.2, 11, ""}}, options, {});
    film.shots[0].render.steps = 2;
    film.shots[0].render.size = "360p";
    film.shots[0].render.seedLocked = true;
    return film;
}

// Renders shot 1 through a queue; returns the failure message, or empty when it rendered.
QString renderOnce(RenderQueue& queue) {
    QSignalSpy idle(&queue, &RenderQueue::idle);
    QSignalSpy failed(&queue, &RenderQueue::jobFailed);
    REQUIRE(queue.enqueue({0}).size() == 1);
    REQUIRE(idle.wait(300000));
    return failed.isEmpty() ? QString() : failed.front().at(1).toString();
}

}  // namespace

TEST_CASE("A Fast shot waits for HunyuanVideo's licence, then renders through the queue",
          "[ui][queue][neural][hunyuan]") {
    const ModelsFolder models(
        tinyHunyuanModels(QStringLiteral("hunyuan-queue-models"), QStringLiteral("official")));
    QSettings().setValue(QStringLiteral("models/memoryProfile"), QStringLiteral("cpu"));
    QSettings().remove(kLicenceKey);
    REQUIRE_FALSE(storyreel::ui::isLicenceAcknowledged("fast"));
    ShotListModel shots;
    shots.setProject(fastProject(QStringLiteral("hunyuan-queue")));
    // What the user sees: the storyboard's card and the queue, saved while a preview shows.
    storyreel::test::StoryboardQueueWindow shown(shots);
    QStandardItemModel& jobs = *shown.jobs();
    RenderQueue queue(&shots, &jobs);
    bool screenshotSaved = false;
    QObject::connect(&queue, &RenderQueue::jobPreviewed, [&] {
        if (!screenshotSaved) {
            screenshotSaved = true;
            storyreel::test::saveScreenshot(shown.window,
                                            QStringLiteral("state_fast_rendering_en"));
        }
    });

    // Not acknowledged: the job fails with the licence's limits, and no take is made.
    const QString refused = renderOnce(queue);
    INFO(refused.toStdString());
    CHECK(refused.contains(QStringLiteral("United Kingdom")));
    CHECK(shots.project().shots[0].takes.empty());

    // Acknowledged (what the notice stores): previews per step, then the take.
    QSettings().setValue(kLicenceKey, true);
    QSignalSpy previewed(&queue, &RenderQueue::jobPreviewed);
    const QString failure = renderOnce(queue);
    INFO(failure.toStdString());
    REQUIRE(failure.isEmpty());
    CHECK(previewed.count() >= 2);
    CHECK(screenshotSaved);
    const project::Take* take = shots.project().shots[0].activeTake();
    REQUIRE(take != nullptr);
    CHECK(take->engine == "fast");
    CHECK(take->model == "HunyuanVideo-I2V");
    CHECK(take->steps == 2);
    CHECK(take->seed == 11);
    CHECK(take->fps == 24.0);
    CHECK(take->frames == 5);
    CHECK(take->guidance == 6.0);  // the embedded guidance
    // The 360p bucket closest to 4:3, in the image's orientation.
    CHECK(take->width > take->height);
    CHECK(take->height >= 320);
    CHECK(take->height <= 480);
    const std::vector<cv::Mat> first = decodeAll(shots.project().folder / take->file);
    REQUIRE(first.size() == 5);

    // The same seed, prompt and image make the same frames.
    REQUIRE(renderOnce(queue).isEmpty());
    const project::Take* again = shots.project().shots[0].activeTake();
    REQUIRE(again != nullptr);
    CHECK(again->id != take->id);
    const std::vector<cv::Mat> second = decodeAll(shots.project().folder / again->file);
    REQUIRE(second.size() == first.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
        CHECK(cv::norm(first[i], second[i], cv::NORM_INF) == 0.0);
    }
    QSettings().remove(kLicenceKey);
    QSettings().remove(QStringLiteral("models/memoryProfile"));
}

TEST_CASE("Fast shots render through the queue from every HunyuanVideo models layout",
          "[ui][queue][neural][hunyuan][layouts]") {
    QSettings().setValue(QStringLiteral("models/memoryProfile"), QStringLiteral("cpu"));
    QSettings().setValue(kLicenceKey, true);
    std::vector<cv::Mat> official;
    // The layouts holding the official values make the official frames; GGUF rounds them.
    const QStringList exact = {QStringLiteral("comfyui"), QStringLiteral("diffusers")};
    for (const QString& layout :
         {QStringLiteral("official"), QStringLiteral("comfyui"), QStringLiteral("diffusers"),
          QStringLiteral("gguf-q8_0"), QStringLiteral("gguf-q4_k")}) {
        INFO(layout.toStdString());
        std::printf("rendering a Fast shot through the queue from the %s layout\n",
                    qPrintable(layout));
        const ModelsFolder models(
            tinyHunyuanModels(QStringLiteral("hunyuan-layout-") + layout, layout));
        ShotListModel shots;
        shots.setProject(fastProject(QStringLiteral("hunyuan-layout-film-") + layout));
        QStandardItemModel jobs;
        RenderQueue queue(&shots, &jobs);
        const QString failure = renderOnce(queue);
        INFO(failure.toStdString());
        REQUIRE(failure.isEmpty());
        const project::Take* take = shots.project().shots[0].activeTake();
        REQUIRE(take != nullptr);
        CHECK(take->engine == "fast");
        const std::vector<cv::Mat> frames = decodeAll(shots.project().folder / take->file);
        REQUIRE(frames.size() == 5);
        if (layout == QStringLiteral("official")) {
            official = frames;
        } else if (exact.contains(layout)) {
            for (std::size_t i = 0; i < frames.size(); ++i) {
                CHECK(cv::norm(frames[i], official[i], cv::NORM_INF) == 0.0);
            }
        }
    }
    QSettings().remove(kLicenceKey);
    QSettings().remove(QStringLiteral("models/memoryProfile"));
}
#endif
