#include "ui/controllers/render_estimate_text.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace storyreel::ui {
namespace {

QString gigabytes(std::int64_t bytes) {
    return QLocale().toString(double(bytes) / double(1LL << 30), 'f', 1);
}

// "16gb" as the model manager shows it: "16 GB GPU".
QString profileText(const std::string& profile) {
    const QString name = QString::fromStdString(profile);
    return name.endsWith(QLatin1String("gb"))
               ? QCoreApplication::translate("RenderQueue", "%1 GB GPU").arg(name.chopped(2))
               : name;
}

}  // namespace

QString durationText(double seconds) {
    const double rounded = std::max(1.0, std::ceil(seconds));
    if (rounded < 90.0) {
        return QCoreApplication::translate("RenderQueue", "%1 s")
            .arg(QLocale().toString(rounded, 'f', 0));
    }
    const long minutes = std::lround(rounded / 60.0);
    if (minutes < 90) {
        return QCoreApplication::translate("RenderQueue", "%1 min").arg(minutes);
    }
    return QCoreApplication::translate("RenderQueue", "%1 h %2 min")
        .arg(minutes / 60)
        .arg(minutes % 60);
}

RenderEstimateText renderEstimateText(const render::Estimate& estimate) {
    RenderEstimateText text;
    const QString time = durationText(estimate.seconds);
    if (estimate.peakGpuBytes <= 0) {
        text.line = QCoreApplication::translate("RenderQueue", "about %1 on the CPU").arg(time);
        return text;
    }
    if (estimate.fits) {
        text.line =
            estimate.freeGpuBytes > 0
                ? QCoreApplication::translate("RenderQueue",
                                              "about %1 · %2 GB of %3 GB free GPU memory")
                      .arg(time, gigabytes(estimate.peakGpuBytes), gigabytes(estimate.freeGpuBytes))
                : QCoreApplication::translate("RenderQueue", "about %1 · %2 GB GPU memory")
                      .arg(time, gigabytes(estimate.peakGpuBytes));
        return text;
    }
    text.warning = true;
    text.line =
        estimate.suggestedProfile.empty()
            ? QCoreApplication::translate(
                  "RenderQueue",
                  "needs %1 GB of GPU memory, %2 GB free, and no memory profile fits: use a "
                  "shorter shot or a smaller size")
                  .arg(gigabytes(estimate.peakGpuBytes), gigabytes(estimate.freeGpuBytes))
            : QCoreApplication::translate("RenderQueue",
                                          "needs %1 GB of GPU memory, %2 GB free: choose the "
                                          "memory profile “%3” (Tools > Models, or the "
                                          "shot's Advanced settings)")
                  .arg(gigabytes(estimate.peakGpuBytes), gigabytes(estimate.freeGpuBytes),
                       profileText(estimate.suggestedProfile));
    return text;
}

}  // namespace storyreel::ui
