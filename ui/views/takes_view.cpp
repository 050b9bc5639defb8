#include "ui/views/takes_view.h"

#include "ui/models/shot_list_model.h"
#include "ui/models/take_thumbnails.h"
#include "ui/preset_names.h"
#include "ui/std_path.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace storyreel::ui {
namespace {

constexpr QSize kIconSize{160, 90};

QString engineName(const std::string& engine) {
    if (engine == "animatic") {
        return presetDisplayName("animatic");
    }
    if (engine == "wan") {
        return QStringLiteral("Wan 2.1");
    }
    if (engine == "hunyuan") {
        return QStringLiteral("HunyuanVideo");
    }
    return QString::fromStdString(engine);
}

}  // namespace

TakesView::TakesView(TakeThumbnails* thumbnails, QWidget* parent)
    : QWidget(parent),
      thumbnails_(thumbnails),
      list_(new QListWidget(this)),
      makeActive_(new QPushButton(tr("Make Active"), this)),
      compare_(new QPushButton(tr("Compare A/B"), this)),
      remove_(new QPushButton(tr("Delete"), this)),
      quality_(new QPushButton(tr("Finish in Quality"), this)),
      continue_(new QPushButton(tr("Continue from Last Frame"), this)) {
    setObjectName(QStringLiteral("takesView"));
    list_->setObjectName(QStringLiteral("takeList"));
    list_->setViewMode(QListView::IconMode);
    list_->setFlow(QListView::LeftToRight);
    list_->setWrapping(false);
    list_->setIconSize(kIconSize);
    list_->setGridSize(kIconSize + QSize(24, 44));
    list_->setMovement(QListView::Static);
    list_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    list_->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    list_->setMinimumHeight(kIconSize.height() + 64);
    makeActive_->setObjectName(QStringLiteral("makeActiveButton"));
    compare_->setObjectName(QStringLiteral("compareButton"));
    remove_->setObjectName(QStringLiteral("deleteTakeButton"));
    quality_->setObjectName(QStringLiteral("finishInQualityButton"));
    quality_->setToolTip(
        tr("Render this shot again with the Quality preset, the same image, "
           "prompt and the selected take's seed."));
    continue_->setObjectName(QStringLiteral("continueButton"));
    continue_->setToolTip(
        tr("Add a shot after this one that starts from the last frame of "
           "the active take."));
    auto* buttons = new QHBoxLayout;
    for (QPushButton* button : {makeActive_, compare_, remove_, quality_, continue_}) {
        buttons->addWidget(button);
    }
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(list_, 1);
    layout->addLayout(buttons);

    connect(list_, &QListWidget::itemSelectionChanged, this, &TakesView::updateButtons);
    connect(list_, &QListWidget::itemDoubleClicked, makeActive_, &QPushButton::click);
    connect(thumbnails_, &TakeThumbnails::ready, this, [this] { refresh(); });
    connect(makeActive_, &QPushButton::clicked, this, [this] {
        const project::Take* take = selectedTake();
        if (take && take->id != shot_.activeTakeId) {
            project::Shot after = shot_;
            after.activeTakeId = take->id;
            // Trims belong to the take they were made on.
            after.trimInSeconds = 0.0;
            after.trimOutSeconds = 0.0;
            Q_EMIT shotEdited(QString::fromStdString(shot_.id), shot_, after);
        }
    });
    connect(remove_, &QPushButton::clicked, this, [this] {
        const QStringList ids = selectedTakeIds();
        if (ids.isEmpty()) {
            return;
        }
        project::Shot after = shot_;
        std::erase_if(after.takes, [&ids](const project::Take& take) {
            return ids.contains(QString::fromStdString(take.id));
        });
        if (ids.contains(QString::fromStdString(after.activeTakeId))) {
            after.activeTakeId = after.takes.empty() ? std::string() : after.takes.back().id;
            after.trimInSeconds = 0.0;
            after.trimOutSeconds = 0.0;
        }
        Q_EMIT shotEdited(QString::fromStdString(shot_.id), shot_, after);
    });
    connect(compare_, &QPushButton::clicked, this, [this] {
        const QStringList ids = selectedTakeIds();
        if (ids.size() == 2) {
            Q_EMIT compareRequested(QString::fromStdString(shot_.id), ids[0], ids[1]);
        }
    });
    connect(quality_, &QPushButton::clicked, this, [this] {
        if (const project::Take* take = selectedTake()) {
            Q_EMIT finishInQualityRequested(QString::fromStdString(shot_.id),
                                            QString::fromStdString(take->id));
        }
    });
    connect(continue_, &QPushButton::clicked, this,
            [this] { Q_EMIT continueRequested(QString::fromStdString(shot_.id)); });
    showShot(QModelIndex());
}

