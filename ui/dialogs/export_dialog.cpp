#include "ui/dialogs/export_dialog.h"

#include "ui/std_path.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QUrl>
#include <QVBoxLayout>

#include <cmath>

namespace storyreel::ui {

ExportDialog::ExportDialog(project::Project project, QWidget* parent)
    : QDialog(parent),
      project_(std::move(project)),
      job_(new ExportJob(this)),
      kind_(new QComboBox(this)),
      target_(new QLineEdit(this)),
      placeholders_(new QCheckBox(tr("Show the still image for shots without a take"), this)),
      size_(new QComboBox(this)),
      fps_(new QComboBox(this)),
      method_(new QComboBox(this)),
      quality_(new QSlider(Qt::Horizontal, this)),
      qualityLabel_(new QLabel(this)),
      speed_(new QComboBox(this)),
      progress_(new QProgressBar(this)),
      status_(new QLabel(this)),
      export_(new QPushButton(tr("Export"), this)),
      openFolder_(new QPushButton(tr("Open Folder"), this)),
      close_(new QPushButton(tr("Close"), this)) {
    setObjectName(QStringLiteral("exportDialog"));
    setWindowTitle(tr("Export"));
    const QSettings settings;
    kind_->setObjectName(QStringLiteral("exportKind"));
    kind_->addItem(tr("Video (MP4, H.264)"), int(ExportKind::Mp4));
    kind_->addItem(tr("One video per shot (MP4)"), int(ExportKind::ShotClips));
    kind_->addItem(tr("Image sequence (PNG)"), int(ExportKind::PngSequence));
    kind_->addItem(tr("Shotcut / Kdenlive timeline (MLT)"), int(ExportKind::Mlt));
    kind_->addItem(tr("Edit decision list (CMX3600 EDL)"), int(ExportKind::Edl));
    kind_->addItem(tr("Final Cut Pro / DaVinci Resolve (FCPXML)"), int(ExportKind::Fcpxml));
    kind_->addItem(tr("OpenTimelineIO (OTIO)"), int(ExportKind::Otio));
    kind_->setCurrentIndex(settings.value(QStringLiteral("export/kind"), 0).toInt());
    target_->setObjectName(QStringLiteral("exportTarget"));
    placeholders_->setChecked(settings.value(QStringLiteral("export/placeholders"), true).toBool());
    placeholders_->setToolTip(
        tr("Without this, every shot needs a rendered take before the timeline can be "
           "exported."));
    size_->addItem(tr("Project size (%1×%2)").arg(project_.width).arg(project_.height), QSize());
    size_->addItem(tr("1920×1080"), QSize(1920, 1080));
    size_->addItem(tr("1280×720"), QSize(1280, 720));
    size_->addItem(tr("854×480"), QSize(854, 480));
    fps_->addItem(tr("Project rate (%1 fps)").arg(QLocale().toString(project_.fps)), 0.0);
    for (const double rate : {24.0, 25.0, 30.0}) {
        fps_->addItem(tr("%1 fps").arg(QLocale().toString(rate)), rate);
    }
    method_->addItem(tr("Motion-compensated (smoothest)"),
                     int(media::FrameRateMethod::MotionCompensated));
    method_->addItem(tr("Blend neighbouring frames"), int(media::FrameRateMethod::Blend));
    method_->addItem(tr("Repeat frames"), int(media::FrameRateMethod::Repeat));
    method_->setToolTip(
        tr("How takes made at another frame rate (Wan makes 16 fps) are "
           "brought to the export's rate."));
    quality_->setRange(12, 30);
    quality_->setInvertedAppearance(true);  // lower CRF is better: better to the right
    quality_->setValue(settings.value(QStringLiteral("export/crf"), 18).toInt());
    speed_->addItem(tr("Faster encoding"), QStringLiteral("veryfast"));
    speed_->addItem(tr("Balanced"), QStringLiteral("medium"));
    speed_->addItem(tr("Smaller file"), QStringLiteral("slow"));
    speed_->setCurrentIndex(1);
    progress_->setObjectName(QStringLiteral("exportProgress"));
    progress_->setVisible(false);
    status_->setObjectName(QStringLiteral("exportStatus"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    openFolder_->setObjectName(QStringLiteral("openFolderButton"));
    openFolder_->setVisible(false);
    export_->setDefault(true);

    auto* browse = new QPushButton(tr("Browse…"), this);
    auto* where = new QHBoxLayout;
    where->addWidget(target_, 1);
    where->addWidget(browse);
    auto* quality = new QHBoxLayout;
    quality->addWidget(quality_, 1);
    quality->addWidget(qualityLabel_);
    auto* form = new QFormLayout;
    form->addRow(tr("&Format:"), kind_);
    auto* saveTo = new QLabel(tr("&Save to:"), this);
    saveTo->setBuddy(target_);
    form->addRow(saveTo, where);
    form->addRow(QString(), placeholders_);
    form->addRow(tr("Frame &size:"), size_);
    form->addRow(tr("Frame &rate:"), fps_);
    form->addRow(tr("Rate &conversion:"), method_);
    auto* qualityName = new QLabel(tr("&Quality:"), this);
    qualityName->setBuddy(quality_);
    form->addRow(qualityName, quality);
    form->addRow(tr("&Encoding:"), speed_);
    auto* buttons = new QDialogButtonBox(this);
    buttons->addButton(openFolder_, QDialogButtonBox::ActionRole);
    buttons->addButton(export_, QDialogButtonBox::AcceptRole);
    buttons->addButton(close_, QDialogButtonBox::RejectRole);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addWidget(buttons);

    const auto showQuality = [this] {
        qualityLabel_->setText(tr("CRF %1").arg(quality_->value()));
    };
    showQuality();
    connect(quality_, &QSlider::valueChanged, this, showQuality);
    connect(kind_, &QComboBox::currentIndexChanged, this, &ExportDialog::onKindChanged);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::onBrowse);
    connect(export_, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(close_, &QPushButton::clicked, this, &ExportDialog::reject);
    connect(openFolder_, &QPushButton::clicked, this, [this] {
        const QFileInfo info(target());
        QDesktopServices::openUrl(QUrl::fromLocalFile(
            ExportJob::writesFolder(kind()) ? info.absoluteFilePath() : info.absolutePath()));
    });
    connect(job_, &ExportJob::progressed, this, [this](int step, int steps, double eta) {
        progress_->setRange(0, steps);
        progress_->setValue(step);
        status_->setText(
            eta >= 0.0
                ? tr("Frame %1 of %2, about %3 s left").arg(step).arg(steps).arg(std::lround(eta))
                : tr("Frame %1 of %2").arg(step).arg(steps));
    });
    connect(job_, &ExportJob::finished, this, &ExportDialog::onFinished);
    connect(job_, &ExportJob::cancelled, this, [this] {
        setRunning(false);
        status_->setText(tr("Export cancelled; nothing was left behind."));
    });
    onKindChanged();
    resize(560, sizeHint().height());
}

ExportKind ExportDialog::kind() const {
    return static_cast<ExportKind>(kind_->currentData().toInt());
}

void ExportDialog::setKind(ExportKind kind) {
    kind_->setCurrentIndex(kind_->findData(int(kind)));
}

QString ExportDialog::target() const {
    return target_->text().trimmed();
}

void ExportDialog::setTarget(const QString& path) {
    target_->setText(path);
}

QString ExportDialog::defaultTarget(ExportKind kind) const {
    const QSettings settings;
    const QString folder =
        settings.value(QStringLiteral("export/folder"), fromStdPath(project_.folder.parent_path()))
            .toString();
    const QString name = QString::fromStdString(project_.title.empty() ? "film" : project_.title);
    switch (kind) {
        case ExportKind::ShotClips:
            return QDir(folder).filePath(tr("%1 shots").arg(name));
        case ExportKind::PngSequence:
            return QDir(folder).filePath(tr("%1 frames").arg(name));
        default:
            return QDir(folder).filePath(name + QLatin1Char('.') + ExportJob::suffix(kind));
    }
}

void ExportDialog::onKindChanged() {
    const ExportKind chosen = kind();
    const bool video = chosen == ExportKind::Mp4 || chosen == ExportKind::ShotClips;
    const bool pictures = video || chosen == ExportKind::PngSequence;
    size_->setEnabled(pictures);
    fps_->setEnabled(pictures);
    method_->setEnabled(pictures);
    quality_->setEnabled(video);
    speed_->setEnabled(video);
    // Keep a name the user typed; only change what it ends in.
    const QFileInfo current(target());
    if (target().isEmpty()) {
        setTarget(defaultTarget(chosen));
    } else if (ExportJob::writesFolder(chosen)) {
        setTarget(QDir(current.absolutePath()).filePath(current.completeBaseName()));
    } else {
        setTarget(QDir(current.absolutePath())
                      .filePath(current.completeBaseName() + QLatin1Char('.') +
                                ExportJob::suffix(chosen)));
    }
}

void ExportDialog::onBrowse() {
    QString chosen;
    if (ExportJob::writesFolder(kind())) {
        chosen = QFileDialog::getSaveFileName(this, tr("Export to Folder"), target());
    } else {
        chosen = QFileDialog::getSaveFileName(
            this, tr("Export"), target(),
            tr("%1 files (*.%2)")
                .arg(ExportJob::suffix(kind()).toUpper(), ExportJob::suffix(kind())));
    }
    if (!chosen.isEmpty()) {
        setTarget(chosen);
    }
}

render::TimelineExportOptions ExportDialog::options() const {
    render::TimelineExportOptions options;
    options.usePlaceholders = placeholders_->isChecked();
    const QSize size = size_->currentData().toSize();
    options.width = size.isValid() ? size.width() : 0;
    options.height = size.isValid() ? size.height() : 0;
    options.fps = fps_->currentData().toDouble();
    options.frameRateMethod = static_cast<media::FrameRateMethod>(method_->currentData().toInt());
    options.crf = quality_->value();
    options.preset = speed_->currentData().toString().toStdString();
    return options;
}

bool ExportDialog::startExport() {
    const QString path = target();
    if (path.isEmpty()) {
        status_->setText(tr("Choose where to save the export."));
        return false;
    }
    const QFileInfo info(path);
    if (!QFileInfo(info.absolutePath()).isDir()) {
        status_->setText(tr("The folder %1 does not exist.").arg(info.absolutePath()));
        return false;
    }
    if (kind() == ExportKind::PngSequence && info.exists()) {
        status_->setText(tr("%1 already exists: image sequences go to a new folder.").arg(path));
        return false;
    }
    if (!job_->start(project_, kind(), path, options())) {
        return false;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("export/kind"), kind_->currentIndex());
    settings.setValue(QStringLiteral("export/folder"), info.absolutePath());
    settings.setValue(QStringLiteral("export/placeholders"), placeholders_->isChecked());
    settings.setValue(QStringLiteral("export/crf"), quality_->value());
    setRunning(true);
    status_->setText(tr("Exporting…"));
    return true;
}

void ExportDialog::setRunning(bool running) {
    progress_->setVisible(running || progress_->value() > 0);
    export_->setEnabled(!running);
    close_->setText(running ? tr("Cancel") : tr("Close"));
    for (QWidget* option : std::initializer_list<QWidget*>{kind_, target_, placeholders_}) {
        option->setEnabled(!running);
    }
    if (running) {
        openFolder_->setVisible(false);
        progress_->setRange(0, 0);  // busy until the first frame is reported
    }
}

void ExportDialog::onFinished(const QString& error) {
    setRunning(false);
    if (!error.isEmpty()) {
        progress_->setVisible(false);
        status_->setText(tr("The export failed: %1").arg(error));
        return;
    }
    progress_->setRange(0, 1);
    progress_->setValue(1);
    status_->setText(tr("Exported to %1").arg(QDir::toNativeSeparators(target())));
    openFolder_->setVisible(true);
}

void ExportDialog::reject() {
    if (job_->isRunning()) {
        job_->cancel();  // the dialog closes once the job says it stopped
        return;
    }
    QDialog::reject();
}

}  // namespace storyreel::ui
