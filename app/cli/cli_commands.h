// storyreel-cli's subcommands: each declares its options and checks its arguments, then
// runs. Commands whose engine or exporter has not landed say so and exit with status 1.
//
//   for (const CliCommand& command : cliCommands()) puts(command.name);
//   const CliCommand* export_ = findCliCommand("export");
//
// Thread-safety: main thread only.
#pragma once

#include <QString>

#include <vector>

class QCommandLineParser;

namespace storyreel::app {

struct CliCommand {
    const char* name;
    const char* summary;     // untranslated; shown through QCoreApplication::translate("Cli", ...)
    const char* positional;  // "PROJECT", "IMAGE", "[ACTION]" or ""
    const char* positionalHelp;  // untranslated, like summary
    void (*configure)(QCommandLineParser& parser);
    // Returns the exit status; throws CliUsageError for bad arguments.
    int (*run)(const QCommandLineParser& parser);
};

const std::vector<CliCommand>& cliCommands();
const CliCommand* findCliCommand(const QString& name);

}  // namespace storyreel::app
