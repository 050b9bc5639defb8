#include "ui/views/preview_view.h"

#include "ui/controllers/playback_controller.h"
#include "ui/models/shot_list_model.h"
#include "ui/preset_names.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace storyreel::ui {

// Paints one frame letterboxed into the project's aspect ratio on a dark stage.
class PreviewCanvas : public QWidget {
public:
    explicit PreviewCanvas(PreviewView* owner) : QWidget(owner), owner_(owner) {
        setMinimumSize(320, 180);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
        setObjectName(QStringLiteral("previewCanvas"));
    }

    void setFrame(QImage frame) {
        frame_ = std::move(frame);
        update();
    }
    void setAspect(double aspect) {
        aspect_ = aspect > 0.0 ? aspect : 16.0 / 9.0;
        update();
    }
    void setEmptyText(QString text) {
        emptyText_ = std::move(text);
        update();
    }
    const QImage& frame() const { return frame_; }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter painter(this);
        painter.fillRect(rect(), QColor(24, 24, 28));
        const QSize fitted = QSize(1000, static_cast<int>(1000 / aspect_))
                                 .scaled(size() * (isWindow() ? 1.0 : 0.96), Qt::KeepAspectRatio);
        const QRect screen(QPoint((width() - fitted.width()) / 2, (height() - fitted.height()) / 2),
                           fitted);
        painter.fillRect(screen, Qt::black);
        if (frame_.isNull()) {
            painter.setPen(QColor(170, 170, 176));
            painter.drawText(screen, Qt::AlignCenter | Qt::TextWordWrap, emptyText_);
            return;
        }
        // Bilinear is enough for a preview and keeps painting a frame to a few milliseconds.
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        const QSize imageSize = frame_.size().scaled(screen.size(), Qt::KeepAspectRatio);
        painter.drawImage(
            QRect(screen.center() - QPoint(imageSize.width() / 2, imageSize.height() / 2),
                  imageSize),
            frame_);
    }

    void keyPressEvent(QKeyEvent* event) override {
        if (isWindow() && (event->key() == Qt::Key_Escape || event->key() == Qt::Key_F)) {
            owner_->toggleFullScreen();
            return;
        }
        QWidget::keyPressEvent(event);
    }

    void mouseDoubleClickEvent(QMouseEvent*) override { owner_->toggleFullScreen(); }

private:
    PreviewView* owner_;
    QImage frame_;
    double aspect_ = 16.0 / 9.0;
    QString emptyText_;
};

namespace {

// "0:05:12": minutes, seconds and the frame within the second, as editors show time.
QString timecode(long frame, double fps) {
    const long perSecond = std::max(1L, std::lround(fps));
    const long seconds = frame / perSecond;
    return QStringLiteral("%1:%2:%3")
        .arg(seconds / 60)
        .arg(seconds % 60, 2, 10, QLatin1Char('0'))
        .arg(frame % perSecond, 2, 10, QLatin1Char('0'));
}

}  // namespace

PreviewView::PreviewView(QWidget* parent)
    : QWidget(parent),
      canvas_(new PreviewCanvas(this)),
      play_(new QToolButton(this)),
      loop_(new QToolButton(this)),
      timecode_(new QLabel(this)),
      shotLabel_(new QLabel(this)) {
    setObjectName(QStringLiteral("previewView"));
    play_->setObjectName(QStringLiteral("playButton"));
    play_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    play_->setEnabled(false);
    loop_->setObjectName(QStringLiteral("loopButton"));
    loop_->setText(tr("Loop"));
    loop_->setCheckable(true);
    loop_->setToolTip(tr("Play the in/out range (or the whole timeline) over and over"));
    timecode_->setObjectName(QStringLiteral("timecode"));
    timecode_->setFont(QFont(QStringLiteral("monospace")));
    shotLabel_->setObjectName(QStringLiteral("shotLabel"));
    shotLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long description must not widen the window: it is cut at the panel's edge.
    shotLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto* transport = new QHBoxLayout;
    transport->addWidget(play_);
    transport->addWidget(loop_);
    transport->addWidget(timecode_);
    transport->addSpacing(12);
    transport->addWidget(shotLabel_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 4);
    layout->addWidget(canvas_, 1);
    layout->addLayout(transport);
    canvas_->setEmptyText(tr("Add shots to the storyboard to preview them here."));
}

