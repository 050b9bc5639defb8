// The shot inspector: everything about the current shot (image, motion prompt with the moves
// the Animatic engine understood, negative prompt, preset, duration, seed, notes) and the
// button that queues a render of it. Edits leave as shotEdited() for the undo stack; the
// inspector never changes the model itself.
//
// Thread-safety: UI thread only.
#pragma once

#include "core/project/project.h"

#include <QPersistentModelIndex>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QSpinBox;
class QToolButton;
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
    // The presets' availability may have changed (models folder or files).
    void presetsChanged() { updateRenderButton(); }

    enum Field {
        PromptField,
        NegativeField,
        PresetField,
        SecondsField,
        SeedField,
        NotesField,
        RenderField,  // a setting of the Advanced section
    };

Q_SIGNALS:
    void renderRequested();
    void shotEdited(const QString& shotId, const storyreel::project::Shot& before,
                    const storyreel::project::Shot& after, int field);

private:
    void edit(Field field);
    void updateChips();
    void updateRenderButton();
    void updateAdvanced();
    QWidget* buildAdvanced();
    QLabel* title_;
    QLabel* image_;
    QPlainTextEdit* prompt_;
    QPlainTextEdit* negativePrompt_;
    QComboBox* preset_;
    QDoubleSpinBox* seconds_;
    QLineEdit* seed_;
    QPlainTextEdit* notes_;
    QLabel* chips_;
    QPushButton* render_;
    QPushButton* newSeed_;
    QCheckBox* seedLocked_;
    QToolButton* advancedToggle_;
    QWidget* advanced_;
    QComboBox* size_;
    QDoubleSpinBox* fps_;
    QSpinBox* steps_;
    QDoubleSpinBox* guidance_;
    QDoubleSpinBox* shift_;
    QComboBox* profile_;
    QPersistentModelIndex current_;
    project::Shot shown_;    // the shot as the fields show it
    bool updating_ = false;  // true while showShot() fills the fields
};

}  // namespace storyreel::ui
