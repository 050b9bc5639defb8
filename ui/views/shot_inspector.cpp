#include "ui/views/shot_inspector.h"

#include "core/render/animatic_engine.h"
#include "core/render/engine_catalog.h"
#include "ui/models/shot_list_model.h"
#include "ui/preset_names.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
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
      render_(new QPushButton(tr("Render Take"), this)) {
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
    form->addRow(tr("Seed:"), seed_);
    form->addRow(tr("Notes:"), notes_);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title_);
    layout->addLayout(form);
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
    for (QWidget* field : std::initializer_list<QWidget*>{prompt_, negativePrompt_, preset_,
                                                          seconds_, seed_, notes_}) {
        field->setEnabled(hasShot);
    }
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
    }
    const project::Shot before = shown_;
    shown_ = after;
    updateRenderButton();
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
    const render::PresetInfo* preset = render::findPreset(shown_.preset);
    const bool canRender = hasShot && preset && preset->available;
    render_->setEnabled(canRender);
    render_->setToolTip(!hasShot ? QString()
                        : canRender
                            ? tr("Render a new take of this shot with the %1 preset.")
                                  .arg(presetDisplayName(preset->id))
                            : tr("The %1 preset cannot run yet: its engine is not installed in "
                                 "this version.")
                                  .arg(presetDisplayName(shown_.preset)));
}

}  // namespace storyreel::ui
