// File > Export: the timeline as an MP4, one clip per shot, a PNG sequence, or a timeline
// file for another editor (MLT for Shotcut/Kdenlive, EDL, FCPXML for Final Cut/Resolve,
// OTIO), with size, rate, rate conversion and quality; progress while it runs, cancel, and
// "Open Folder" when it is done. The last choices are offered again (QSettings).
//
//   ExportDialog dialog(model->project(), this);
//   dialog.exec();
//
// Thread-safety: UI thread only.
#pragma once

#include "core/project/project.h"
#include "ui/controllers/export_job.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSlider;

namespace storyreel::ui {

class ExportDialog : public QDialog {
    Q_OBJECT

public:
    ExportDialog(project::Project project, QWidget* parent = nullptr);

    void setKind(ExportKind kind);
    ExportKind kind() const;
    void setTarget(const QString& path);
    QString target() const;
    render::TimelineExportOptions options() const;
    // Starts the export with the dialog's choices; false (with the reason shown) if it cannot.
    bool startExport();
    ExportJob* job() const { return job_; }

    void reject() override;  // cancels a running export first

private:
    void onKindChanged();
    void onBrowse();
    void onFinished(const QString& error);
    void setRunning(bool running);
    QString defaultTarget(ExportKind kind) const;

    project::Project project_;
    ExportJob* job_;
    QComboBox* kind_;
    QLineEdit* target_;
    QCheckBox* placeholders_;
    QComboBox* size_;
    QComboBox* fps_;
    QComboBox* method_;
    QSlider* quality_;
    QLabel* qualityLabel_;
    QComboBox* speed_;
    QProgressBar* progress_;
    QLabel* status_;
    QPushButton* export_;
    QPushButton* openFolder_;
    QPushButton* close_;
};

}  // namespace storyreel::ui
