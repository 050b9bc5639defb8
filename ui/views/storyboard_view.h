// The storyboard: every shot of the project as a card, in order. Cards are dragged to
// reorder; image files, folders and CSV shot lists dropped from the file manager become
// shots where they land; Delete removes the selected shots. The view only reports what the
// user did (signals); the main window turns it into undoable commands.
//
// Thread-safety: UI thread only.
#pragma once

#include <QListView>
#include <QStringList>

namespace storyreel::ui {

class TakeThumbnails;

class StoryboardView : public QListView {
    Q_OBJECT

public:
    explicit StoryboardView(QWidget* parent = nullptr);

    // Cards show their active take's picture once it is made.
    void setTakeThumbnails(TakeThumbnails* thumbnails);
    // The row a drop at this point inserts before (rowCount: after the last card).
    int dropRowAt(const QPoint& point) const;
    // The selected shots' ids, in storyboard order.
    QStringList selectedShotIds() const;

Q_SIGNALS:
    void filesDropped(const QStringList& paths, int row);
    void shotsMoved(const QStringList& shotIds, int row);
    void deleteRequested();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    bool accepts(const QMimeData* data) const;

    int dropIndicatorRow_ = -1;  // where the card being dragged would land; -1: no drag
};

}  // namespace storyreel::ui
