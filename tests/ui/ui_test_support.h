// Small helpers shared by the UI tests.
#pragma once

#include <QDir>
#include <QFile>
#include <QString>
#include <QTest>
#include <QWidget>
#include <catch2/catch.hpp>

// Catch shows QStrings as text in failed checks.
namespace Catch {
template <>
struct StringMaker<QString> {
    static std::string convert(const QString& value) { return '"' + value.toStdString() + '"'; }
};
}  // namespace Catch

namespace storyreel::test {

inline QString uiScratchFolder(const QString& name) {
    const QString path = QStringLiteral(STORYREEL_TEST_BINARY_DIR "/scratch/") + name;
    QDir(path).removeRecursively();
    QDir().mkpath(path);
    return path;
}

inline void writeText(const QString& path, const QByteArray& text) {
    QFile file(path);
    file.open(QIODevice::WriteOnly | QIODevice::Truncate);
    file.write(text);
}

// Shows a window at a laptop size and lets it lay out and paint.
inline void showSettled(QWidget& window) {
    window.resize(1440, 900);
    window.show();
    REQUIRE(QTest::qWaitForWindowExposed(&window));
    QTest::qWait(50);
}

// Saves what the widget shows as screenshots/NAME.png in the build tree, for review.
inline QString saveScreenshot(QWidget& widget, const QString& name) {
    QDir().mkpath(QStringLiteral(STORYREEL_TEST_BINARY_DIR "/screenshots"));
    const QString path = QStringLiteral(STORYREEL_TEST_BINARY_DIR "/screenshots/%1.png").arg(name);
    REQUIRE(widget.grab().save(path));
    return path;
}

}  // namespace storyreel::test