void TakesView::showShot(const QModelIndex& index) {
    current_ = index;
    const auto* model =
        index.isValid() ? qobject_cast<const ShotListModel*>(index.model()) : nullptr;
    shot_ = model ? model->project().shots[static_cast<std::size_t>(index.row())] : project::Shot{};
    projectFolder_ = model ? model->project().folder : std::filesystem::path();
    refresh();
}

void TakesView::refresh() {
    const QStringList selected = selectedTakeIds();
    list_->clear();
    for (const project::Take& take : shot_.takes) {
        const bool active = take.id == shot_.activeTakeId;
        QImage picture =
            thumbnails_->thumbnail(fromStdPath(projectFolder_ / take.file), take.frames / 2);
        if (picture.isNull()) {
            picture = QImage(kIconSize, QImage::Format_RGB32);
            picture.fill(QColor(40, 44, 52));
        }
        const QString label =
            QStringLiteral("%1%2\n%3 · %4 s")
                .arg(QString::fromStdString(take.id), active ? tr(" (active)") : QString(),
                     engineName(take.engine), QLocale().toString(take.durationSeconds(), 'f', 1));
        auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(picture)), label, list_);
        item->setData(Qt::UserRole, QString::fromStdString(take.id));
        QFont font = item->font();
        font.setBold(active);
        item->setFont(font);
        item->setToolTip(
            tr("%1\nEngine: %2\nSeed: %3\nSize: %4×%5, %6 frames at %7 fps\nRendered in %8 s "
               "on %9\n%10")
                .arg(fromStdPath(take.file), engineName(take.engine))
                .arg(take.seed)
                .arg(take.width)
                .arg(take.height)
                .arg(take.frames)
                .arg(QLocale().toString(take.fps))
                .arg(QLocale().toString(take.secondsTaken, 'f', 1),
                     QString::fromStdString(take.device.empty() ? "cpu" : take.device),
                     QString::fromStdString(take.prompt)));
        item->setSelected(selected.contains(QString::fromStdString(take.id)));
    }
    if (list_->count() == 0 && current_.isValid()) {
        auto* hint = new QListWidgetItem(tr("No takes yet: render the shot to make one."), list_);
        hint->setFlags(Qt::NoItemFlags);
    }
    updateButtons();
}

QStringList TakesView::selectedTakeIds() const {
    QStringList ids;
    for (int row = 0; row < list_->count(); ++row) {
        const QListWidgetItem* item = list_->item(row);
        if (item->isSelected() && !item->data(Qt::UserRole).toString().isEmpty()) {
            ids << item->data(Qt::UserRole).toString();
        }
    }
    return ids;
}

void TakesView::selectTakes(const QStringList& takeIds) {
    for (int row = 0; row < list_->count(); ++row) {
        list_->item(row)->setSelected(
            takeIds.contains(list_->item(row)->data(Qt::UserRole).toString()));
    }
}

const project::Take* TakesView::selectedTake() const {
    const QStringList ids = selectedTakeIds();
    for (const project::Take& take : shot_.takes) {
        if (!ids.isEmpty() && take.id == ids.first().toStdString()) {
            return &take;
        }
    }
    return nullptr;
}

void TakesView::updateButtons() {
    const int selected = static_cast<int>(selectedTakeIds().size());
    makeActive_->setEnabled(selected == 1);
    compare_->setEnabled(selected == 2);
    remove_->setEnabled(selected >= 1);
    quality_->setEnabled(selected == 1);
    continue_->setEnabled(shot_.activeTake() != nullptr);
}

}  // namespace storyreel::ui
