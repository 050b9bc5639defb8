#include "ui/models/take_thumbnails.h"

#include "core/media/frame_fit.h"
#include "core/media/video_decoder.h"
#include "ui/bgr_image.h"
#include "ui/models/shot_thumbnail.h"
#include "ui/std_path.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <opencv2/core.hpp>

namespace storyreel::ui {
namespace {

// A frame from the middle: the first often still shows the board before the motion starts.
QImage frameOf(const QString& file, long index) {
    try {
        media::VideoDecoder decoder(toStdPath(file));
        cv::Mat frame;
        if (!(index > 0 && decoder.seek(index) && decoder.read(frame))) {
            media::VideoDecoder fromStart(toStdPath(file));
            if (!fromStart.read(frame)) {
                return {};
            }
        }
        return imageFromBgr(
            media::fitToFrame(frame, kShotThumbnailSize.width(), kShotThumbnailSize.height()));
    } catch (const std::exception&) {
        return {};  // the strip shows the take without a picture; the preview says why
    }
}

}  // namespace

TakeThumbnails::TakeThumbnails(QObject* parent) : QObject(parent) {
    pool_.setMaxThreadCount(1);
}

TakeThumbnails::~TakeThumbnails() {
    // Jobs hold no pointer to this object (results come back through their watchers,
    // which are children); wait so none outlives the application.
    pool_.waitForDone();
}

QImage TakeThumbnails::thumbnail(const QString& takeFile, long frame) {
    const auto found = done_.constFind(takeFile);
    if (found != done_.constEnd()) {
        return *found;
    }
    if (!pending_.contains(takeFile)) {
        pending_.insert(takeFile);
        auto* watcher = new QFutureWatcher<QImage>(this);
        connect(watcher, &QFutureWatcher<QImage>::finished, this, [this, watcher, takeFile] {
            done_.insert(takeFile, watcher->result());
            pending_.remove(takeFile);
            watcher->deleteLater();
            Q_EMIT ready(takeFile);
        });
        watcher->setFuture(QtConcurrent::run(&pool_, frameOf, takeFile, frame));
    }
    return {};
}

}  // namespace storyreel::ui
