// File > New Project: the title, where the NAME.storyreel folder goes, the frame size and
// rate, and the preset new shots start with. The last location and settings are offered
// again next time (QSettings).
//
//   NewProjectDialog dialog(this);
//   if (dialog.exec() == QDialog::Accepted) createEmptyProject(dialog.folder(), dialog.options());
//
// Thread-safety: UI thread only.
#pragma once

#include "core/project/project_builder.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;

namespace storyreel::ui {

class NewProjectDialog : public QDialog {
    Q_OBJECT

public:
    explicit NewProjectDialog(QWidget* parent = nullptr);

    // LOCATION/TITLE.storyreel, with characters file systems refuse replaced.
    QString folder() const;
    project::NewProjectOptions options() const;

    void accept() override;

private:
    void updateFolderLabel();

    QLineEdit* title_;
    QLineEdit* location_;
    QComboBox* size_;
    QComboBox* fps_;
    QComboBox* preset_;
    QLabel* folderLabel_;
};

}  // namespace storyreel::ui