void PreviewView::setTransport(PlaybackController* transport) {
    transport_ = transport;
    connect(play_, &QToolButton::clicked, transport_, &PlaybackController::togglePlay);
    connect(loop_, &QToolButton::toggled, transport_, &PlaybackController::setLoop);
    connect(transport_, &PlaybackController::stateChanged, this, &PreviewView::updateTransport);
    connect(transport_, &PlaybackController::positionChanged, this, &PreviewView::updateTransport);
    updateTransport();
}

void PreviewView::updateTransport() {
    if (!transport_) {
        return;
    }
    const bool any = transport_->frameCount() > 0;
    play_->setEnabled(any);
    play_->setIcon(style()->standardIcon(transport_->isPlaying() ? QStyle::SP_MediaPause
                                                                 : QStyle::SP_MediaPlay));
    play_->setToolTip(transport_->isPlaying() ? tr("Pause (Space)") : tr("Play (Space)"));
    loop_->setChecked(transport_->loops());
    QString text = timecode(transport_->position(), transport_->fps()) + QStringLiteral(" / ") +
                   timecode(std::max(0L, transport_->frameCount() - 1), transport_->fps());
    if (transport_->inPoint() >= 0 || transport_->outPoint() >= 0) {
        text +=
            tr("  in %1 out %2")
                .arg(transport_->inPoint() >= 0 ? timecode(transport_->inPoint(), transport_->fps())
                                                : QStringLiteral("–"))
                .arg(transport_->outPoint() >= 0
                         ? timecode(transport_->outPoint(), transport_->fps())
                         : QStringLiteral("–"));
    }
    if (std::abs(transport_->speed()) > 1) {
        text += QStringLiteral("  %1×").arg(transport_->speed());
    }
    timecode_->setText(text);
}

void PreviewView::showShot(const QModelIndex& index, double projectAspect) {
    setAspect(projectAspect);
    if (!index.isValid()) {
        shotLabel_->clear();
        return;
    }
    const double seconds = index.data(ShotListModel::SecondsRole).toDouble();
    const int takes = index.data(ShotListModel::TakeCountRole).toInt();
    const QString takeText =
        takes == 0 ? tr("still image, no take yet")
                   : tr("takes: %1, active: %2")
                         .arg(takes)
                         .arg(QFileInfo(index.data(ShotListModel::ActiveTakeRole).toString())
                                  .completeBaseName());
    shotLabel_->setText(
        tr("%1 · %2 s · %3 · %4")
            .arg(index.data(Qt::DisplayRole).toString())
            .arg(QLocale().toString(seconds, 'f', 1))
            .arg(presetDisplayName(index.data(ShotListModel::PresetRole).toString().toStdString()))
            .arg(takeText));
}

void PreviewView::showFrame(const QImage& frame) {
    if (!frame.isNull()) {
        canvas_->setFrame(frame);
    }
}

void PreviewView::setAspect(double aspect) {
    canvas_->setAspect(aspect);
}

QImage PreviewView::shownFrame() const {
    return canvas_->frame();
}

bool PreviewView::isFullScreen() const {
    return canvas_->isWindow();
}

void PreviewView::toggleFullScreen() {
    if (canvas_->isWindow()) {
        canvas_->setWindowFlags(Qt::Widget);
        static_cast<QVBoxLayout*>(layout())->insertWidget(0, canvas_, 1);
        canvas_->show();
        return;
    }
    layout()->removeWidget(canvas_);
    canvas_->setWindowFlags(Qt::Window);
    canvas_->showFullScreen();
    canvas_->setFocus();
}

}  // namespace storyreel::ui
