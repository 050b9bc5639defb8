#include "ui/views/shot_card_delegate.h"

#include "ui/models/shot_list_model.h"
#include "ui/preset_names.h"

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

}  // namespace

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
    const QImage image = index.data(ShotListModel::ThumbnailRole).value<QImage>();
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
    const QString details =
        tr("%1 s · %2")
            .arg(QLocale().toString(index.data(ShotListModel::SecondsRole).toDouble(), 'f', 1))
            .arg(presetDisplayName(index.data(ShotListModel::PresetRole).toString().toStdString()));
    painter->setPen(palette.color(QPalette::PlaceholderText));
    painter->drawText(QPoint(text.left(), text.top() + boldMetrics.lineSpacing() +
                                              QFontMetrics(option.font).ascent()),
                      details);
    painter->setPen(palette.color(QPalette::Text));
    const int promptTop = text.top() + boldMetrics.lineSpacing() * 2 + 4;
    drawWrapped(painter, QRect(text.left(), promptTop, text.width(), text.bottom() - promptTop),
                index.data(ShotListModel::PromptRole).toString(), 3);
    painter->restore();
}

QSize ShotCardDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const {
    return QSize(option.rect.width() > 0 ? option.rect.width() : 360,
                 kThumbHeight + 2 * kMargin + 6);
}

}  // namespace storyreel::ui
