// The preview: the current shot's frame, letterboxed to the project's aspect, with the
// shot's place in the film under it. Takes will play here once engines render them.
//
// Thread-safety: UI thread only.
#pragma once

#include <QImage>
#include <QModelIndex>
#include <QWidget>

class QLabel;
class QToolButton;

namespace storyreel::ui {

class PreviewCanvas;

class PreviewView : public QWidget {
    Q_OBJECT

public:
    explicit PreviewView(QWidget* parent = nullptr);

    void showShot(const QModelIndex& index, double projectAspect);

private:
    PreviewCanvas* canvas_;
    QToolButton* play_;
    QLabel* position_;
};

}  // namespace storyreel::ui
