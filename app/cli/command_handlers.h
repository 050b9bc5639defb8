// Each storyreel-cli command's options and its run function (one file per command:
// new_command.cpp, animate_command.cpp, ...), gathered into the table in cli_commands.cpp.
#pragma once

class QCommandLineParser;

namespace storyreel::app {

void configureNew(QCommandLineParser& parser);
int runNew(const QCommandLineParser& parser);
void configureAnimate(QCommandLineParser& parser);
int runAnimate(const QCommandLineParser& parser);
void configureRender(QCommandLineParser& parser);
int runRender(const QCommandLineParser& parser);
void configureExport(QCommandLineParser& parser);
int runExport(const QCommandLineParser& parser);
void configureModels(QCommandLineParser& parser);
int runModels(const QCommandLineParser& parser);
void configureGenerate(QCommandLineParser& parser);
int runGenerate(const QCommandLineParser& parser);
void configureBench(QCommandLineParser& parser);
int runBench(const QCommandLineParser& parser);

}  // namespace storyreel::app
