#include "ui/controllers/preview_frames.h"

#include "core/render/timeline_frames.h"
#include "core/render/timeline_plan.h"
#include "ui/bgr_image.h"

#include <QMetaObject>
#include <QPointer>
#include <opencv2/core.hpp>

#include <condition_variable>
#include <list>
#include <map>
#include <mutex>
#include <thread>

namespace storyreel::ui {
namespace {

constexpr long kReadAhead = 12;                    // frames made ahead while playing
constexpr std::size_t kCacheBytes = 160ull << 20;  // about 300 frames at 640x360
constexpr std::size_t kDecodedClips = 3;           // a crossfade and the clip ahead

bool samePlan(const render::TimelinePlan& a, const render::TimelinePlan& b) {
    if (a.fps != b.fps || a.clips.size() != b.clips.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.clips.size(); ++i) {
        const render::PlannedClip& x = a.clips[i];
        const render::PlannedClip& y = b.clips[i];
        if (x.source != y.source || x.sourceIn != y.sourceIn || x.frames != y.frames ||
            x.recordIn != y.recordIn || x.fadeIn != y.fadeIn) {
            return false;
        }
    }
    return true;
}

}  // namespace

// State shared by the UI thread and the worker, under `mutex`.
struct PreviewFrames::Shared {
    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    std::uint64_t generation = 0;  // bumped when the plan changes
    std::shared_ptr<const render::TimelinePlan> plan;
    QSize size{640, 360};
    long wanted = -1;  // the frame the user waits for; -1: none
    int direction = 0;
    std::map<long, QImage> cache;
    std::list<long> recency;  // cached frames, least recently used first
    std::size_t cacheBytes = 0;
    std::thread worker;

    void remember(long index, QImage image) {
        cacheBytes += static_cast<std::size_t>(image.sizeInBytes());
        cache[index] = std::move(image);
        recency.push_back(index);
        while (cacheBytes > kCacheBytes && !recency.empty()) {
            const auto oldest = cache.find(recency.front());
            if (oldest != cache.end()) {
                cacheBytes -= static_cast<std::size_t>(oldest->second.sizeInBytes());
                cache.erase(oldest);
            }
            recency.pop_front();
        }
    }

    void clear() {
        cache.clear();
        recency.clear();
        cacheBytes = 0;
    }

    // The next frame to make: the wanted one, else the next uncached one ahead of it.
    long nextJob() const {
        if (wanted < 0 || !plan) {
            return -1;
        }
        const long count = plan->totalFrames();
        for (long step = 0; step <= (direction == 0 ? 0 : kReadAhead); ++step) {
            const long index = wanted + step * direction;
            if (index >= 0 && index < count && cache.count(index) == 0) {
                return index;
            }
        }
        return -1;
    }
};

PreviewFrames::PreviewFrames(QObject* parent)
    : QObject(parent), shared_(std::make_shared<Shared>()) {
    QPointer<PreviewFrames> self(this);
    Shared* shared = shared_.get();
    shared_->worker = std::thread([shared, self] {
        std::unique_ptr<render::TimelineFrames> frames;
        std::uint64_t framesGeneration = ~0ull;
        std::unique_lock lock(shared->mutex);
        while (true) {
            shared->wake.wait(lock, [&] { return shared->stopping || shared->nextJob() >= 0; });
            if (shared->stopping) {
                return;
            }
            const long index = shared->nextJob();
            const std::uint64_t generation = shared->generation;
            if (framesGeneration != generation) {
                frames = std::make_unique<render::TimelineFrames>(
                    *shared->plan, shared->size.width(), shared->size.height(),
                    media::FrameRateMethod::Blend, render::TimelineFrames::Access::Random,
                    kDecodedClips);
                framesGeneration = generation;
            }
            lock.unlock();
            QImage image;
            QString error;
            try {
                image = imageFromBgr(frames->at(index));
            } catch (const std::exception& failure) {
                error = QString::fromStdString(failure.what());
            }
            lock.lock();
            if (generation != shared->generation) {
                continue;  // made for a plan that has changed since
            }
            if (!error.isEmpty()) {
                shared->wanted = -1;  // do not retry a file that cannot be read
                QMetaObject::invokeMethod(
                    self,
                    [self, error] {
                        if (self)
                            Q_EMIT self->failed(error);
                    },
                    Qt::QueuedConnection);
                continue;
            }
            shared->remember(index, std::move(image));
            QMetaObject::invokeMethod(
                self,
                [self, index] {
                    if (self)
                        Q_EMIT self->frameReady(index);
                },
                Qt::QueuedConnection);
        }
    });
}

PreviewFrames::~PreviewFrames() {
    {
        const std::lock_guard lock(shared_->mutex);
        shared_->stopping = true;
    }
    shared_->wake.notify_all();
    shared_->worker.join();
}

void PreviewFrames::setProject(const project::Project& project) {
    std::shared_ptr<const render::TimelinePlan> plan;
    try {
        plan = std::make_shared<const render::TimelinePlan>(render::planTimeline(project, true));
    } catch (const std::exception&) {
        plan = std::make_shared<const render::TimelinePlan>();  // nothing to show
    }
    const QSize size =
        project.width > 0 && project.height > 0
            ? QSize(project.width, project.height).scaled(640, 360, Qt::KeepAspectRatio)
            : QSize(640, 360);
    {
        const std::lock_guard lock(shared_->mutex);
        if (shared_->plan && samePlan(*shared_->plan, *plan) && shared_->size == size) {
            return;
        }
        shared_->plan = plan;
        shared_->size = size;
        ++shared_->generation;
        shared_->clear();
    }
    shared_->wake.notify_all();
    Q_EMIT timelineChanged();
}

long PreviewFrames::frameCount() const {
    const std::lock_guard lock(shared_->mutex);
    return shared_->plan ? shared_->plan->totalFrames() : 0;
}

double PreviewFrames::fps() const {
    const std::lock_guard lock(shared_->mutex);
    return shared_->plan && shared_->plan->fps > 0.0 ? shared_->plan->fps : 24.0;
}

QSize PreviewFrames::frameSize() const {
    const std::lock_guard lock(shared_->mutex);
    return shared_->size;
}

QImage PreviewFrames::frame(long index, int direction) {
    QImage found;
    {
        const std::lock_guard lock(shared_->mutex);
        shared_->wanted = index;
        shared_->direction = direction;
        const auto it = shared_->cache.find(index);
        if (it != shared_->cache.end()) {
            found = it->second;  // implicitly shared: no pixel copy
            shared_->recency.remove(index);
            shared_->recency.push_back(index);
        }
    }
    shared_->wake.notify_all();  // makes it, or reads ahead of it
    return found;
}

}  // namespace storyreel::ui
