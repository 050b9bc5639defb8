#include "ui/views/preview_view.h"

#include "ui/models/shot_list_model.h"
#include "ui/preset_names.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace storyreel::ui {

// Paints one frame letterboxed into the project's aspect ratio on a dark stage.
class PreviewCanvas : public QWidget {
public:
    explicit PreviewCanvas(QWidget* parent) : QWidget(parent) {
        setMinimumSize(320, 180);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    }

    void setFrame(QImage frame, double aspect, QString emptyText) {
        frame_ = std::move(frame);
        aspect_ = aspect > 0.0 ? aspect : 16.0 / 9.0;
        emptyText_ = std::move(emptyText);
        update();
    }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter painter(this);
        painter.fillRect(rect(), QColor(24, 24, 28));
        const QSize fitted = QSize(1000, static_cast<int>(1000 / aspect_))
                                 .scaled(size() * 0.96, Qt::KeepAspectRatio);
        const QRect screen(QPoint((width() - fitted.width()) / 2, (height() - fitted.height()) / 2),
                           fitted);
        painter.fillRect(screen, Qt::black);
        if (frame_.isNull()) {
            painter.setPen(QColor(170, 170, 176));
            painter.drawText(screen, Qt::AlignCenter | Qt::TextWordWrap, emptyText_);
            return;
        }
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        const QSize imageSize = frame_.size().scaled(screen.size(), Qt::KeepAspectRatio);
        painter.drawImage(
            QRect(screen.center() - QPoint(imageSize.width() / 2, imageSize.height() / 2),
                  imageSize),
            frame_);
    }

private:
    QImage frame_;
    double aspect_ = 16.0 / 9.0;
    QString emptyText_;
};

PreviewView::PreviewView(QWidget* parent)
    : QWidget(parent),
      canvas_(new PreviewCanvas(this)),
      play_(new QToolButton(this)),
      position_(new QLabel(this)) {
    setObjectName(QStringLiteral("previewView"));
    play_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    play_->setEnabled(false);
    play_->setToolTip(tr("Play the active take (render a take first)"));
    auto* transport = new QHBoxLayout;
    transport->addWidget(play_);
    transport->addWidget(position_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 4);
    layout->addWidget(canvas_, 1);
    layout->addLayout(transport);
    showShot(QModelIndex(), 16.0 / 9.0);
}

void PreviewView::showShot(const QModelIndex& index, double projectAspect) {
    if (!index.isValid()) {
        canvas_->setFrame(QImage(), projectAspect, tr("Select a shot to preview it."));
        position_->clear();
        return;
    }
    QImageReader reader(index.data(ShotListModel::ImagePathRole).toString());
    reader.setAutoTransform(true);
    const QImage frame = reader.read();
    canvas_->setFrame(frame, projectAspect,
                      tr("The image of this shot cannot be read:\n%1").arg(reader.errorString()));
    const double start = index.data(ShotListModel::StartSecondsRole).toDouble();
    const double seconds = index.data(ShotListModel::SecondsRole).toDouble();
    const int takes = index.data(ShotListModel::TakeCountRole).toInt();
    const QString takeText =
        takes == 0 ? tr("still image, no take yet")
                   : tr("takes: %1, active: %2")
                         .arg(takes)
                         .arg(QFileInfo(index.data(ShotListModel::ActiveTakeRole).toString())
                                  .completeBaseName());
    position_->setText(
        tr("%1 · starts at %2 s · %3 s · %4 · %5")
            .arg(index.data(Qt::DisplayRole).toString())
            .arg(QLocale().toString(start, 'f', 1))
            .arg(QLocale().toString(seconds, 'f', 1))
            .arg(presetDisplayName(index.data(ShotListModel::PresetRole).toString().toStdString()))
            .arg(takeText));
}

}  // namespace storyreel::ui
