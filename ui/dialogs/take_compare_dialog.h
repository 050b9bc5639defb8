// Two takes of a shot side by side, playing in step (A/B), to choose the better one: a
// slider and play/pause drive both, and "Use A"/"Use B" make one the shot's active take.
// The takes are decoded on a pool thread at preview size (takes are seconds long).
//
//   TakeCompareDialog dialog(projectFolder, takeA, takeB, this);
//   connect(&dialog, &TakeCompareDialog::chosen, ...);
//   dialog.exec();
//
// Thread-safety: UI thread only.
#pragma once

#include "core/project/project.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QImage>
#include <QTimer>

#include <utility>
#include <vector>

class QLabel;
class QPushButton;
class QSlider;

namespace storyreel::ui {

class TakeCompareDialog : public QDialog {
    Q_OBJECT

public:
    TakeCompareDialog(const std::filesystem::path& projectFolder, project::Take a, project::Take b,
                      QWidget* parent = nullptr);
    ~TakeCompareDialog() override;

    bool isLoaded() const { return loaded_; }
    int frameCount() const;
    int position() const;
    void showFrame(int frame);
    void togglePlay();
    bool isPlaying() const { return timer_.isActive(); }

Q_SIGNALS:
    void loaded();
    void chosen(const QString& takeId);

private:
    using Frames = std::pair<std::vector<QImage>, std::vector<QImage>>;
    void onLoaded();

    project::Take a_;
    project::Take b_;
    QLabel* pictureA_;
    QLabel* pictureB_;
    QSlider* slider_;
    QPushButton* play_;
    QLabel* status_;
    QTimer timer_;
    QFutureWatcher<Frames> loading_;
    Frames frames_;
    bool loaded_ = false;
};

}  // namespace storyreel::ui
