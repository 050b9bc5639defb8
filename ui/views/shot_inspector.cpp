#include "ui/views/shot_inspector.h"

#include "core/render/animatic_engine.h"
#include "core/render/engine_catalog.h"
#include "core/render/preset_defaults.h"
#include "ui/models/shot_list_model.h"
#include "ui/preset_names.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace storyreel::ui {
namespace {

QPlainTextEdit* makeTextBox(int lines, QWidget* parent) {
    auto* box = new QPlainTextEdit(parent);
    box->setTabChangesFocus(true);
    box->setFixedHeight(box->fontMetrics().lineSpacing() * lines + 12);
    return box;
}

}  // namespace

ShotInspector::ShotInspector(QWidget* parent)
    : QWidget(parent),
      title_(new QLabel(this)),
      image_(new QLabel(this)),
      prompt_(makeTextBox(4, this)),
      negativePrompt_(makeTextBox(2, this)),
      preset_(new QComboBox(this)),
      seconds_(new QDoubleSpinBox(this)),
      seed_(new QLineEdit(this)),
      notes_(makeTextBox(3, this)),
      chips_(new QLabel(this)),
      render_(new QPushButton(tr("Render Take"), this)),
      newSeed_(new QPushButton(tr("New"), this)),
      seedLocked_(new QCheckBox(tr("Keep"), this)),
      advancedToggle_(new QToolButton(this)),
      advanced_(nullptr),
      size_(new QComboBox(this)),
      fps_(new QDoubleSpinBox(this)),
      steps_(new QSpinBox(this)),
      guidance_(new QDoubleSpinBox(this)),
      shift_(new QDoubleSpinBox(this)),
      profile_(new QComboBox(this)) {
    setObjectName(QStringLiteral("shotInspector"));
    QFont titleFont = title_->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    title_->setFont(titleFont);
    image_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    image_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    prompt_->setObjectName(QStringLiteral("motionPrompt"));
    prompt_->setPlaceholderText(
        tr("Describe the motion: \"slow push in while the wind moves her hair\""));
    negativePrompt_->setPlaceholderText(tr("What to avoid (optional)"));
    for (const render::PresetInfo& preset : render::presetCatalog()) {
        preset_->addItem(presetDisplayName(preset.id), QString::fromStdString(preset.id));
    }
    seconds_->setObjectName(QStringLiteral("shotSeconds"));
    seconds_->setRange(0.1, 600.0);
    seconds_->setDecimals(1);
    seconds_->setSuffix(tr(" s"));
    seed_->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d{1,12}")), seed_));
    chips_->setObjectName(QStringLiteral("motionChips"));
    chips_->setWordWrap(true);
    chips_->setTextFormat(Qt::RichText);
    connect(prompt_, &QPlainTextEdit::textChanged, this, [this] { edit(PromptField); });
    connect(negativePrompt_, &QPlainTextEdit::textChanged, this, [this] { edit(NegativeField); });
    connect(notes_, &QPlainTextEdit::textChanged, this, [this] { edit(NotesField); });
    connect(preset_, &QComboBox::currentIndexChanged, this, [this] { edit(PresetField); });
    connect(seconds_, &QDoubleSpinBox::valueChanged, this, [this] { edit(SecondsField); });
    connect(seed_, &QLineEdit::textEdited, this, [this] { edit(SeedField); });
    render_->setObjectName(QStringLiteral("renderTakeButton"));
    connect(render_, &QPushButton::clicked, this, &ShotInspector::renderRequested);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Image:"), image_);
    form->addRow(tr("Motion prompt:"), prompt_);
    form->addRow(QString(), chips_);
    form->addRow(tr("Negative prompt:"), negativePrompt_);
    preset_->setObjectName(QStringLiteral("shotPreset"));
    form->addRow(tr("Preset:"), preset_);
    form->addRow(tr("Duration:"), seconds_);
    seed_->setObjectName(QStringLiteral("shotSeed"));
    newSeed_->setObjectName(QStringLiteral("newSeedButton"));
    newSeed_->setToolTip(tr("Draw a new random seed."));
    seedLocked_->setObjectName(QStringLiteral("seedLocked"));
    seedLocked_->setToolTip(
        tr("Keep this seed for every render of the shot; unticked, each "
           "render draws a new one (its take remembers it)."));
    connect(newSeed_, &QPushButton::clicked, this, [this] {
        seed_->setText(QString::number(QRandomGenerator::global()->bounded(Q_INT64_C(1) << 31)));
        edit(SeedField);
    });
    connect(seedLocked_, &QCheckBox::toggled, this, [this] { edit(RenderField); });
    auto* seedRow = new QHBoxLayout;
    seedRow->addWidget(seed_, 1);
    seedRow->addWidget(newSeed_);
    seedRow->addWidget(seedLocked_);
    form->addRow(tr("Seed:"), seedRow);
    form->addRow(tr("Notes:"), notes_);

    advancedToggle_->setObjectName(QStringLiteral("advancedToggle"));
    advancedToggle_->setText(tr("Advanced"));
    advancedToggle_->setCheckable(true);
    advancedToggle_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    advancedToggle_->setArrowType(Qt::RightArrow);
    advancedToggle_->setAutoRaise(true);
    advanced_ = buildAdvanced();
    advanced_->setVisible(false);
    connect(advancedToggle_, &QToolButton::toggled, this, [this](bool open) {
        advancedToggle_->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
        advanced_->setVisible(open);
    });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title_);
    layout->addLayout(form);
    layout->addWidget(advancedToggle_);
    layout->addWidget(advanced_);
    layout->addWidget(render_);
    layout->addStretch();
    showShot(QModelIndex());
}

