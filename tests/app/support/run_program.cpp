#include "tests/app/support/run_program.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>

namespace storyreel::test {

QString freshFolder(const QString& name) {
    const QString path = QStringLiteral(STORYREEL_TEST_BINARY_DIR "/scratch/") + name;
    QDir(path).removeRecursively();
    QDir().mkpath(path);
    return path;
}

ProgramResult runProgram(const QString& program, const QStringList& arguments) {
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    // Test cases run in parallel processes: each run gets folders of its own.
    static int runs = 0;
    const QString own =
        QStringLiteral("run-%1-%2").arg(QCoreApplication::applicationPid()).arg(++runs);
    environment.insert(QStringLiteral("XDG_DATA_HOME"), freshFolder(own + QStringLiteral("/data")));
    environment.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    const QString runtime = freshFolder(own + QStringLiteral("/runtime"));
    QFile::setPermissions(runtime,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime);
    environment.remove(QStringLiteral("LANGUAGE"));
    environment.remove(QStringLiteral("LC_ALL"));
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    ProgramResult result;
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        result.err = QStringLiteral("timed out or failed to start: ") + process.errorString();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromLocal8Bit(process.readAllStandardOutput());
    result.err = QString::fromLocal8Bit(process.readAllStandardError());
    return result;
}

}  // namespace storyreel::test
