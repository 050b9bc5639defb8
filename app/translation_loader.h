// Loads Storyreel's translation (and Qt's own, for standard dialogs) for the language the
// user asked for with --lang, or else the system's.
//
//   QApplication app(argc, argv);
//   QString error = installTranslators(app, languageFromArguments(argc, argv));
//
// Thread-safety: call once, from main(), before any window or message is made.
#pragma once

#include <QString>

class QCoreApplication;

namespace storyreel::app {

// The languages Storyreel ships ("en", "fr").
QStringList supportedLanguages();

// The value of --lang / --lang=X in argv, or an empty string for the system's language.
QString languageFromArguments(int argc, char* argv[]);

// Installs the translators; returns a message when the language is not supported.
QString installTranslators(QCoreApplication& app, const QString& language);

}  // namespace storyreel::app
