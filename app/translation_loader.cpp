#include "app/translation_loader.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QStringList>
#include <QTranslator>

#include <cstring>

namespace storyreel::app {

QStringList supportedLanguages() {
    return {QStringLiteral("en"), QStringLiteral("fr")};
}

QString languageFromArguments(int argc, char* argv[]) {
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
            return QString::fromLocal8Bit(argv[i + 1]);
        }
        if (std::strncmp(argv[i], "--lang=", 7) == 0) {
            return QString::fromLocal8Bit(argv[i] + 7);
        }
    }
    return QString();
}

QString installTranslators(QCoreApplication& app, const QString& language) {
    if (!language.isEmpty() && !supportedLanguages().contains(language)) {
        return QCoreApplication::translate("Translations", "Unknown language '%1': use one of %2.")
            .arg(language, supportedLanguages().join(QStringLiteral(", ")));
    }
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    QLocale::setDefault(locale);
    // English is the source language: there is no storyreel_en.qm to load.
    auto* storyreel = new QTranslator(&app);
    if (storyreel->load(locale, QStringLiteral("storyreel"), QStringLiteral("_"),
                        QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(storyreel);
    }
    auto* qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
    }
    return QString();
}

}  // namespace storyreel::app
