// The render queue running a Quality (Wan 2.1) shot end to end with the tiny random-weight
// Wan models the tests write: the estimate on its row, a preview picture per denoising step
// on the row and the shot's card, the take added, and the same frames again for a kept seed.
#include "core/project/project_builder.h"
#include "core/render/engine_catalog.h"
#include "tests/ui/neural_test_support.h"
#include "tests/ui/storyboard_queue_window.h"
#include "tests/ui/ui_test_support.h"
#include "ui/controllers/render_estimate_text.h"
#include "ui/controllers/render_queue.h"
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

using storyreel::test::decodeAll;
using storyreel::test::ModelsFolder;
using storyreel::ui::RenderQueue;
using storyreel::ui::ShotListModel;
namespace project = storyreel::project;

namespace {

QString tinyWanModels(const QString& name, const QString& layout = QString()) {
    return storyreel::test::tinyModels(QStringLiteral(STORYREEL_TINY_WAN_MODELS), name, layout);
}

// One Quality shot of 5 frames at a tiny size, 3 steps, its seed kept.
project::Project qualityProject(const QString& name) {
    const QString folder = storyreel::test::uiScratchFolder(name);
    const std::string image = (folder + QStringLiteral("/still.png")).toStdString();
    cv::Mat still(48, 64, CV_8UC3);
    cv::RNG(5).fill(still, cv::RNG::UNIFORM, 0, 256);
    cv::imwrite(image, still);
    project::NewProjectOptions options;
    options.width = 64;
    options.height = 48;
    project::Project film =
        project::createProject(storyreel::ui::toStdPath(folder + QStringLiteral("/film.storyreel")),
                               {{image, "the waves roll in", "quality", 0.3, 42, ""}}, options, {});
    film.shots[0].render.steps = 3;
    film.shots[0].render.seedLocked = true;
    return film;
}

}  // namespace

TEST_CASE("A Quality shot renders through the queue with previews and repeats for a kept seed",
          "[ui][queue][neural]") {
    const ModelsFolder models(tinyWanModels(QStringLiteral("neural-queue-models")));
    QSettings().setValue(QStringLiteral("models/memoryProfile"), QStringLiteral("cpu"));
    ShotListModel shots;
    shots.setProject(qualityProject(QStringLiteral("neural-queue")));
    // What the user sees: the storyboard's card and the queue, saved while a preview shows.
    storyreel::test::StoryboardQueueWindow shown(shots);
    QStandardItemModel& jobs = *shown.jobs();
    RenderQueue queue(&shots, &jobs);
    bool screenshotSaved = false;
    QString progressAtPreview;
    QObject::connect(&queue, &RenderQueue::jobPreviewed, [&] {
        progressAtPreview = jobs.item(0, 3)->text();
        if (!screenshotSaved) {
            screenshotSaved = true;
            storyreel::test::saveScreenshot(shown.window,
                                            QStringLiteral("state_neural_rendering_en"));
        }
    });

    QSignalSpy estimated(&queue, &RenderQueue::jobEstimated);
    QSignalSpy previewed(&queue, &RenderQueue::jobPreviewed);
    QSignalSpy finished(&queue, &RenderQueue::jobFinished);
    QSignalSpy failed(&queue, &RenderQueue::jobFailed);
    bool cardShowedPreview = false;
    QObject::connect(&queue, &RenderQueue::jobPreviewed, [&] {
        cardShowedPreview =
            cardShowedPreview ||
            !shots.index(0).data(ShotListModel::LivePreviewRole).value<QImage>().isNull();
    });

    // While waiting (paused), the row shows the Wan engine's estimate: time on this
    // machine's CPU, no GPU warning.
    queue.setPaused(true);
    const std::vector<int> first = queue.enqueue({0});
    REQUIRE(first.size() == 1);
    REQUIRE(estimated.wait(120000));
    const QString estimate = estimated.front().at(1).toString();
    INFO(estimate.toStdString());
    CHECK(estimate.contains(QStringLiteral("CPU")));
    CHECK_FALSE(estimated.front().at(2).toBool());
    CHECK(jobs.item(0, 3)->text() == estimate);

    queue.setPaused(false);
    REQUIRE(finished.wait(180000));
    INFO((failed.isEmpty() ? QString() : failed.front().at(1).toString()).toStdString());
    REQUIRE(failed.isEmpty());
    CHECK(queue.state(first[0]) == RenderQueue::JobState::Done);

    // A picture per denoising step (3), at the latent's size, on the card while rendering.
    CHECK(previewed.count() >= 3);
    const QImage picture = previewed.back().at(1).value<QImage>();
    CHECK(picture.width() > 0);
    CHECK(picture.height() > 0);
    CHECK(cardShowedPreview);
    CHECK(screenshotSaved);
    // Neural progress is counted in denoising steps, not frames.
    INFO(progressAtPreview.toStdString());
    CHECK(progressAtPreview.startsWith(QStringLiteral("step ")));
    CHECK(shots.index(0).data(ShotListModel::LivePreviewRole).value<QImage>().isNull());
    CHECK_FALSE(jobs.item(0, 0)->data(Qt::DecorationRole).isNull());

    const project::Take* take = shots.project().shots[0].activeTake();
    REQUIRE(take != nullptr);
    CHECK(take->engine == "quality");
    CHECK(take->steps == 3);
    CHECK(take->seed == 42);
    CHECK(take->frames == 5);
    const std::vector<cv::Mat> firstFrames = decodeAll(shots.project().folder / take->file);
    REQUIRE(firstFrames.size() == 5);

    // The same seed, prompt and image make the same frames.
    finished.clear();
    const std::vector<int> second = queue.enqueue({0});
    REQUIRE(second.size() == 1);
    REQUIRE(finished.wait(180000));
    REQUIRE(failed.isEmpty());
    const project::Take* again = shots.project().shots[0].activeTake();
    REQUIRE(again != nullptr);
    CHECK(again->id != take->id);
    const std::vector<cv::Mat> secondFrames = decodeAll(shots.project().folder / again->file);
    REQUIRE(secondFrames.size() == firstFrames.size());
    for (std::size_t i = 0; i < firstFrames.size(); ++i) {
        CHECK(cv::norm(firstFrames[i], secondFrames[i], cv::NORM_INF) == 0.0);
    }
    QSettings().remove(QStringLiteral("models/memoryProfile"));
}

