// The shot inspector: everything about the current shot (image, motion prompt, negative
// prompt, preset, duration, seed, notes) and the button that queues a render of it.
// Read-only until editing lands with the storyboard workspace.
//
// Thread-safety: UI thread only.
#pragma once

#include <QModelIndex>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace storyreel::ui {

class ShotInspector : public QWidget {
    Q_OBJECT

public:
    explicit ShotInspector(QWidget* parent = nullptr);

    void showShot(const QModelIndex& index);

Q_SIGNALS:
    void renderRequested();

private:
    QLabel* title_;
    QLabel* image_;
    QPlainTextEdit* prompt_;
    QPlainTextEdit* negativePrompt_;
    QComboBox* preset_;
    QDoubleSpinBox* seconds_;
    QLineEdit* seed_;
    QPlainTextEdit* notes_;
    QPushButton* render_;
};

}  // namespace storyreel::ui
