#include "ui/dialogs/shortcuts_dialog.h"

#include <QAction>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace storyreel::ui {
namespace {

void addMenu(QTreeWidget* tree, QMenu* menu) {
    QTreeWidgetItem* group = nullptr;
    for (QAction* action : menu->actions()) {
        if (action->menu()) {
            addMenu(tree, action->menu());
            continue;
        }
        if (action->shortcut().isEmpty()) {
            continue;
        }
        if (!group) {
            group = new QTreeWidgetItem(tree, {menu->title().remove(QLatin1Char('&'))});
            group->setFirstColumnSpanned(true);
            group->setExpanded(true);
        }
        new QTreeWidgetItem(group, {action->text().remove(QLatin1Char('&')),
                                    action->shortcut().toString(QKeySequence::NativeText)});
    }
}

}  // namespace

void showShortcutsDialog(QMainWindow* window) {
    QDialog dialog(window);
    dialog.setObjectName(QStringLiteral("shortcutsDialog"));
    dialog.setWindowTitle(
        QCoreApplication::translate("storyreel::ui::ShortcutsDialog", "Keyboard Shortcuts"));
    auto* tree = new QTreeWidget(&dialog);
    tree->setObjectName(QStringLiteral("shortcutList"));
    tree->setHeaderLabels(
        {QCoreApplication::translate("storyreel::ui::ShortcutsDialog", "Action"),
         QCoreApplication::translate("storyreel::ui::ShortcutsDialog", "Shortcut")});
    tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (QAction* action : window->menuBar()->actions()) {
        if (action->menu()) {
            addMenu(tree, action->menu());
        }
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(tree);
    layout->addWidget(buttons);
    dialog.resize(460, 560);
    dialog.exec();
}

}  // namespace storyreel::ui