namespace {

// Fills a text box only when its text differs, so an edit coming back from the model
// does not move the cursor the user is typing with.
void setTextIfDifferent(QPlainTextEdit* box, const QString& text) {
    if (box->toPlainText() != text) {
        box->setPlainText(text);
    }
}

QString joined(const std::vector<std::string>& words) {
    QStringList list;
    for (const std::string& word : words) {
        list << QString::fromStdString(word).toHtmlEscaped();
    }
    return list.join(QStringLiteral(" · "));
}

}  // namespace

// Size, frame rate, steps, guidance, shift and memory profile: each "Preset default" until
// the user sets it, the default shown in its place.
QWidget* ShotInspector::buildAdvanced() {
    auto* box = new QWidget(this);
    box->setObjectName(QStringLiteral("advancedSettings"));
    size_->setObjectName(QStringLiteral("shotSize"));
    for (const char* size : {"", "project", "384p", "480p", "540p", "720p"}) {
        size_->addItem(QString::fromLatin1(size), QString::fromLatin1(size));
    }
    size_->setItemText(1, tr("Project size"));
    fps_->setObjectName(QStringLiteral("shotFps"));
    fps_->setRange(0.0, 60.0);
    fps_->setDecimals(3);
    steps_->setObjectName(QStringLiteral("shotSteps"));
    steps_->setRange(0, 200);
    guidance_->setObjectName(QStringLiteral("shotGuidance"));
    guidance_->setRange(0.0, 20.0);
    guidance_->setSingleStep(0.5);
    guidance_->setDecimals(1);
    shift_->setObjectName(QStringLiteral("shotShift"));
    shift_->setRange(0.0, 20.0);
    shift_->setSingleStep(0.5);
    shift_->setDecimals(1);
    profile_->setObjectName(QStringLiteral("shotMemoryProfile"));
    profile_->addItem(tr("Application setting"), QString());
    for (const char* name : {"8gb", "12gb", "16gb", "24gb", "48gb", "80gb", "cpu"}) {
        profile_->addItem(QString::fromLatin1(name), QString::fromLatin1(name));
    }
    profile_->setToolTip(tr("Overrides the memory profile of Tools > Models for this shot."));
    connect(size_, &QComboBox::currentIndexChanged, this, [this] { edit(RenderField); });
    connect(profile_, &QComboBox::currentIndexChanged, this, [this] { edit(RenderField); });
    connect(fps_, &QDoubleSpinBox::valueChanged, this, [this] { edit(RenderField); });
    connect(steps_, &QSpinBox::valueChanged, this, [this] { edit(RenderField); });
    connect(guidance_, &QDoubleSpinBox::valueChanged, this, [this] { edit(RenderField); });
    connect(shift_, &QDoubleSpinBox::valueChanged, this, [this] { edit(RenderField); });
    auto* form = new QFormLayout(box);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Size:"), size_);
    form->addRow(tr("Frame rate:"), fps_);
    form->addRow(tr("Steps:"), steps_);
    form->addRow(tr("Guidance:"), guidance_);
    form->addRow(tr("Shift:"), shift_);
    form->addRow(tr("Memory profile:"), profile_);
    return box;
}

// The defaults shown depend on the preset; settings a preset does not use are disabled.
void ShotInspector::updateAdvanced() {
    const render::PresetDefaults defaults = render::presetDefaults(shown_.preset);
    const QString presetDefault = tr("Preset default (%1)");
    size_->setItemText(
        0, presetDefault.arg(defaults.size == "project" ? tr("project size")
                                                        : QString::fromStdString(defaults.size)));
    fps_->setSpecialValueText(
        presetDefault.arg(defaults.fps > 0.0 ? tr("%1 fps").arg(QLocale().toString(defaults.fps))
                                             : tr("project rate")));
    steps_->setSpecialValueText(presetDefault.arg(defaults.steps));
    guidance_->setSpecialValueText(
        presetDefault.arg(QLocale().toString(defaults.guidance, 'f', 1)));
    shift_->setSpecialValueText(
        presetDefault.arg(QLocale().toString(defaults.shiftAt480p, 'f', 1)));
    const bool hasShot = current_.isValid();
    for (QWidget* field : std::initializer_list<QWidget*>{steps_, guidance_, shift_, profile_}) {
        field->setEnabled(hasShot && defaults.usesSampler);
        field->setToolTip(defaults.usesSampler
                              ? QString()
                              : tr("The Animatic preset moves a camera; it has no denoising "
                                   "steps, guidance or GPU memory to set."));
    }
    size_->setEnabled(hasShot);
    fps_->setEnabled(hasShot);
}

