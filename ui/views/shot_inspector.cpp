#include "ui/views/shot_inspector.h"

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
#include <QVBoxLayout>

namespace storyreel::ui {
namespace {

QPlainTextEdit* makeTextBox(int lines, QWidget* parent) {
    auto* box = new QPlainTextEdit(parent);
    box->setReadOnly(true);
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
    preset_->setEnabled(false);
    seconds_->setRange(0.1, 600.0);
    seconds_->setDecimals(1);
    seconds_->setSuffix(tr(" s"));
    seconds_->setReadOnly(true);
    seed_->setReadOnly(true);
    render_->setObjectName(QStringLiteral("renderTakeButton"));
    connect(render_, &QPushButton::clicked, this, &ShotInspector::renderRequested);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Image:"), image_);
    form->addRow(tr("Motion prompt:"), prompt_);
    form->addRow(tr("Negative prompt:"), negativePrompt_);
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

void ShotInspector::showShot(const QModelIndex& index) {
    const bool hasShot = index.isValid();
    title_->setText(hasShot ? index.data(Qt::DisplayRole).toString() : tr("No shot selected"));
    const QString path = index.data(ShotListModel::ImagePathRole).toString();
    const bool missing = index.data(ShotListModel::ImageMissingRole).toBool();
    image_->setText(!hasShot  ? QString()
                    : missing ? tr("%1 (missing)").arg(QFileInfo(path).fileName())
                              : QFileInfo(path).fileName());
    image_->setToolTip(path);
    prompt_->setPlainText(index.data(ShotListModel::PromptRole).toString());
    negativePrompt_->setPlainText(index.data(ShotListModel::NegativePromptRole).toString());
    const int presetRow = preset_->findData(index.data(ShotListModel::PresetRole));
    preset_->setCurrentIndex(presetRow);
    seconds_->setValue(index.data(ShotListModel::SecondsRole).toDouble());
    seed_->setText(hasShot ? index.data(ShotListModel::SeedRole).toString() : QString());
    notes_->setPlainText(index.data(ShotListModel::NotesRole).toString());
    const render::PresetInfo* preset =
        render::findPreset(index.data(ShotListModel::PresetRole).toString().toStdString());
    const bool canRender = hasShot && preset && preset->available;
    render_->setEnabled(canRender);
    render_->setToolTip(
        !hasShot    ? QString()
        : canRender ? tr("Render a new take of this shot with the %1 preset.")
                          .arg(presetDisplayName(preset->id))
                    : tr("The %1 preset cannot run yet: its engine is not installed in "
                         "this version.")
                          .arg(presetDisplayName(
                              index.data(ShotListModel::PresetRole).toString().toStdString())));
}

}  // namespace storyreel::ui
