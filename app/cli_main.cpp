// storyreel-cli: Storyreel without a window. `storyreel-cli --help` lists the commands;
// `storyreel-cli COMMAND --help` describes one. Exit status: 0 done, 1 failed, 2 bad usage.
#include "app/cli/cli_commands.h"
#include "app/cli/cli_options.h"
#include "app/console_output.h"
#include "app/translation_loader.h"
#include "core/base/version.h"
#include "core/render/system_report.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

namespace {

using storyreel::app::printLine;
using storyreel::app::withoutFinalPeriod;

using storyreel::app::CliCommand;

constexpr int kUsageError = 2;

int usageError(const QString& message, const QString& helpCommand) {
    printLine(stderr, QCoreApplication::translate("Cli", "storyreel-cli: %1. Try '%2'.")
                          .arg(message, helpCommand));
    return kUsageError;
}

void printHelp() {
    printLine(stdout, QCoreApplication::translate(
                          "Cli", "Usage: storyreel-cli [--lang en|fr] COMMAND [options]"));
    printLine(stdout, QString());
    printLine(stdout, QCoreApplication::translate("Cli",
                                                  "Storyreel turns storyboards into moving "
                                                  "shots. Commands:"));
    for (const CliCommand& command : storyreel::app::cliCommands()) {
        printLine(stdout, QStringLiteral("  %1 %2")
                              .arg(QString::fromLatin1(command.name), -10)
                              .arg(QCoreApplication::translate("Cli", command.summary)));
    }
    printLine(stdout, QString());
    printLine(stdout, QCoreApplication::translate(
                          "Cli",
                          "Run 'storyreel-cli COMMAND --help' for a command's options.\n"
                          "Other options: --help, --version, --lang en|fr.\n"
                          "Exit status: 0 done, 1 failed, 2 bad usage."));
}

void printVersion() {
    const storyreel::render::SystemReport report = storyreel::render::systemReport();
    printLine(stdout,
              QStringLiteral("storyreel-cli %1").arg(QString::fromLatin1(storyreel::kVersion)));
    printLine(stdout, QStringLiteral("LibTorch %1, FFmpeg %2, OpenCV %3, Qt %4")
                          .arg(QString::fromStdString(report.torchVersion),
                               QString::fromStdString(report.ffmpegVersion),
                               QString::fromStdString(report.opencvVersion),
                               QString::fromLatin1(qVersion())));
    for (const std::string& device : report.computeDevices) {
        printLine(
            stdout,
            QCoreApplication::translate("Cli", "Device %1").arg(QString::fromStdString(device)));
    }
}

// Runs one command with the arguments after its name.
int runCommand(const CliCommand& command, QStringList arguments) {
    const QString name = QString::fromLatin1(command.name);
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("Cli", command.summary));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("lang"),
                      QCoreApplication::translate("Cli", "Language of messages: en or fr."),
                      QStringLiteral("code")});
    command.configure(parser);
    if (*command.positional) {
        parser.addPositionalArgument(QString::fromLatin1(command.positional),
                                     QCoreApplication::translate("Cli", command.positionalHelp),
                                     QString::fromLatin1(command.positional));
    }
    arguments.prepend(QStringLiteral("storyreel-cli"));
    const QString help = QStringLiteral("storyreel-cli %1 --help").arg(name);
    if (!parser.parse(arguments)) {
        return usageError(withoutFinalPeriod(parser.errorText()), help);
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QString text = parser.helpText();
        const qsizetype nameAt = text.indexOf(QStringLiteral("storyreel-cli"));
        text.insert(nameAt + qsizetype(sizeof "storyreel-cli" - 1), QLatin1Char(' ') + name);
        std::fputs(qPrintable(text), stdout);
        return 0;
    }
    try {
        return command.run(parser);
    } catch (const storyreel::app::CliUsageError& error) {
        return usageError(QString::fromUtf8(error.what()), help);
    } catch (const std::exception& error) {
        printLine(
            stderr,
            QStringLiteral("storyreel-cli %1: %2").arg(name, QString::fromUtf8(error.what())));
        return 1;
    }
}

}  // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("storyreel-cli"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(storyreel::kVersion));
    const QString languageError =
        storyreel::app::installTranslators(app, storyreel::app::languageFromArguments(argc, argv));
    if (!languageError.isEmpty()) {
        printLine(stderr, QStringLiteral("storyreel-cli: %1").arg(languageError));
        return kUsageError;
    }
    QStringList arguments = app.arguments().mid(1);
    // --lang applies to every command; take it off before dispatching.
    for (qsizetype i = 0; i < arguments.size();) {
        if (arguments[i] == QLatin1String("--lang") && i + 1 < arguments.size()) {
            arguments.remove(i, 2);
        } else if (arguments[i].startsWith(QLatin1String("--lang="))) {
            arguments.remove(i);
        } else {
            ++i;
        }
    }
    const QString global = QStringLiteral("storyreel-cli --help");
    if (arguments.isEmpty()) {
        printHelp();
        return kUsageError;
    }
    const QString first = arguments.takeFirst();
    if (first == QLatin1String("--help") || first == QLatin1String("-h") ||
        first == QLatin1String("help")) {
        if (!arguments.isEmpty() && storyreel::app::findCliCommand(arguments.first())) {
            return runCommand(*storyreel::app::findCliCommand(arguments.first()),
                              {QStringLiteral("--help")});
        }
        printHelp();
        return 0;
    }
    if (first == QLatin1String("--version") || first == QLatin1String("-v")) {
        printVersion();
        return 0;
    }
    if (first.startsWith(QLatin1Char('-'))) {
        return usageError(QCoreApplication::translate("Cli", "unknown option '%1'").arg(first),
                          global);
    }
    const CliCommand* command = storyreel::app::findCliCommand(first);
    if (!command) {
        return usageError(QCoreApplication::translate("Cli", "unknown command '%1'").arg(first),
                          global);
    }
    return runCommand(*command, arguments);
}
