// Pictures of takes for the takes strip and the storyboard cards: the middle frame of each
// take file, decoded on a pool thread the first time it is asked for and kept afterwards.
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

namespace storyreel::ui {

class TakeThumbnails : public QObject {
    Q_OBJECT

public:
    explicit TakeThumbnails(QObject* parent = nullptr);
    ~TakeThumbnails() override;

    QImage thumbnail(const QString& takeFile);

Q_SIGNALS:
    void ready(const QString& takeFile);

private:
    QHash<QString, QImage> done_;
    QSet<QString> pending_;
};

}  // namespace storyreel::ui
