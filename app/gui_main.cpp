// storyreel: the desktop application. Opens the project given on the command line, or the
// sample storyboard on a first start.
#include "app/console_output.h"
#include "app/translation_loader.h"
#include "core/base/version.h"
#include "ui/dialogs/model_manager_dialog.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QIcon>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>
#include <cstring>

namespace {

using storyreel::app::printLine;
using storyreel::app::withoutFinalPeriod;

constexpr int kUsageError = 2;

void configureParser(QCommandLineParser& parser) {
    parser.setApplicationDescription(
        QCoreApplication::translate("Gui", "Storyreel turns storyboards into moving shots."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("lang"),
                      QCoreApplication::translate("Gui", "Interface language: en or fr."),
                      QStringLiteral("code")});
    parser.addOption({QStringLiteral("screenshot"),
                      QCoreApplication::translate(
                          "Gui", "Save a picture of the main window to <file> and quit."),
                      QStringLiteral("file")});
    parser.addPositionalArgument(
        QStringLiteral("project"),
        QCoreApplication::translate("Gui",
                                    "The NAME.storyreel folder to open (default: the "
                                    "sample storyboard)."),
        QStringLiteral("[project]"));
}

// Parses the arguments; returns an exit code when the program should stop now, else -1.
int parseArguments(QCoreApplication& app, QCommandLineParser& parser, int argc, char* argv[]) {
    const QString languageError =
        storyreel::app::installTranslators(app, storyreel::app::languageFromArguments(argc, argv));
    configureParser(parser);
    if (!languageError.isEmpty()) {
        printLine(stderr, QStringLiteral("storyreel: %1").arg(languageError));
        return kUsageError;
    }
    if (!parser.parse(app.arguments())) {
        printLine(stderr,
                  QCoreApplication::translate("Gui", "storyreel: %1. Try 'storyreel --help'.")
                      .arg(withoutFinalPeriod(parser.errorText())));
        return kUsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        printLine(stdout,
                  QStringLiteral("storyreel %1").arg(QString::fromLatin1(storyreel::kVersion)));
        return 0;
    }
    if (parser.positionalArguments().size() > 1) {
        printLine(stderr,
                  QCoreApplication::translate("Gui", "storyreel: give one project at most."));
        return kUsageError;
    }
    const QStringList projects = parser.positionalArguments();
    if (!projects.isEmpty() && !QFileInfo::exists(projects.first())) {
        printLine(stderr, QCoreApplication::translate("Gui", "storyreel: project not found: %1")
                              .arg(projects.first()));
        return kUsageError;
    }
    return -1;
}

// --help and --version must work without a display, so they never create a QApplication.
bool wantsTextOnly(int argc, char* argv[]) {
    for (int i = 1; i < argc; ++i) {
        for (const char* flag : {"-h", "--help", "-?", "-v", "--version"}) {
            if (std::strcmp(argv[i], flag) == 0) {
                return true;
            }
        }
    }
    return false;
}

void setIdentity() {
    QCoreApplication::setApplicationName(QStringLiteral("storyreel"));
    QCoreApplication::setOrganizationName(QStringLiteral("Storyreel"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(storyreel::kVersion));
}

}  // namespace

int main(int argc, char* argv[]) {
    setIdentity();
    QCommandLineParser parser;
    if (wantsTextOnly(argc, argv)) {
        QCoreApplication app(argc, argv);
        const int code = parseArguments(app, parser, argc, argv);
        return code < 0 ? 0 : code;
    }
    QApplication app(argc, argv);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/storyreel.svg")));
    QApplication::setDesktopFileName(QStringLiteral("io.storyreel.Storyreel"));
    if (const int code = parseArguments(app, parser, argc, argv); code >= 0) {
        return code;
    }
    // The neural presets find their files in the models folder chosen in Tools > Models
    // (core reads it from the environment; an explicit STORYREEL_MODELS_DIR wins).
    if (qEnvironmentVariableIsEmpty("STORYREEL_MODELS_DIR")) {
        qputenv("STORYREEL_MODELS_DIR",
                QFile::encodeName(storyreel::ui::ModelManagerDialog::modelsFolder()));
    }
    storyreel::ui::MainWindow window;
    const QStringList projects = parser.positionalArguments();
    const QString error =
        projects.isEmpty() ? window.openSampleProject() : window.openProject(projects.first());
    const QString screenshot = parser.value(QStringLiteral("screenshot"));
    if (!error.isEmpty() && !screenshot.isEmpty()) {
        printLine(stderr, QStringLiteral("storyreel: %1").arg(error));
        return 1;
    }
    window.show();
    if (!error.isEmpty()) {
        QMessageBox::warning(&window, QCoreApplication::translate("Gui", "Cannot Open Project"),
                             error);
    }
    if (!screenshot.isEmpty()) {
        // Let the layout settle and paint once before grabbing.
        QTimer::singleShot(500, &window, [&window, screenshot] {
            const bool saved = window.grab().save(screenshot);
            if (!saved) {
                printLine(stderr, QCoreApplication::translate("Gui", "storyreel: cannot write %1")
                                      .arg(screenshot));
            }
            QCoreApplication::exit(saved ? 0 : 1);
        });
    }
    return app.exec();
}
