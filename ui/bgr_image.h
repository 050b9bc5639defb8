// An 8-bit BGR OpenCV frame (what core/media decodes) as a QImage that owns its pixels, for
// the views' thumbnails, previews and comparisons.
//
//   const QImage picture = imageFromBgr(media::fitToFrame(frame, 480, 270));
//
// Thread-safety: pure; any thread (QImage is safe to build off the UI thread).
#pragma once

#include <QImage>

namespace cv {
class Mat;
}

namespace storyreel::ui {

// A deep copy in QImage::Format_RGB888; a null image for an empty frame.
QImage imageFromBgr(const cv::Mat& bgr);

}  // namespace storyreel::ui
