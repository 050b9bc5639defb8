// The translated names users see for the preset ids stored in projects ("quality").
#pragma once

#include <QString>

#include <string>

namespace storyreel::ui {

QString presetDisplayName(const std::string& presetId);

}  // namespace storyreel::ui
