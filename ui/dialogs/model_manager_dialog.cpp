#include "ui/dialogs/model_manager_dialog.h"

#include "core/render/engine_catalog.h"
#include "ui/licence_notice.h"
#include "ui/preset_names.h"
#include "ui/std_path.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace storyreel::ui {
namespace {

// The roles the registry names, as users read them.
QString roleName(const std::string& role) {
    static const std::pair<const char*, const char*> kRoles[] = {
        {"transformer", QT_TRANSLATE_NOOP("storyreel::ui::ModelManagerDialog", "transformer")},
        {"VAE", QT_TRANSLATE_NOOP("storyreel::ui::ModelManagerDialog", "VAE")},
        {"text encoder", QT_TRANSLATE_NOOP("storyreel::ui::ModelManagerDialog", "text encoder")},
        {"second text encoder",
         QT_TRANSLATE_NOOP("storyreel::ui::ModelManagerDialog", "second text encoder")},
        {"image encoder", QT_TRANSLATE_NOOP("storyreel::ui::ModelManagerDialog", "image encoder")},
        {"step-distillation LoRA",
         QT_TRANSLATE_NOOP("storyreel::ui::ModelManagerDialog", "step-distillation LoRA")},
        {"text encoder's vision tower",
         QT_TRANSLATE_NOOP("storyreel::ui::ModelManagerDialog", "text encoder's vision tower")},
    };
    for (const auto& [id, name] : kRoles) {
        if (role == id) {
            return QCoreApplication::translate("storyreel::ui::ModelManagerDialog", name);
        }
    }
    return QString::fromStdString(role);
}

// The profiles core/infer/memory/memory_profile.h defines, by the GPU memory they fit.
const char* const kProfiles[] = {"auto", "8gb", "12gb", "16gb", "24gb", "48gb", "80gb", "cpu"};

}  // namespace

