// test_ui's main: widgets need a QApplication, made before Catch runs. Tests never open
// windows on a real display.
#include "tests/support/catch_session.h"

#include <QApplication>
#include <QDir>
#include <QFile>

int main(int argc, char* argv[]) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    // Keep the sample copy and settings out of the developer's own data folders, and give
    // each test process its own: CTest runs them in parallel, and tests edit the sample.
    const QByteArray own =
        STORYREEL_TEST_BINARY_DIR "/xdg-" + QByteArray::number(QCoreApplication::applicationPid());
    qputenv("XDG_DATA_HOME", own + "/data");
    qputenv("XDG_CONFIG_HOME", own + "/config");
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
        const QByteArray runtime = STORYREEL_TEST_BINARY_DIR "/xdg-runtime";
        QDir().mkpath(QString::fromLocal8Bit(runtime));
        QFile::setPermissions(QString::fromLocal8Bit(runtime), QFileDevice::ReadOwner |
                                                                   QFileDevice::WriteOwner |
                                                                   QFileDevice::ExeOwner);
        qputenv("XDG_RUNTIME_DIR", runtime);
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("storyreel-test"));
    const int status = storyreel::test::runCatchSession(argc, argv);
    QDir(QString::fromLocal8Bit(own)).removeRecursively();
    return status;
}
