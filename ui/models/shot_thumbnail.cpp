#include "ui/models/shot_thumbnail.h"

#include <QColor>
#include <QCoreApplication>
#include <QImageReader>
#include <QPainter>

namespace storyreel::ui {

QImage makeShotThumbnail(const QString& imagePath) {
    QImageReader reader(imagePath);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid()) {
        // Decoding at twice the card size keeps big images cheap and the result sharp.
        reader.setScaledSize(size.scaled(kShotThumbnailSize * 2, Qt::KeepAspectRatio));
    }
    const QImage image = reader.read();
    if (!image.isNull()) {
        return image.scaled(kShotThumbnailSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    }
    // A missing or unreadable image still gets a card, saying so, so the shot stays editable.
    QImage placeholder(kShotThumbnailSize, QImage::Format_RGB32);
    placeholder.fill(QColor(60, 60, 66));
    QPainter painter(&placeholder);
    painter.setPen(QColor(220, 120, 110));
    painter.drawText(placeholder.rect(), Qt::AlignCenter,
                     QCoreApplication::translate("storyreel::ui::ShotListModel", "Image missing"));
    return placeholder;
}

}  // namespace storyreel::ui
