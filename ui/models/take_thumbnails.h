// Pictures of takes for the takes strip and the storyboard cards: one frame of each take file
// (its middle, by seeking: takes are intra-only), decoded on a thread of its own the first
// time it is asked for and kept afterwards.
//
//   QImage picture = thumbnails->thumbnail(absoluteTakePath);   // null until ready
//   connect(thumbnails, &TakeThumbnails::ready, view, [&](const QString& path) {...});
//
// Thread-safety: UI thread only; decoding runs on QThreadPool::globalInstance().
#pragma once

#include <QHash>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QString>
#include <QThreadPool>

namespace storyreel::ui {

class TakeThumbnails : public QObject {
    Q_OBJECT

public:
    explicit TakeThumbnails(QObject* parent = nullptr);
    ~TakeThumbnails() override;

    // `frame`: the frame to show (the middle of the take); past the end, the last one.
    QImage thumbnail(const QString& takeFile, long frame = 0);

Q_SIGNALS:
    void ready(const QString& takeFile);

private:
    QHash<QString, QImage> done_;
    QSet<QString> pending_;
    // Their own thread: decoding takes must not hold up imports or exports in the global pool.
    QThreadPool pool_;
};

}  // namespace storyreel::ui
