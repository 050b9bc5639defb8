// Help > Keyboard Shortcuts: every action of the main window's menus that has a shortcut,
// grouped by menu, read from the menus themselves so the list is never out of date.
//
//   showShortcutsDialog(mainWindow);
//
// Thread-safety: UI thread only.
#pragma once

class QMainWindow;

namespace storyreel::ui {

void showShortcutsDialog(QMainWindow* window);

}  // namespace storyreel::ui
