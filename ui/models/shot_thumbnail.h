// The picture a shot shows on its card and on the timeline: its image scaled to the card
// size, or a placeholder that says the image is missing. Pure QImage work, so an import
// thread can make thumbnails before the shots reach the model.
//
//   QImage card = makeShotThumbnail(fromStdPath(project.imagePath(shot)));
//
// Thread-safety: may be called from any thread.
#pragma once

#include <QImage>
#include <QSize>
#include <QString>

namespace storyreel::ui {

inline constexpr QSize kShotThumbnailSize{320, 180};

QImage makeShotThumbnail(const QString& imagePath);

}  // namespace storyreel::ui
