#include "app/cli/cli_options.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QRegularExpression>

namespace storyreel::app {
QString requirePositional(const QCommandLineParser& parser, const QString& what) {
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        throw CliUsageError(QCoreApplication::translate("Cli", "missing %1").arg(what));
    }
    if (positional.size() > 1) {
        throw CliUsageError(
            QCoreApplication::translate("Cli", "unexpected argument '%1'").arg(positional.at(1)));
    }
    return positional.first();
}

QString requireOption(const QCommandLineParser& parser, const QString& option) {
    const QString value = parser.value(option);
    if (value.isEmpty()) {
        throw CliUsageError(QCoreApplication::translate("Cli", "missing --%1").arg(option));
    }
    return value;
}

QString requireExistingFile(const QString& path, const QString& what) {
    const QFileInfo info(path);
    if (!info.exists()) {
        throw CliUsageError(QCoreApplication::translate("Cli", "%1 not found: %2").arg(what, path));
    }
    if (!info.isFile()) {
        throw CliUsageError(
            QCoreApplication::translate("Cli", "%1 is not a file: %2").arg(what, path));
    }
    return path;
}

QString requireExistingProject(const QString& path) {
    const QFileInfo info(path);
    if (!info.exists()) {
        throw CliUsageError(QCoreApplication::translate("Cli", "project not found: %1").arg(path));
    }
    if (!info.isDir()) {
        throw CliUsageError(
            QCoreApplication::translate("Cli", "not a project folder (NAME.storyreel): %1")
                .arg(path));
    }
    return path;
}

QString requireExistingFolder(const QString& path, const QString& what) {
    if (!QFileInfo(path).isDir()) {
        throw CliUsageError(QCoreApplication::translate("Cli", "%1 not found: %2").arg(what, path));
    }
    return path;
}

QString requireWritableTarget(const QString& path) {
    const QFileInfo info(path);
    if (!QFileInfo(info.absolutePath()).isDir()) {
        throw CliUsageError(QCoreApplication::translate("Cli", "output folder does not exist: %1")
                                .arg(info.absolutePath()));
    }
    if (info.isDir()) {
        throw CliUsageError(
            QCoreApplication::translate("Cli", "output is a folder, expected a file: %1")
                .arg(path));
    }
    return path;
}

QSize parseSize(const QString& value) {
    if (value.isEmpty()) {
        return {};
    }
    static const QRegularExpression pattern(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$"));
    const QRegularExpressionMatch match = pattern.match(value);
    const QSize size =
        match.hasMatch() ? QSize(match.captured(1).toInt(), match.captured(2).toInt()) : QSize();
    if (!size.isValid() || size.width() < 16 || size.height() < 16 || size.width() > 8192 ||
        size.height() > 8192) {
        throw CliUsageError(
            QCoreApplication::translate(
                "Cli", "--size must be WIDTHxHEIGHT between 16 and 8192, e.g. 1280x720 (got '%1')")
                .arg(value));
    }
    return size;
}

double parseNumber(const QString& value, const QString& option, double minimum, double maximum,
                   double fallback) {
    if (value.isEmpty()) {
        return fallback;
    }
    bool ok = false;
    const double number = value.toDouble(&ok);
    if (!ok || number < minimum || number > maximum) {
        throw CliUsageError(
            QCoreApplication::translate("Cli", "--%1 must be a number from %2 to %3 (got '%4')")
                .arg(option)
                .arg(minimum)
                .arg(maximum)
                .arg(value));
    }
    return number;
}

QString requireOneOf(const QString& value, const QString& what, const QStringList& allowed) {
    if (!allowed.contains(value)) {
        throw CliUsageError(QCoreApplication::translate("Cli", "%1 must be one of %2 (got '%3')")
                                .arg(what, allowed.join(QStringLiteral(", ")), value));
    }
    return value;
}

}  // namespace storyreel::app
