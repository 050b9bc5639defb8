// The licences of the model families behind the neural presets, in words a user can act on,
// and the notice HunyuanVideo's licence needs before first use: the Tencent Hunyuan
// Community License does not cover the European Union, the United Kingdom or South Korea,
// so the user must read that once and confirm it (remembered in QSettings) before the Fast
// (HunyuanVideo) preset is chosen or rendered. Wan's Apache-2.0 licence has no such limit.
//
//   if (!ensureLicenceAcknowledged(this, "fast")) return;   // declined: keep the old preset
//
// Thread-safety: UI thread only.
#pragma once

#include <QString>

#include <string>

class QWidget;

namespace storyreel::ui {

// A paragraph on the licence of the models a preset runs; empty for Animatic.
QString presetLicenceText(const std::string& presetId);
// Whether using the preset needs the user's acknowledgement of a licence restriction.
bool presetNeedsLicenceAcknowledgement(const std::string& presetId);
bool isLicenceAcknowledged(const std::string& presetId);
// Asks once (modal) when needed; true when the preset may be used.
bool ensureLicenceAcknowledged(QWidget* parent, const std::string& presetId);

}  // namespace storyreel::ui
