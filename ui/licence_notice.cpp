#include "ui/licence_notice.h"

#include "ui/preset_names.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace storyreel::ui {
namespace {

const QString kHunyuanKey = QStringLiteral("licences/hunyuan-video/acknowledged");

}  // namespace

QString presetLicenceText(const std::string& presetId) {
    if (presetId == "quality" || presetId == "fast-wan") {
        return QCoreApplication::translate(
            "LicenceNotice",
            "Wan 2.1 is released by Alibaba under the Apache License 2.0: it may be "
            "used anywhere, including commercially. Distillation LoRAs carry their "
            "own licences; check the page you downloaded them from.");
    }
    if (presetId == "fast") {
        return QCoreApplication::translate(
            "LicenceNotice",
            "HunyuanVideo-I2V is released by Tencent under the Tencent Hunyuan "
            "Community License. That licence does not cover the European Union, the "
            "United Kingdom or South Korea: it may not be used there. Products or "
            "services with more than 100 million monthly active users need a "
            "separate licence from Tencent. Users in the excluded territories can use "
            "Fast (Wan, distilled) instead, whose licence has no such limit.");
    }
    return {};
}

bool presetNeedsLicenceAcknowledgement(const std::string& presetId) {
    return presetId == "fast";
}

bool isLicenceAcknowledged(const std::string& presetId) {
    return !presetNeedsLicenceAcknowledgement(presetId) ||
           QSettings().value(kHunyuanKey, false).toBool();
}

bool ensureLicenceAcknowledged(QWidget* parent, const std::string& presetId) {
    if (isLicenceAcknowledged(presetId)) {
        return true;
    }
    QDialog dialog(parent);
    dialog.setObjectName(QStringLiteral("licenceNotice"));
    dialog.setWindowTitle(QCoreApplication::translate("LicenceNotice", "Licence of %1")
                              .arg(presetDisplayName(presetId)));
    auto* body = new QLabel(presetLicenceText(presetId), &dialog);
    body->setWordWrap(true);
    body->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* confirm = new QCheckBox(
        QCoreApplication::translate(
            "LicenceNotice",
            "I have read this, and I am not in the European Union, the United Kingdom or "
            "South Korea."),
        &dialog);
    confirm->setObjectName(QStringLiteral("licenceConfirm"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    QPushButton* accept = buttons->button(QDialogButtonBox::Ok);
    accept->setText(QCoreApplication::translate("LicenceNotice", "Use HunyuanVideo"));
    accept->setEnabled(false);
    buttons->button(QDialogButtonBox::Cancel)
        ->setText(QCoreApplication::translate("LicenceNotice", "Not Now"));
    QObject::connect(confirm, &QCheckBox::toggled, accept, &QPushButton::setEnabled);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(body);
    layout->addWidget(confirm);
    layout->addWidget(buttons);
    dialog.resize(520, dialog.sizeHint().height());
    if (dialog.exec() != QDialog::Accepted) {
        return false;
    }
    QSettings().setValue(kHunyuanKey, true);
    return true;
}

}  // namespace storyreel::ui
