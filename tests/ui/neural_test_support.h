// What the render queue's neural tests share: a tiny models folder written by a test tool
// (these tests link no LibTorch), $STORYREEL_MODELS_DIR pointed at it for a scope, and a
// take's frames decoded.
//
//   const ModelsFolder models(tinyModels(STORYREEL_TINY_WAN_MODELS, "neural-models"));
//   std::vector<cv::Mat> frames = decodeAll(project.folder / take->file);
//
// Thread-safety: test thread only.
#pragma once

#include "core/media/video_decoder.h"
#include "core/render/engine_catalog.h"
#include "tests/ui/ui_test_support.h"

#include <QProcess>
#include <QString>
#include <QStringList>
#include <catch2/catch.hpp>
#include <opencv2/core.hpp>

#include <filesystem>
#include <vector>

namespace storyreel::test {

// A fresh scratch folder `name` filled by `tool` in its default layout or the one named.
inline QString tinyModels(const QString& tool, const QString& name,
                          const QString& layout = QString()) {
    const QString dir = uiScratchFolder(name);
    QStringList arguments = {dir};
    if (!layout.isEmpty()) {
        arguments << QStringLiteral("--layout") << layout;
    }
    QProcess process;
    process.start(tool, arguments);
    REQUIRE(process.waitForFinished(180000));
    INFO(process.readAllStandardError().toStdString());
    REQUIRE(process.exitCode() == 0);
    return dir;
}

// $STORYREEL_MODELS_DIR for the scope's duration; the catalog follows it.
class ModelsFolder {
public:
    explicit ModelsFolder(const QString& dir) : saved_(qgetenv("STORYREEL_MODELS_DIR")) {
        qputenv("STORYREEL_MODELS_DIR", dir.toLocal8Bit());
        render::refreshPresetCatalog();
    }
    ~ModelsFolder() {
        if (saved_.isEmpty()) {
            qunsetenv("STORYREEL_MODELS_DIR");
        } else {
            qputenv("STORYREEL_MODELS_DIR", saved_);
        }
        render::refreshPresetCatalog();
    }
    ModelsFolder(const ModelsFolder&) = delete;
    ModelsFolder& operator=(const ModelsFolder&) = delete;

private:
    QByteArray saved_;
};

inline std::vector<cv::Mat> decodeAll(const std::filesystem::path& file) {
    media::VideoDecoder decoder(file);
    std::vector<cv::Mat> frames;
    cv::Mat frame;
    while (decoder.read(frame)) {
        frames.push_back(frame.clone());
    }
    return frames;
}

}  // namespace storyreel::test
