#include "ui/preset_names.h"

#include <QCoreApplication>

namespace storyreel::ui {

QString presetDisplayName(const std::string& presetId) {
    if (presetId == "animatic") {
        return QCoreApplication::translate("PresetNames", "Animatic");
    }
    if (presetId == "fast") {
        return QCoreApplication::translate("PresetNames", "Fast");
    }
    if (presetId == "fast-wan") {
        return QCoreApplication::translate("PresetNames", "Fast (Wan, distilled)");
    }
    if (presetId == "quality") {
        return QCoreApplication::translate("PresetNames", "Quality");
    }
    return QString::fromStdString(presetId);
}

}  // namespace storyreel::ui
