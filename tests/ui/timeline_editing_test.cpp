// The timeline and the preview player as a user drives them: trimming a clip by its edge,
// a crossfade by double-clicking a boundary, scrubbing on the ruler (with the UI thread's
// longest stall measured), and the J/K/L, Space, I/O transport.
#include "tests/ui/ui_test_support.h"
#include "ui/controllers/playback_controller.h"
#include "ui/controllers/preview_frames.h"
#include "ui/controllers/render_queue.h"
#include "ui/main_window.h"
#include "ui/models/shot_list_model.h"
#include "ui/views/preview_view.h"
#include "ui/views/timeline_view.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTimer>
#include <QUndoStack>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

using storyreel::test::showSettled;
using storyreel::ui::MainWindow;
using storyreel::ui::PlaybackController;
using storyreel::ui::ShotListModel;
using storyreel::ui::TimelineView;

namespace {

TimelineView* timelineOf(MainWindow& window) {
    auto* timeline = window.findChild<TimelineView*>(QStringLiteral("timelineView"));
    REQUIRE(timeline != nullptr);
    return timeline;
}

// Measures the longest gap between 5 ms timer ticks on the UI thread while `work` runs.
template <typename Work>
qint64 longestStall(Work work) {
    QElapsedTimer clock;
    qint64 last = 0;
    qint64 longest = 0;
    QTimer ticker;
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        longest = std::max(longest, now - last);
        last = now;
    });
    clock.start();
    ticker.start(5);
    work();
    ticker.stop();
    return longest;
}

}  // namespace

TEST_CASE("Dragging a clip's end trims the shot in one undoable step", "[ui][timeline]") {
    MainWindow window;
    REQUIRE(window.openSampleProject().isEmpty());
    showSettled(window);
    TimelineView* timeline = timelineOf(window);
    // The sample may already have a take for shot 1 (other tests render it): a take's end
    // trims the take, a still's end shortens the hold; either way the clip loses a second.
    const long before = timeline->plan().clips[0].frames;
    const long framesBefore = timeline->plan().totalFrames();
    const QRect first = timeline->clipRect(0);
    const QPoint grip(first.right(), first.center().y());
    // One second to the left, in pixels at the current zoom.
    const int secondInPixels = timeline->xForFrame(24) - timeline->xForFrame(0);
    QTest::mousePress(timeline, Qt::LeftButton, {}, grip);
    QTest::mouseMove(timeline, grip - QPoint(secondInPixels / 2, 0));
    QTest::mouseMove(timeline, grip - QPoint(secondInPixels, 0));
    QTest::mouseRelease(timeline, Qt::LeftButton, {}, grip - QPoint(secondInPixels, 0));
    CHECK(timeline->plan().clips[0].frames == Approx(before - 24).margin(2));
    CHECK(timeline->plan().totalFrames() < framesBefore);
    CHECK(window.isWindowModified());
    window.undoStack()->undo();
    CHECK(timeline->plan().clips[0].frames == before);
    CHECK(timeline->plan().totalFrames() == framesBefore);
    window.undoStack()->redo();
    CHECK(timeline->plan().clips[0].frames == Approx(before - 24).margin(2));
}

TEST_CASE("Double-clicking a boundary makes a crossfade that overlaps the shots",
          "[ui][timeline]") {
    MainWindow window;
    REQUIRE(window.openSampleProject().isEmpty());
    showSettled(window);
    TimelineView* timeline = timelineOf(window);
    ShotListModel* shots = window.shots();
    const long framesBefore = timeline->plan().totalFrames();
    const QRect second = timeline->clipRect(1);
    QTest::mouseDClick(timeline, Qt::LeftButton, {}, QPoint(second.left(), second.center().y()));
    REQUIRE(shots->project().shots[1].transition.kind ==
            storyreel::project::TransitionKind::Crossfade);
    // A half-second crossfade at 24 fps shares 12 frames with the shot before.
    CHECK(timeline->plan().clips[1].fadeIn == 12);
    CHECK(timeline->plan().totalFrames() == framesBefore - 12);
    storyreel::test::saveScreenshot(window, QStringLiteral("timeline_crossfade_en"));
    window.undoStack()->undo();
    CHECK(shots->project().shots[1].transition.kind == storyreel::project::TransitionKind::Cut);
}

