// How the render queue words an engine's estimate for a job: the time, and for a GPU the
// memory it needs against what is free, with the memory profile to choose when it does not
// fit.
//
//   const RenderEstimateText text = renderEstimateText(engine.estimate(request));
//   statusItem->setText(text.line);
//   if (text.warning) statusItem->setIcon(warningIcon);
//
// Thread-safety: pure functions; call from the UI thread (they use tr()).
#pragma once

#include "core/render/engine.h"

#include <QString>

namespace storyreel::ui {

struct RenderEstimateText {
    QString line;          // "about 12 min · 11.2 GB of 15.5 GB free GPU memory"
    bool warning = false;  // the job is not expected to fit the GPU
};

// "45 s", "12 min", "3 h 20 min".
QString durationText(double seconds);

RenderEstimateText renderEstimateText(const render::Estimate& estimate);

}  // namespace storyreel::ui