void ShotInspector::showShot(const QModelIndex& index) {
    const bool hasShot = index.isValid();
    const auto* model = hasShot ? qobject_cast<const ShotListModel*>(index.model()) : nullptr;
    updating_ = true;
    current_ = index;
    shown_ =
        model ? model->project().shots[static_cast<std::size_t>(index.row())] : project::Shot{};
    title_->setText(hasShot ? index.data(Qt::DisplayRole).toString() : tr("No shot selected"));
    const QString path = index.data(ShotListModel::ImagePathRole).toString();
    const bool missing = index.data(ShotListModel::ImageMissingRole).toBool();
    image_->setText(!hasShot  ? QString()
                    : missing ? tr("%1 (missing)").arg(QFileInfo(path).fileName())
                              : QFileInfo(path).fileName());
    image_->setToolTip(path);
    setTextIfDifferent(prompt_, QString::fromStdString(shown_.prompt));
    setTextIfDifferent(negativePrompt_, QString::fromStdString(shown_.negativePrompt));
    setTextIfDifferent(notes_, QString::fromStdString(shown_.notes));
    preset_->setCurrentIndex(preset_->findData(QString::fromStdString(shown_.preset)));
    seconds_->setValue(shown_.seconds);
    const QString seed = hasShot ? QString::number(shown_.seed) : QString();
    if (seed_->text() != seed) {
        seed_->setText(seed);
    }
    size_->setCurrentIndex(
        std::max(0, size_->findData(QString::fromStdString(shown_.render.size))));
    fps_->setValue(shown_.render.fps);
    steps_->setValue(shown_.render.steps);
    guidance_->setValue(shown_.render.guidance);
    shift_->setValue(shown_.render.shift);
    profile_->setCurrentIndex(
        std::max(0, profile_->findData(QString::fromStdString(shown_.render.memoryProfile))));
    seedLocked_->setChecked(shown_.render.seedLocked);
    for (QWidget* field : std::initializer_list<QWidget*>{
             prompt_, negativePrompt_, preset_, seconds_, seed_, notes_, newSeed_, seedLocked_}) {
        field->setEnabled(hasShot);
    }
    updateAdvanced();
    updating_ = false;
    updateChips();
    updateRenderButton();
}

void ShotInspector::edit(Field field) {
    if (updating_ || !current_.isValid()) {
        return;
    }
    project::Shot after = shown_;
    switch (field) {
        case PromptField:
            after.prompt = prompt_->toPlainText().toStdString();
            updateChips();
            break;
        case NegativeField:
            after.negativePrompt = negativePrompt_->toPlainText().toStdString();
            break;
        case NotesField:
            after.notes = notes_->toPlainText().toStdString();
            break;
        case PresetField:
            after.preset = preset_->currentData().toString().toStdString();
            break;
        case SecondsField:
            after.seconds = seconds_->value();
            break;
        case SeedField:
            after.seed = seed_->text().toLongLong();
            break;
        case RenderField:
            after.render.size = size_->currentData().toString().toStdString();
            after.render.fps = fps_->value();
            after.render.steps = steps_->value();
            after.render.guidance = guidance_->value();
            after.render.shift = shift_->value();
            after.render.memoryProfile = profile_->currentData().toString().toStdString();
            after.render.seedLocked = seedLocked_->isChecked();
            break;
    }
    const project::Shot before = shown_;
    shown_ = after;
    updateRenderButton();
    if (field == PresetField) {
        updating_ = true;  // the defaults shown change; the values do not
        updateAdvanced();
        updating_ = false;
    }
    Q_EMIT shotEdited(QString::fromStdString(after.id), before, after, field);
}

// What the Animatic engine will make of the prompt, and the words it will ignore.
void ShotInspector::updateChips() {
    if (!current_.isValid()) {
        chips_->clear();
        return;
    }
    const render::PromptReading reading =
        render::readMotionPrompt(prompt_->toPlainText().toStdString());
    QString text = tr("Motion: %1").arg(joined(reading.understood));
    if (!reading.ignored.empty()) {
        text += QStringLiteral("<br><span style=\"color:#b05a00\">%1</span>")
                    .arg(tr("Ignored: %1").arg(joined(reading.ignored)));
    }
    chips_->setText(text);
}

void ShotInspector::updateRenderButton() {
    const bool hasShot = current_.isValid();
    const std::optional<render::PresetInfo> preset = render::findPreset(shown_.preset);
    const bool canRender = hasShot && preset && preset->available;
    render_->setEnabled(canRender);
    render_->setToolTip(!hasShot    ? QString()
                        : canRender ? tr("Render a new take of this shot with the %1 preset.")
                                          .arg(presetDisplayName(preset->id))
                        : preset ? tr("The %1 preset cannot run: %2")
                                       .arg(presetDisplayName(shown_.preset),
                                            QString::fromStdString(preset->unavailableReason))
                                 : tr("The %1 preset is unknown to this version.")
                                       .arg(presetDisplayName(shown_.preset)));
}

}  // namespace storyreel::ui