TEST_CASE("The transport plays, shuttles, steps and keeps in and out points",
          "[ui][timeline][playback]") {
    MainWindow window;
    REQUIRE(window.openSampleProject().isEmpty());
    showSettled(window);
    PlaybackController* transport = window.transport();
    REQUIRE(transport->frameCount() == std::lround(window.shots()->project().totalSeconds() * 24));
    transport->seek(0);
    QTest::keyClick(&window, Qt::Key_Space);
    CHECK(transport->isPlaying());
    QTest::qWait(500);
    QTest::keyClick(&window, Qt::Key_K);
    CHECK_FALSE(transport->isPlaying());
    // Half a second at 24 fps: about 12 frames, whatever the timer did meanwhile.
    CHECK(transport->position() >= 8);
    CHECK(transport->position() <= 20);
    QTest::keyClick(&window, Qt::Key_L);
    QTest::keyClick(&window, Qt::Key_L);
    CHECK(transport->speed() == 2);
    QTest::keyClick(&window, Qt::Key_J);
    CHECK(transport->speed() == -1);
    QTest::keyClick(&window, Qt::Key_K);
    transport->seek(48);
    QTest::keyClick(&window, Qt::Key_Right);
    CHECK(transport->position() == 49);
    QTest::keyClick(&window, Qt::Key_I);
    transport->seek(60);
    QTest::keyClick(&window, Qt::Key_O);
    CHECK(transport->inPoint() == 49);
    CHECK(transport->outPoint() == 60);
    // Played with loop on, the playhead stays within in..out.
    transport->setLoop(true);
    transport->seek(49);
    transport->play();
    long lowest = 1000;
    long highest = 0;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 1200) {
        QTest::qWait(10);
        lowest = std::min(lowest, transport->position());
        highest = std::max(highest, transport->position());
    }
    transport->pause();
    CHECK(lowest >= 49);
    CHECK(highest <= 60);
    CHECK(highest - lowest >= 8);  // it went round
}

TEST_CASE("Scrubbing the rendered timeline shows each frame without stalling the window",
          "[ui][timeline][playback]") {
    MainWindow window;
    REQUIRE(window.openSampleProject().isEmpty());
    showSettled(window);
    // Every Animatic shot rendered, so the preview decodes takes rather than stills.
    QSignalSpy idle(window.renderQueue(), &storyreel::ui::RenderQueue::idle);
    std::vector<int> rows;
    for (int row = 0; row < window.shots()->rowCount(); ++row) {
        if (window.shots()->project().shots[static_cast<std::size_t>(row)].preset == "animatic") {
            rows.push_back(row);
        }
    }
    REQUIRE(window.renderQueue()->enqueue(rows).size() == rows.size());
    REQUIRE(idle.wait(300000));
    TimelineView* timeline = timelineOf(window);
    REQUIRE_FALSE(timeline->plan().clips[0].still);

    QSignalSpy ready(window.previewFrames(), &storyreel::ui::PreviewFrames::frameReady);
    QSignalSpy failed(window.previewFrames(), &storyreel::ui::PreviewFrames::failed);
    int made = 0;
    QObject::connect(window.previewFrames(), &storyreel::ui::PreviewFrames::frameReady,
                     [&made](long) { ++made; });
    const int y = 8;  // on the ruler
    const int from = timeline->xForFrame(0);
    const int to = timeline->xForFrame(timeline->plan().totalFrames() - 1);
    const qint64 stall = longestStall([&] {
        QTest::mousePress(timeline, Qt::LeftButton, {}, QPoint(from, y));
        for (int x = from; x <= to; x += 3) {
            QTest::mouseMove(timeline, QPoint(x, y));
            QTest::qWait(4);
        }
        QTest::mouseRelease(timeline, Qt::LeftButton, {}, QPoint(to, y));
        QTest::qWait(200);
    });
    std::printf("longest UI-thread stall while scrubbing: %lld ms (%d frames made)\n",
                static_cast<long long>(stall), made);
    CHECK(stall < 200);
    CHECK(failed.isEmpty());
    if (!failed.isEmpty()) {
        WARN(failed.first().first().toString().toStdString());
    }
    CHECK(window.transport()->position() >= timeline->plan().totalFrames() - 2);
    CHECK(ready.count() > 10);
    // The picture shown is the last frame, at preview size.
    auto* preview = window.findChild<storyreel::ui::PreviewView*>(QStringLiteral("previewView"));
    const bool shown = !preview->shownFrame().isNull() || ready.wait(10000);
    REQUIRE(shown);
    CHECK(preview->shownFrame().size() == window.previewFrames()->frameSize());
    storyreel::test::saveScreenshot(window, QStringLiteral("timeline_scrubbed_en"));
}