TEST_CASE("Quality shots render through the queue from every models layout",
          "[ui][queue][neural][layouts]") {
    QSettings().setValue(QStringLiteral("models/memoryProfile"), QStringLiteral("cpu"));
    std::vector<cv::Mat> official;
    // The layouts holding the same values as the official one make the same frames.
    const QStringList exact = {QStringLiteral("official"), QStringLiteral("comfyui-fp16"),
                               QStringLiteral("diffusers")};
    for (const QString& layout :
         {QStringLiteral("official"), QStringLiteral("comfyui-fp16"),
          QStringLiteral("comfyui-bf16"), QStringLiteral("comfyui-fp8-scaled"),
          QStringLiteral("diffusers"), QStringLiteral("gguf-q8_0"), QStringLiteral("gguf-q4_k")}) {
        INFO(layout.toStdString());
        std::printf("rendering a Quality shot through the queue from the %s layout\n",
                    qPrintable(layout));
        const ModelsFolder models(tinyWanModels(QStringLiteral("neural-layout-") + layout, layout));
        ShotListModel shots;
        shots.setProject(qualityProject(QStringLiteral("neural-layout-film-") + layout));
        QStandardItemModel jobs;
        RenderQueue queue(&shots, &jobs);
        QSignalSpy idle(&queue, &RenderQueue::idle);
        QSignalSpy failed(&queue, &RenderQueue::jobFailed);
        REQUIRE(queue.enqueue({0}).size() == 1);
        REQUIRE(idle.wait(180000));
        INFO((failed.isEmpty() ? QString() : failed.front().at(1).toString()).toStdString());
        REQUIRE(failed.isEmpty());
        const project::Take* take = shots.project().shots[0].activeTake();
        REQUIRE(take != nullptr);
        CHECK(take->engine == "quality");
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
    QSettings().remove(QStringLiteral("models/memoryProfile"));
}

TEST_CASE("A neural job's estimate warns when it should not fit the GPU and names the profile",
          "[ui][queue][neural]") {
    using storyreel::render::Estimate;
    using storyreel::ui::renderEstimateText;
    constexpr std::int64_t kGiB = std::int64_t{1} << 30;
    Estimate cpu;
    cpu.seconds = 5400.0;
    cpu.device = "cpu";
    CHECK(renderEstimateText(cpu).line == QStringLiteral("about 1 h 30 min on the CPU"));
    CHECK_FALSE(renderEstimateText(cpu).warning);

    Estimate fits;
    fits.seconds = 600.0;
    fits.device = "cuda:0";
    fits.peakGpuBytes = 11 * kGiB + kGiB / 5;
    fits.freeGpuBytes = 15 * kGiB + kGiB / 2;
    CHECK(renderEstimateText(fits).line ==
          QStringLiteral("about 10 min · 11.2 GB of 15.5 GB free GPU memory"));
    CHECK_FALSE(renderEstimateText(fits).warning);

    Estimate tooBig = fits;
    tooBig.peakGpuBytes = 21 * kGiB;
    tooBig.fits = false;
    tooBig.suggestedProfile = "12gb";
    const auto advice = renderEstimateText(tooBig);
    CHECK(advice.warning);
    CHECK(advice.line.contains(QStringLiteral("21.0 GB")));
    CHECK(advice.line.contains(QStringLiteral("“12 GB GPU”")));

    tooBig.suggestedProfile.clear();
    CHECK(renderEstimateText(tooBig).warning);
    CHECK(renderEstimateText(tooBig).line.contains(QStringLiteral("no memory profile fits")));
}