ModelManagerDialog::ModelManagerDialog(QWidget* parent)
    : QDialog(parent),
      folder_(new QLineEdit(this)),
      profile_(new QComboBox(this)),
      presets_(new QTreeWidget(this)),
      files_(new QTreeWidget(this)),
      status_(new QLabel(this)) {
    setObjectName(QStringLiteral("modelManager"));
    setWindowTitle(tr("Models"));
    folder_->setObjectName(QStringLiteral("modelsFolder"));
    folder_->setText(modelsFolder());
    for (const char* id : kProfiles) {
        const QString name = QString::fromLatin1(id);
        profile_->addItem(name == QStringLiteral("auto")  ? tr("Automatic (from free GPU memory)")
                          : name == QStringLiteral("cpu") ? tr("CPU only (very slow)")
                                                          : tr("%1 GB GPU").arg(name.chopped(2)),
                          name);
    }
    profile_->setObjectName(QStringLiteral("memoryProfile"));
    profile_->setCurrentIndex(std::max(0, profile_->findData(memoryProfile())));
    profile_->setToolTip(
        tr("How much of the models stays on the GPU: smaller profiles keep "
           "weights quantised, swap transformer blocks in from system memory "
           "and decode video in tiles, trading speed for memory."));
    connect(profile_, &QComboBox::currentIndexChanged, this, [this] {
        QSettings().setValue(QStringLiteral("models/memoryProfile"), profile_->currentData());
    });

    presets_->setObjectName(QStringLiteral("presetTree"));
    presets_->setHeaderLabels({tr("Preset and parts"), tr("Status")});
    presets_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    presets_->setWordWrap(true);
    files_->setObjectName(QStringLiteral("fileTree"));
    files_->setHeaderLabels({tr("File"), tr("Model"), tr("Variant"), tr("Layout"), tr("Size")});
    files_->setRootIsDecorated(false);
    status_->setWordWrap(true);

    auto* browse = new QPushButton(tr("Browse…"), this);
    auto* rescanButton = new QPushButton(tr("Rescan"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString chosen =
            QFileDialog::getExistingDirectory(this, tr("Models Folder"), folder_->text());
        if (!chosen.isEmpty()) {
            setFolder(chosen);
        }
    });
    connect(rescanButton, &QPushButton::clicked, this, &ModelManagerDialog::rescan);
    connect(folder_, &QLineEdit::editingFinished, this, [this] { setFolder(folder_->text()); });
    auto* where = new QHBoxLayout;
    where->addWidget(folder_, 1);
    where->addWidget(browse);
    where->addWidget(rescanButton);
    auto* form = new QFormLayout;
    auto* folderName = new QLabel(tr("Models &folder:"), this);
    folderName->setBuddy(folder_);
    form->addRow(folderName, where);
    form->addRow(tr("&Memory profile:"), profile_);

    auto* tabs = new QTabWidget(this);
    tabs->addTab(presets_, tr("Presets"));
    tabs->addTab(files_, tr("Files"));
    auto* licences = new QLabel(this);
    licences->setObjectName(QStringLiteral("licenceText"));
    licences->setWordWrap(true);
    licences->setTextFormat(Qt::RichText);
    licences->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    licences->setText(QStringLiteral("<p><b>%1</b><br>%2</p><p><b>%3</b><br>%4</p>")
                          .arg(tr("Wan 2.1 (Quality; Fast, distilled)"),
                               presetLicenceText("quality").toHtmlEscaped(),
                               tr("HunyuanVideo-I2V (Fast)"),
                               presetLicenceText("fast").toHtmlEscaped()));
    tabs->addTab(licences, tr("Licences"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(tabs, 1);
    layout->addWidget(status_);
    layout->addWidget(buttons);
    connect(&scan_, &QFutureWatcher<render::ModelFolderInfo>::finished, this,
            &ModelManagerDialog::showResult);
    resize(820, 560);
    rescan();
}

ModelManagerDialog::~ModelManagerDialog() {
    // The line edit loses focus as the dialog goes; it must not start a scan then.
    disconnect(folder_, nullptr, this, nullptr);
    scan_.waitForFinished();
}

QString ModelManagerDialog::modelsFolder() {
    return QSettings()
        .value(QStringLiteral("models/folder"),
               QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                   QStringLiteral("/models"))
        .toString();
}

QString ModelManagerDialog::memoryProfile() {
    return QSettings()
        .value(QStringLiteral("models/memoryProfile"), QStringLiteral("auto"))
        .toString();
}

void ModelManagerDialog::setFolder(const QString& folder) {
    folder_->setText(folder);
    QSettings().setValue(QStringLiteral("models/folder"), folder);
    // The engines and the preset catalog read the folder from the environment.
    qputenv("STORYREEL_MODELS_DIR", QFile::encodeName(folder));
    rescan();
}

void ModelManagerDialog::rescan() {
    if (scan_.isRunning()) {
        rescanPending_ = true;  // a scan cannot be stopped: the new one follows it
        return;
    }
    const QString folder = folder_->text();
    QDir().mkpath(folder);  // the default folder exists from the start, to drop files into
    status_->setText(tr("Looking at the files in %1…").arg(QDir::toNativeSeparators(folder)));
    scan_.setFuture(
        QtConcurrent::run([path = toStdPath(folder)] { return render::inspectModelFolder(path); }));
}

void ModelManagerDialog::showResult() {
    if (rescanPending_) {
        rescanPending_ = false;
        rescan();  // what just ended looked at a folder the user has left
        return;
    }
    render::refreshPresetCatalog();  // files may have been added since the last look
    render::ModelFolderInfo info;
    try {
        info = scan_.result();
    } catch (const std::exception& error) {
        status_->setText(QString::fromStdString(error.what()));
        Q_EMIT scanned();
        return;
    }
    presets_->clear();
    for (const render::ModelPresetInfo& preset : info.presets) {
        auto* item = new QTreeWidgetItem(
            presets_, {presetDisplayName(preset.id),
                       preset.complete ? tr("ready: every file found") : tr("files missing")});
        item->setData(0, Qt::UserRole, QString::fromStdString(preset.id));
        for (const render::ModelComponentInfo& part : preset.components) {
            QString state;
            if (!part.found.empty()) {
                state = tr("found: %1").arg(fromStdPath(part.found.front().filename()));
            } else if (!part.unsuitable.empty()) {
                state = tr("%1 does not fit: %2")
                            .arg(fromStdPath(part.unsuitable.front().first.filename()),
                                 QString::fromStdString(part.unsuitable.front().second));
            } else {
                state = part.optional ? tr("not found (optional)") : tr("missing");
            }
            auto* child = new QTreeWidgetItem(
                item, {QStringLiteral("%1 (%2)").arg(roleName(part.role),
                                                     QString::fromStdString(part.family)),
                       state});
            child->setToolTip(1, state);
        }
        item->setExpanded(true);
    }
    files_->clear();
    for (const render::ModelFileInfo& file : info.files) {
        QString model = QString::fromStdString(file.family);
        if (file.status == render::ModelFileStatus::Unrecognised) {
            model = tr("not a model Storyreel knows");
        } else if (file.status == render::ModelFileStatus::Unreadable) {
            model = tr("cannot be read: %1").arg(QString::fromStdString(file.error));
        }
        auto* item = new QTreeWidgetItem(
            files_, {fromStdPath(file.path.filename()), model, QString::fromStdString(file.variant),
                     QString::fromStdString(file.layout),
                     QLocale().formattedDataSize(static_cast<qint64>(file.sizeBytes))});
        item->setToolTip(0, QDir::toNativeSeparators(fromStdPath(file.path)));
    }
    const int ready = static_cast<int>(
        std::count_if(info.presets.begin(), info.presets.end(),
                      [](const render::ModelPresetInfo& preset) { return preset.complete; }));
    status_->setText(tr("%1 model files found; presets ready: %2 of %3. A preset renders as "
                        "soon as every part it needs is found here.")
                         .arg(info.files.size())
                         .arg(ready)
                         .arg(info.presets.size()));
    Q_EMIT scanned();
}

}  // namespace storyreel::ui
