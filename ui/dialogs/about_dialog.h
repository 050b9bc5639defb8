// Help > About: what Storyreel is, its version and the libraries and devices it runs on.
#pragma once

class QWidget;

namespace storyreel::ui {

void showAboutDialog(QWidget* parent);

}  // namespace storyreel::ui
