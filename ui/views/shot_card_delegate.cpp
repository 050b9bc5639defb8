#include "ui/views/shot_card_delegate.h"

#include "ui/models/shot_list_model.h"
#include "ui/models/take_thumbnails.h"
#include "ui/preset_names.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QLocale>
#include <QPainter>
#include <QTextLayout>

namespace storyreel::ui {
namespace {

constexpr int kMargin = 8;
constexpr int kThumbWidth = 160;
constexpr int kThumbHeight = 90;

// Draws up to maxLines lines of text in rect, eliding the last one.
void drawWrapped(QPainter* painter, const QRect& rect, const QString& text, int maxLines) {
    const QFontMetrics metrics(painter->font());
    QTextLayout layout(text, painter->font());
    layout.beginLayout();
    int y = rect.top();
    for (int line = 0; line < maxLines; ++line) {
        QTextLine textLine = layout.createLine();
        if (!textLine.isValid()) {
            break;
        }
        textLine.setLineWidth(rect.width());
        const QString rest = text.mid(textLine.textStart());
        const bool last = line == maxLines - 1;
        const QString shown = last ? metrics.elidedText(rest, Qt::ElideRight, rect.width())
                                   : text.mid(textLine.textStart(), textLine.textLength());
        painter->drawText(QPoint(rect.left(), y + metrics.ascent()), shown.trimmed());
        y += metrics.lineSpacing();
    }
    layout.endLayout();
}

// The preset as a small coloured pill, so a storyboard shows its mix of presets at a glance.
QColor presetColour(const QString& preset) {
    if (preset == QStringLiteral("quality")) {
        return QColor(120, 80, 200);
    }
    if (preset == QStringLiteral("fast") || preset == QStringLiteral("fast-wan")) {
        return QColor(30, 130, 170);
    }
    return QColor(90, 120, 90);  // Animatic
}

}  // namespace

ShotCardDelegate::ShotCardDelegate(TakeThumbnails* takeThumbnails, QAbstractItemView* view)
    : QStyledItemDelegate(view), takeThumbnails_(takeThumbnails) {
    if (takeThumbnails_) {
        connect(takeThumbnails_, &TakeThumbnails::ready, view->viewport(),
                qOverload<>(&QWidget::update));
    }
}

void ShotCardDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                             const QModelIndex& index) const {
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QPalette& palette = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const QRect card = option.rect.adjusted(4, 3, -4, -3);
    painter->setPen(selected ? palette.color(QPalette::Highlight) : palette.color(QPalette::Mid));
    painter->setBrush(selected ? palette.color(QPalette::Highlight).lighter(170)
                               : palette.color(QPalette::Base));
    painter->drawRoundedRect(card, 6, 6);

    const QRect thumb(card.left() + kMargin, card.top() + kMargin, kThumbWidth, kThumbHeight);
    QImage image = index.data(ShotListModel::ThumbnailRole).value<QImage>();
    const QString takeFile = index.data(ShotListModel::ActiveTakePathRole).toString();
    const QImage live = index.data(ShotListModel::LivePreviewRole).value<QImage>();
    if (!live.isNull()) {
        image = live;  // a render in progress shows what it is making
    } else if (takeThumbnails_ && !takeFile.isEmpty()) {
        const QImage take = takeThumbnails_->thumbnail(
            takeFile, index.data(ShotListModel::ActiveTakeFramesRole).toInt() / 2);
        if (!take.isNull()) {
            image = take;
        }
    }
    painter->fillRect(thumb, Qt::black);
    const QImage scaled = image.scaled(thumb.size(), Qt::KeepAspectRatio, Qt::SmoothTransformation);
    painter->drawImage(thumb.center() - scaled.rect().center(), scaled);

    const QRect text(thumb.right() + kMargin, thumb.top(),
                     card.right() - thumb.right() - 2 * kMargin, kThumbHeight);
    QFont bold = option.font;
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(palette.color(QPalette::Text));
    const QFontMetrics boldMetrics(bold);
    painter->drawText(QPoint(text.left(), text.top() + boldMetrics.ascent()),
                      index.data(Qt::DisplayRole).toString());

    painter->setFont(option.font);
    // Preset badge after the title, then duration, takes and the queue's status.
    const QString preset = index.data(ShotListModel::PresetRole).toString();
    const QString presetName = presetDisplayName(preset.toStdString());
    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.85);
    const QFontMetrics smallMetrics(small);
    const int titleWidth = boldMetrics.horizontalAdvance(index.data(Qt::DisplayRole).toString());
    const QRect badge(text.left() + titleWidth + 8, text.top() + 1,
                      smallMetrics.horizontalAdvance(presetName) + 10, smallMetrics.height() + 2);
    painter->setPen(Qt::NoPen);
    painter->setBrush(presetColour(preset));
    painter->drawRoundedRect(badge, 4, 4);
    painter->setFont(small);
    painter->setPen(Qt::white);
    painter->drawText(badge, Qt::AlignCenter, presetName);
    painter->setFont(option.font);
    const int takes = index.data(ShotListModel::TakeCountRole).toInt();
    QString details = tr("%1 s").arg(
        QLocale().toString(index.data(ShotListModel::SecondsRole).toDouble(), 'f', 1));
    details += takes == 0 ? tr(" · no take") : tr(" · takes: %1").arg(takes);
    const QString status = index.data(ShotListModel::StatusRole).toString();
    const QPoint detailsAt(
        text.left(), text.top() + boldMetrics.lineSpacing() + QFontMetrics(option.font).ascent());
    painter->setPen(palette.color(QPalette::PlaceholderText));
    painter->drawText(detailsAt, details);
    if (!status.isEmpty()) {
        painter->setPen(palette.color(QPalette::Highlight));
        painter->drawText(
            detailsAt + QPoint(QFontMetrics(option.font).horizontalAdvance(details) + 8, 0),
            status);
    }
    painter->setPen(palette.color(QPalette::Text));
    const int promptTop = text.top() + boldMetrics.lineSpacing() * 2 + 4;
    drawWrapped(painter, QRect(text.left(), promptTop, text.width(), text.bottom() - promptTop),
                index.data(ShotListModel::PromptRole).toString(), 3);
    painter->restore();
}

QSize ShotCardDelegate::sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const {
    return QSize(cardWidth_, kThumbHeight + 2 * kMargin + 6);
}

}  // namespace storyreel::ui
