#include "app/cli/cli_commands.h"

#include "app/cli/command_handlers.h"

#include <QCoreApplication>
#include <QString>

namespace storyreel::app {

const std::vector<CliCommand>& cliCommands() {
    static const std::vector<CliCommand> commands = {
        {"new", QT_TRANSLATE_NOOP("Cli", "Create a project from images or a CSV shot list."),
         "PROJECT",
         QT_TRANSLATE_NOOP("Cli", "The NAME.storyreel folder to create, then the images."),
         configureNew, runNew},
        {"animate", QT_TRANSLATE_NOOP("Cli", "Animate one image with the Animatic engine."),
         "IMAGE", QT_TRANSLATE_NOOP("Cli", "The still image to animate."), configureAnimate,
         runAnimate},
        {"generate",
         QT_TRANSLATE_NOOP("Cli", "Generate a clip from one image with a neural engine (Wan 2.1)."),
         "", "", configureGenerate, runGenerate},
        {"render", QT_TRANSLATE_NOOP("Cli", "Render takes for a project's Animatic shots."),
         "PROJECT", QT_TRANSLATE_NOOP("Cli", "The NAME.storyreel project folder."), configureRender,
         runRender},
        {"export", QT_TRANSLATE_NOOP("Cli", "Export the timeline as video or editor files."),
         "PROJECT", QT_TRANSLATE_NOOP("Cli", "The NAME.storyreel project folder."), configureExport,
         runExport},
        {"models", QT_TRANSLATE_NOOP("Cli", "Inspect and verify model files."), "ACTION PATH",
         QT_TRANSLATE_NOOP("Cli", "inspect or verify, then a model file or a models folder."),
         configureModels, runModels},
        {"bench", QT_TRANSLATE_NOOP("Cli", "Run a benchmark and print a table."), "NAME",
         QT_TRANSLATE_NOOP("Cli", "What to measure: export or animatic."), configureBench,
         runBench},
    };
    return commands;
}

const CliCommand* findCliCommand(const QString& name) {
    for (const CliCommand& command : cliCommands()) {
        if (name == QLatin1String(command.name)) {
            return &command;
        }
    }
    return nullptr;
}

}  // namespace storyreel::app
