// Checks of storyreel-cli's arguments. Each failure throws CliUsageError with a one-line
// message, which main() prints before exiting with status 2.
//
//   const QString image = requireExistingFile(parser.positionalArguments().value(0), "image");
//   const QSize size = parseSize(parser.value("size"));   // "1280x720"
//
// Thread-safety: main thread only (messages are translated).
#pragma once

#include <QSize>
#include <QString>
#include <QStringList>

#include <stdexcept>

class QCommandLineParser;

namespace storyreel::app {

class CliUsageError : public std::runtime_error {
public:
    explicit CliUsageError(const QString& message) : std::runtime_error(message.toStdString()) {}
};

// The one positional argument the command takes, named `what` in messages.
QString requirePositional(const QCommandLineParser& parser, const QString& what);
QString requireOption(const QCommandLineParser& parser, const QString& option);
QString requireExistingFile(const QString& path, const QString& what);
QString requireExistingProject(const QString& path);
QString requireExistingFolder(const QString& path, const QString& what);
// An output file whose folder exists.
QString requireWritableTarget(const QString& path);
// "WxH" with both between 16 and 8192; an empty value gives an invalid QSize.
QSize parseSize(const QString& value);
// A number in [minimum, maximum]; an empty value gives `fallback`.
double parseNumber(const QString& value, const QString& option, double minimum, double maximum,
                   double fallback);
// `what` is how the message names the value: "--format" or "benchmark".
QString requireOneOf(const QString& value, const QString& what, const QStringList& allowed);

}  // namespace storyreel::app
