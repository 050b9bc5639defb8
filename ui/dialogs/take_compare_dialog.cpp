#include "ui/dialogs/take_compare_dialog.h"

#include "core/media/frame_fit.h"
#include "core/media/video_decoder.h"
#include "ui/bgr_image.h"
#include "ui/std_path.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QStyle>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <opencv2/core.hpp>

#include <algorithm>

namespace storyreel::ui {
namespace {

constexpr int kWidth = 480;
constexpr int kHeight = 270;

std::vector<QImage> decodeTake(const std::filesystem::path& file) {
    std::vector<QImage> frames;
    try {
        media::VideoDecoder decoder(file);
        cv::Mat frame;
        while (decoder.read(frame)) {
            frames.push_back(imageFromBgr(media::fitToFrame(frame, kWidth, kHeight)));
        }
    } catch (const std::exception&) {
        // An unreadable take shows as empty; the status line says so.
    }
    return frames;
}

QString takeTitle(const project::Take& take) {
    return QCoreApplication::translate("storyreel::ui::TakeCompareDialog", "%1 · seed %2")
        .arg(QString::fromStdString(take.id))
        .arg(take.seed);
}

}  // namespace

TakeCompareDialog::TakeCompareDialog(const std::filesystem::path& projectFolder, project::Take a,
                                     project::Take b, QWidget* parent)
    : QDialog(parent),
      a_(std::move(a)),
      b_(std::move(b)),
      pictureA_(new QLabel(this)),
      pictureB_(new QLabel(this)),
      slider_(new QSlider(Qt::Horizontal, this)),
      play_(new QPushButton(this)),
      status_(new QLabel(tr("Loading both takes…"), this)) {
    setObjectName(QStringLiteral("takeCompare"));
    setWindowTitle(tr("Compare Takes"));
    for (QLabel* picture : {pictureA_, pictureB_}) {
        picture->setFixedSize(kWidth, kHeight);
        picture->setAlignment(Qt::AlignCenter);
        picture->setStyleSheet(QStringLiteral("background: black;"));
    }
    pictureA_->setObjectName(QStringLiteral("takeA"));
    pictureB_->setObjectName(QStringLiteral("takeB"));
    play_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    play_->setEnabled(false);
    slider_->setEnabled(false);
    auto* useA = new QPushButton(tr("Use A"), this);
    auto* useB = new QPushButton(tr("Use B"), this);
    useA->setObjectName(QStringLiteral("useA"));
    useB->setObjectName(QStringLiteral("useB"));
    auto* grid = new QGridLayout;
    grid->addWidget(new QLabel(QStringLiteral("A: ") + takeTitle(a_), this), 0, 0);
    grid->addWidget(new QLabel(QStringLiteral("B: ") + takeTitle(b_), this), 0, 1);
    grid->addWidget(pictureA_, 1, 0);
    grid->addWidget(pictureB_, 1, 1);
    grid->addWidget(useA, 2, 0);
    grid->addWidget(useB, 2, 1);
    auto* transport = new QHBoxLayout;
    transport->addWidget(play_);
    transport->addWidget(slider_, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addLayout(transport);
    layout->addWidget(status_);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(useA, &QPushButton::clicked, this, [this] {
        Q_EMIT chosen(QString::fromStdString(a_.id));
        accept();
    });
    connect(useB, &QPushButton::clicked, this, [this] {
        Q_EMIT chosen(QString::fromStdString(b_.id));
        accept();
    });
    connect(slider_, &QSlider::valueChanged, this, &TakeCompareDialog::showFrame);
    connect(play_, &QPushButton::clicked, this, &TakeCompareDialog::togglePlay);
    connect(&timer_, &QTimer::timeout, this, [this] {
        slider_->setValue(position() + 1 < frameCount() ? position() + 1 : 0);  // loops
    });
    connect(&loading_, &QFutureWatcher<Frames>::finished, this, &TakeCompareDialog::onLoaded);
    const auto fileA = projectFolder / a_.file;
    const auto fileB = projectFolder / b_.file;
    loading_.setFuture(QtConcurrent::run([fileA, fileB] {
        return Frames{decodeTake(fileA), decodeTake(fileB)};
    }));
}

TakeCompareDialog::~TakeCompareDialog() {
    loading_.waitForFinished();
}

int TakeCompareDialog::frameCount() const {
    return static_cast<int>(std::max(frames_.first.size(), frames_.second.size()));
}

int TakeCompareDialog::position() const {
    return slider_->value();
}

void TakeCompareDialog::onLoaded() {
    frames_ = loading_.result();
    loaded_ = true;
    const bool any = frameCount() > 0;
    slider_->setRange(0, std::max(0, frameCount() - 1));
    slider_->setEnabled(any);
    play_->setEnabled(any);
    status_->setText(frames_.first.empty() || frames_.second.empty()
                         ? tr("One of the takes cannot be read; its file may be missing.")
                         : tr("Both takes play in step; the shorter one holds its last frame."));
    const double fps = a_.fps > 0.0 ? a_.fps : 24.0;
    timer_.setInterval(static_cast<int>(1000.0 / fps));
    showFrame(0);
    Q_EMIT loaded();
}

// The shorter take holds its last frame while the longer one plays on.
void TakeCompareDialog::showFrame(int frame) {
    const auto pick = [frame](const std::vector<QImage>& frames) {
        return frames.empty() ? QImage()
                              : frames[static_cast<std::size_t>(
                                    std::clamp(frame, 0, static_cast<int>(frames.size()) - 1))];
    };
    pictureA_->setPixmap(QPixmap::fromImage(pick(frames_.first)));
    pictureB_->setPixmap(QPixmap::fromImage(pick(frames_.second)));
    if (slider_->value() != frame) {
        slider_->setValue(frame);
    }
}

void TakeCompareDialog::togglePlay() {
    timer_.isActive() ? timer_.stop() : timer_.start();
    play_->setIcon(
        style()->standardIcon(timer_.isActive() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

}  // namespace storyreel::ui
