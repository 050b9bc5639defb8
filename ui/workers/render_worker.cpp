#include "ui/workers/render_worker.h"

#include "core/base/user_error.h"
#include "core/render/take_renderer.h"

#include <chrono>
#include <cstddef>

namespace storyreel::ui {

void RenderWorker::render(const RenderJob& job) {
    if (job.cancel->isCancelled()) {
        Q_EMIT cancelled(job.id);
        return;
    }
    Q_EMIT started(job.id);
    // Progress is throttled: a signal per frame would flood the UI thread's event queue.
    auto lastReport = std::chrono::steady_clock::time_point{};
    Phase lastPhase = Phase::Muxing;
    const auto progress = [&](const Progress& p) {
        const auto now = std::chrono::steady_clock::now();
        const bool phaseChanged = p.phase != lastPhase;
        lastPhase = p.phase;
        if (phaseChanged || p.step == p.steps ||
            now - lastReport > std::chrono::milliseconds(100)) {
            lastReport = now;
            Q_EMIT progressed(job.id, static_cast<int>(p.phase), p.step, p.steps, p.etaSeconds);
        }
    };
    const auto preview = [&](const render::Frame& frame) {
        if (frame.width <= 0 || frame.height <= 0 ||
            frame.rgb.size() != std::size_t(frame.width) * frame.height * 3) {
            return;
        }
        // A deep copy: the frame's buffer is gone when the signal is delivered.
        const QImage picture(frame.rgb.data(), frame.width, frame.height, frame.width * 3,
                             QImage::Format_RGB888);
        Q_EMIT previewed(job.id, picture.copy());
    };
    // The job boundary: whatever the engine throws becomes a message on the job.
    try {
        const std::string& preset = job.project.shots[job.shotIndex].preset;
        // Neural presets run Wan 2.1 or HunyuanVideo-I2V from the models folder; the engine
        // and its models stay loaded on this thread between takes.
        const project::Take take =
            preset == "animatic"
                ? render::renderAnimaticTake(job.project, job.shotIndex, progress, *job.cancel)
                : render::renderNeuralTake(job.project, job.shotIndex, job.neural, progress,
                                           preview, *job.cancel);
        Q_EMIT finished(job.id, static_cast<int>(job.shotIndex), take);
    } catch (const Cancelled&) {
        Q_EMIT cancelled(job.id);
    } catch (const std::exception& error) {
        Q_EMIT failed(job.id, QString::fromStdString(error.what()));
    }
}

}  // namespace storyreel::ui
