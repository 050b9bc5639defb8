// Tools > Models: the home of the neural presets. Where the model files live, what was found
// there and recognised (model, variant, layout, licence), what each preset still needs, the
// licence of each model family (HunyuanVideo's territory restriction included), and the
// memory profile renders use. The folder is scanned on a pool thread: recognising a model
// reads only headers, but a folder can hold hundreds of gigabytes.
//
//   ModelManagerDialog dialog(this);
//   dialog.exec();
//
// Thread-safety: UI thread only.
#pragma once

#include "core/render/model_library.h"

#include <QDialog>
#include <QFutureWatcher>

class QComboBox;
class QLabel;
class QLineEdit;
class QTreeWidget;

namespace storyreel::ui {

class ModelManagerDialog : public QDialog {
    Q_OBJECT

public:
    explicit ModelManagerDialog(QWidget* parent = nullptr);
    ~ModelManagerDialog() override;

    // The models folder from the settings, or the default under the user's data folder.
    static QString modelsFolder();
    // The memory profile renders use ("auto", "8gb", ...).
    static QString memoryProfile();

    void setFolder(const QString& folder);
    void rescan();
    bool isScanning() const { return scan_.isRunning(); }

Q_SIGNALS:
    void scanned();

private:
    void showResult();

    QLineEdit* folder_;
    QComboBox* profile_;
    QTreeWidget* presets_;
    QTreeWidget* files_;
    QLabel* status_;
    QFutureWatcher<render::ModelFolderInfo> scan_;
    // The folder changed while a scan ran: its result is stale, look again when it ends.
    bool rescanPending_ = false;
};

}  // namespace storyreel::ui
