#include "ui/dialogs/new_project_dialog.h"

#include "ui/preset_names.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSize>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace storyreel::ui {
namespace {

// Previs sizes: the neural presets render 480p or 720p; HD for delivery of the animatic.
struct SizeChoice {
    int width;
    int height;
    const char* label;
};
constexpr SizeChoice kSizes[] = {
    {1280, 720, QT_TRANSLATE_NOOP("storyreel::ui::NewProjectDialog", "720p HD (1280×720)")},
    {1920, 1080, QT_TRANSLATE_NOOP("storyreel::ui::NewProjectDialog", "1080p Full HD (1920×1080)")},
    {832, 480, QT_TRANSLATE_NOOP("storyreel::ui::NewProjectDialog", "480p (832×480, Wan)")},
    {720, 1280, QT_TRANSLATE_NOOP("storyreel::ui::NewProjectDialog", "Vertical 720p (720×1280)")},
    {1080, 1080, QT_TRANSLATE_NOOP("storyreel::ui::NewProjectDialog", "Square (1080×1080)")},
};
constexpr double kRates[] = {24.0, 25.0, 30.0, 16.0, 23.976};

}  // namespace

NewProjectDialog::NewProjectDialog(QWidget* parent)
    : QDialog(parent),
      title_(new QLineEdit(this)),
      location_(new QLineEdit(this)),
      size_(new QComboBox(this)),
      fps_(new QComboBox(this)),
      preset_(new QComboBox(this)),
      folderLabel_(new QLabel(this)) {
    setObjectName(QStringLiteral("newProjectDialog"));
    setWindowTitle(tr("New Project"));
    const QSettings settings;
    title_->setObjectName(QStringLiteral("projectTitle"));
    title_->setText(tr("Untitled"));
    title_->selectAll();
    location_->setObjectName(QStringLiteral("projectLocation"));
    location_->setText(
        settings
            .value(QStringLiteral("newProject/location"),
                   QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
            .toString());
    for (const SizeChoice& size : kSizes) {
        size_->addItem(tr(size.label), QSize(size.width, size.height));
    }
    size_->setCurrentIndex(settings.value(QStringLiteral("newProject/size"), 0).toInt());
    for (const double rate : kRates) {
        fps_->addItem(tr("%1 fps").arg(QLocale().toString(rate)), rate);
    }
    fps_->setCurrentIndex(settings.value(QStringLiteral("newProject/fps"), 0).toInt());
    for (const char* id : {"animatic", "fast", "fast-wan", "quality"}) {
        preset_->addItem(presetDisplayName(id), QString::fromLatin1(id));
    }
    folderLabel_->setWordWrap(true);
    folderLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString chosen = QFileDialog::getExistingDirectory(
            this, tr("Where to Create the Project"), location_->text(), QFileDialog::ShowDirsOnly);
        if (!chosen.isEmpty()) {
            location_->setText(chosen);
        }
    });
    auto* where = new QHBoxLayout;
    where->addWidget(location_, 1);
    where->addWidget(browse);

    auto* form = new QFormLayout;
    form->addRow(tr("&Title:"), title_);
    auto* locationName = new QLabel(tr("&Location:"), this);
    locationName->setBuddy(location_);
    form->addRow(locationName, where);
    form->addRow(QString(), folderLabel_);
    form->addRow(tr("Frame &size:"), size_);
    form->addRow(tr("Frame &rate:"), fps_);
    form->addRow(tr("New shots &use:"), preset_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    connect(title_, &QLineEdit::textChanged, this, &NewProjectDialog::updateFolderLabel);
    connect(location_, &QLineEdit::textChanged, this, &NewProjectDialog::updateFolderLabel);
    updateFolderLabel();
    resize(520, sizeHint().height());
}

QString NewProjectDialog::folder() const {
    QString name = title_->text().trimmed();
    name.replace(QRegularExpression(QStringLiteral("[/\\\\:*?\"<>|]")), QStringLiteral("-"));
    if (name.isEmpty()) {
        name = tr("Untitled");
    }
    return QDir(location_->text()).filePath(name + QStringLiteral(".storyreel"));
}

project::NewProjectOptions NewProjectDialog::options() const {
    project::NewProjectOptions options;
    options.title = title_->text().trimmed().toStdString();
    const QSize size = size_->currentData().toSize();
    options.width = size.width();
    options.height = size.height();
    options.fps = fps_->currentData().toDouble();
    options.defaultPreset = preset_->currentData().toString().toStdString();
    return options;
}

void NewProjectDialog::updateFolderLabel() {
    const bool taken = QFileInfo::exists(folder());
    folderLabel_->setText(taken ? tr("%1 already exists: choose another title or location.")
                                      .arg(QDir::toNativeSeparators(folder()))
                                : tr("Creates %1").arg(QDir::toNativeSeparators(folder())));
}

void NewProjectDialog::accept() {
    if (QFileInfo::exists(folder())) {
        updateFolderLabel();
        return;  // the label already says why
    }
    QSettings settings;
    settings.setValue(QStringLiteral("newProject/location"), location_->text());
    settings.setValue(QStringLiteral("newProject/size"), size_->currentIndex());
    settings.setValue(QStringLiteral("newProject/fps"), fps_->currentIndex());
    QDialog::accept();
}

}  // namespace storyreel::ui
