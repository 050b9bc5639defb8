#include "ui/dialogs/about_dialog.h"

#include "core/render/system_report.h"

#include <QCoreApplication>
#include <QMessageBox>
#include <QStringList>

namespace storyreel::ui {

void showAboutDialog(QWidget* parent) {
    const render::SystemReport report = render::systemReport();
    QStringList devices;
    for (const std::string& device : report.computeDevices) {
        devices << QString::fromStdString(device).toHtmlEscaped();
    }
    const QString text =
        QCoreApplication::translate(
            "AboutDialog",
            "<h3>Storyreel %1</h3><p>Turns storyboards into moving shots.</p>"
            "<p>LibTorch %2<br>FFmpeg %3<br>OpenCV %4<br>Compute devices: %5</p>")
            .arg(QString::fromStdString(report.storyreelVersion),
                 QString::fromStdString(report.torchVersion),
                 QString::fromStdString(report.ffmpegVersion),
                 QString::fromStdString(report.opencvVersion), devices.join(QStringLiteral(", ")));
    QMessageBox::about(parent, QCoreApplication::translate("AboutDialog", "About Storyreel"), text);
}

}  // namespace storyreel::ui
