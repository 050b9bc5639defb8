// storyreel-cli models inspect FILE|DIR [--json] and models verify FILE|DIR [--full]: what a
// checkpoint holds and which model it is, what a models folder provides for each preset,
// and whether the files are complete and intact (exit status 0 when they are, 1 otherwise).
#include "app/cli/cli_options.h"
#include "app/cli/cli_support.h"
#include "app/cli/command_handlers.h"
#include "core/base/user_error.h"
#include "core/render/model_library.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cstdio>

namespace storyreel::app {

namespace {

QString fromPath(const std::filesystem::path& path) {
    return QString::fromStdString(path.string());
}

QString shapeText(const std::vector<std::int64_t>& shape) {
    QStringList dims;
    for (const std::int64_t dim : shape) {
        dims << QString::number(dim);
    }
    return QLatin1Char('[') + dims.join(QStringLiteral(", ")) + QLatin1Char(']');
}

void print(const QString& line) {
    std::fprintf(stdout, "%s\n", qPrintable(line));
}

QString statusText(const render::ModelFileInfo& file) {
    switch (file.status) {
        case render::ModelFileStatus::Recognised:
            return QString::fromStdString(file.family);
        case render::ModelFileStatus::Unrecognised:
            return QCoreApplication::translate("Cli", "not a model Storyreel knows");
        case render::ModelFileStatus::Unreadable:
            return QCoreApplication::translate("Cli", "cannot be read: %1")
                .arg(QString::fromStdString(file.error));
    }
    return {};
}

void printRecognition(const render::ModelFileInfo& file, const QString& indent) {
    print(indent + QCoreApplication::translate("Cli", "Model: %1").arg(statusText(file)));
    if (file.status != render::ModelFileStatus::Recognised) {
        return;
    }
    print(indent + QCoreApplication::translate("Cli", "Variant: %1")
                       .arg(QString::fromStdString(file.variant)));
    QString layout = QString::fromStdString(file.layout);
    if (file.scaledFp8) {
        layout = QCoreApplication::translate("Cli", "%1, scaled fp8").arg(layout);
    }
    print(indent + QCoreApplication::translate("Cli", "Layout: %1").arg(layout));
    print(indent + QCoreApplication::translate("Cli", "Licence: %1")
                       .arg(QString::fromStdString(file.licence)));
    for (const std::string& note : file.notes) {
        print(indent +
              QCoreApplication::translate("Cli", "Note: %1").arg(QString::fromStdString(note)));
    }
}

void printFile(const render::ModelFileInfo& file) {
    print(fromPath(file.path));
    print(QCoreApplication::translate("Cli", "Format: %1, %2 tensors, %3")
              .arg(QString::fromStdString(file.format))
              .arg(file.tensorCount)
              .arg(QLocale::c().formattedDataSize(static_cast<qint64>(file.sizeBytes))));
    if (!file.tensors.empty()) {
        print(QCoreApplication::translate("Cli", "Tensors (name, dtype, shape, bytes):"));
        for (const render::ModelTensorRow& row : file.tensors) {
            print(QStringLiteral("  %1  %2  %3  %4")
                      .arg(QString::fromStdString(row.name), QString::fromStdString(row.dtype),
                           shapeText(row.shape))
                      .arg(row.sizeBytes));
        }
    }
    printRecognition(file, QString());
}

void printPresets(const std::vector<render::ModelPresetInfo>& presets) {
    for (const render::ModelPresetInfo& preset : presets) {
        print(QString());
        print(QCoreApplication::translate("Cli", "Preset %1: %2")
                  .arg(QString::fromStdString(preset.name),
                       preset.complete ? QCoreApplication::translate("Cli", "every file found")
                                       : QCoreApplication::translate("Cli", "incomplete")));
        print(QCoreApplication::translate("Cli", "  Licence: %1")
                  .arg(QString::fromStdString(preset.licence)));
        for (const render::ModelComponentInfo& component : preset.components) {
            const QString role = QString::fromStdString(component.role);
            for (const std::filesystem::path& found : component.found) {
                print(QCoreApplication::translate("Cli", "  %1: found %2")
                          .arg(role, fromPath(found)));
            }
            for (const auto& [path, why] : component.unsuitable) {
                print(QCoreApplication::translate("Cli", "  %1: %2 does not fit: %3")
                          .arg(role, fromPath(path), QString::fromStdString(why)));
            }
            if (component.found.empty()) {
                print((component.optional
                           ? QCoreApplication::translate("Cli", "  %1: not found (optional; %2)")
                           : QCoreApplication::translate("Cli", "  %1: missing (%2)"))
                          .arg(role, QString::fromStdString(component.family)));
            }
        }
    }
}

void printFolder(const render::ModelFolderInfo& folder) {
    print(QCoreApplication::translate("Cli", "Models folder %1: %2 files")
              .arg(fromPath(folder.folder))
              .arg(folder.files.size()));
    for (const render::ModelFileInfo& file : folder.files) {
        print(QString());
        print(fromPath(file.path));
        printRecognition(file, QStringLiteral("  "));
    }
    printPresets(folder.presets);
}

QJsonObject fileJson(const render::ModelFileInfo& file) {
    static const char* const kStatus[] = {"recognised", "unrecognised", "unreadable"};
    QJsonObject object{
        {QStringLiteral("path"), fromPath(file.path)},
        {QStringLiteral("status"), QLatin1String(kStatus[static_cast<int>(file.status)])},
        {QStringLiteral("format"), QString::fromStdString(file.format)},
        {QStringLiteral("tensorCount"), static_cast<qint64>(file.tensorCount)},
        {QStringLiteral("sizeBytes"), static_cast<qint64>(file.sizeBytes)},
    };
    if (!file.error.empty()) {
        object.insert(QStringLiteral("error"), QString::fromStdString(file.error));
    }
    if (file.status == render::ModelFileStatus::Recognised) {
        object.insert(QStringLiteral("family"), QString::fromStdString(file.family));
        object.insert(QStringLiteral("variant"), QString::fromStdString(file.variant));
        object.insert(QStringLiteral("knownVariant"), file.knownVariant);
        object.insert(QStringLiteral("layout"), QString::fromStdString(file.layout));
        object.insert(QStringLiteral("scaledFp8"), file.scaledFp8);
        object.insert(QStringLiteral("licence"), QString::fromStdString(file.licence));
        QJsonObject config;
        for (const auto& [key, value] : file.config) {
            config.insert(QString::fromStdString(key), static_cast<qint64>(value));
        }
        object.insert(QStringLiteral("config"), config);
        QJsonArray notes;
        for (const std::string& note : file.notes) {
            notes.append(QString::fromStdString(note));
        }
        object.insert(QStringLiteral("notes"), notes);
    }
    if (!file.tensors.empty()) {
        QJsonArray tensors;
        for (const render::ModelTensorRow& row : file.tensors) {
            QJsonArray shape;
            for (const std::int64_t dim : row.shape) {
                shape.append(static_cast<qint64>(dim));
            }
            tensors.append(
                QJsonObject{{QStringLiteral("name"), QString::fromStdString(row.name)},
                            {QStringLiteral("dtype"), QString::fromStdString(row.dtype)},
                            {QStringLiteral("shape"), shape},
                            {QStringLiteral("bytes"), static_cast<qint64>(row.sizeBytes)}});
        }
        object.insert(QStringLiteral("tensors"), tensors);
    }
    return object;
}

QJsonObject folderJson(const render::ModelFolderInfo& folder) {
    QJsonArray files;
    for (const render::ModelFileInfo& file : folder.files) {
        files.append(fileJson(file));
    }
    QJsonArray presets;
    for (const render::ModelPresetInfo& preset : folder.presets) {
        QJsonArray components;
        for (const render::ModelComponentInfo& component : preset.components) {
            QJsonArray found;
            for (const std::filesystem::path& path : component.found) {
                found.append(fromPath(path));
            }
            components.append(
                QJsonObject{{QStringLiteral("role"), QString::fromStdString(component.role)},
                            {QStringLiteral("family"), QString::fromStdString(component.family)},
                            {QStringLiteral("optional"), component.optional},
                            {QStringLiteral("found"), found}});
        }
        presets.append(
            QJsonObject{{QStringLiteral("id"), QString::fromStdString(preset.id)},
                        {QStringLiteral("name"), QString::fromStdString(preset.name)},
                        {QStringLiteral("licence"), QString::fromStdString(preset.licence)},
                        {QStringLiteral("complete"), preset.complete},
                        {QStringLiteral("components"), components}});
    }
    return QJsonObject{{QStringLiteral("folder"), fromPath(folder.folder)},
                       {QStringLiteral("files"), files},
                       {QStringLiteral("presets"), presets}};
}

// One translated line per issue, built from its fields.
QString issueText(const render::ModelIssue& issue) {
    const QString file = fromPath(issue.file);
    const QString tensor = QString::fromStdString(issue.tensor);
    const QString detail = QString::fromStdString(issue.detail);
    const std::string& code = issue.code;
    QString text;
    if (code == "missing-tensor") {
        text =
            detail.isEmpty()
                ? QCoreApplication::translate("Cli", "%1: tensor '%2' is missing").arg(file, tensor)
                : QCoreApplication::translate("Cli", "%1: tensor '%2' is incomplete: %3")
                      .arg(file, tensor, detail);
    } else if (code == "wrong-shape") {
        text = QCoreApplication::translate("Cli", "%1: tensor '%2' has the wrong shape: %3")
                   .arg(file, tensor, detail);
    } else if (code == "missing-shard") {
        text = QCoreApplication::translate("Cli",
                                           "%1: this shard is missing (it should hold tensor '%2')")
                   .arg(file, tensor);
    } else if (code == "not-in-shard") {
        text = QCoreApplication::translate("Cli", "%1: tensor '%2' is not in this shard: %3")
                   .arg(file, tensor, detail);
    } else if (code == "out-of-range") {
        text = QCoreApplication::translate("Cli", "%1: tensor '%2' cannot be read: %3")
                   .arg(file, tensor, detail);
    } else if (code == "non-finite") {
        text = QCoreApplication::translate("Cli", "%1: tensor '%2' holds %3")
                   .arg(file, tensor, detail);
    } else if (code == "unreadable") {
        text = tensor.isEmpty()
                   ? QCoreApplication::translate("Cli", "%1: cannot be read: %2").arg(file, detail)
                   : QCoreApplication::translate("Cli", "%1: tensor '%2' cannot be read: %3")
                         .arg(file, tensor, detail);
    } else if (code == "unrecognised") {
        text = QCoreApplication::translate("Cli", "%1: holds no model Storyreel knows").arg(file);
    } else if (code == "preset-incomplete") {
        text = QCoreApplication::translate("Cli", "preset %1 is missing: %2").arg(tensor, detail);
    } else {
        text = QString::fromStdString(issue.message);
    }
    return (issue.isError ? QCoreApplication::translate("Cli", "error: %1")
                          : QCoreApplication::translate("Cli", "warning: %1"))
        .arg(text);
}

int runInspect(const QString& path, bool json) {
    if (QFileInfo(path).isDir()) {
        const render::ModelFolderInfo folder = render::inspectModelFolder(path.toStdString());
        if (json) {
            std::fputs(QJsonDocument(folderJson(folder)).toJson().constData(), stdout);
        } else {
            printFolder(folder);
        }
        return 0;
    }
    const render::ModelFileInfo file = render::inspectModelFile(path.toStdString());
    if (json) {
        std::fputs(QJsonDocument(fileJson(file)).toJson().constData(), stdout);
    } else {
        printFile(file);
    }
    return file.status == render::ModelFileStatus::Unreadable ? 1 : 0;
}

int runVerify(const QString& path, bool fullRead) {
    const render::ModelVerifyInfo result = render::verifyModels(path.toStdString(), fullRead);
    int errors = 0;
    for (const render::ModelIssue& issue : result.issues) {
        errors += issue.isError ? 1 : 0;
        std::fprintf(issue.isError ? stderr : stdout, "%s\n", qPrintable(issueText(issue)));
    }
    for (const render::ModelPresetInfo& preset : result.folder.presets) {
        if (preset.complete) {
            print(QCoreApplication::translate("Cli", "Preset %1: every file found")
                      .arg(QString::fromStdString(preset.name)));
        }
    }
    if (result.ok) {
        print(QCoreApplication::translate("Cli", "The model files are complete and intact."));
        return 0;
    }
    std::fprintf(
        stderr, "%s\n",
        qPrintable(errors > 0
                       ? QCoreApplication::translate("Cli", "Problems found: %n.", nullptr, errors)
                       : QCoreApplication::translate("Cli", "No preset has every file it needs.")));
    return 1;
}

}  // namespace

void configureModels(QCommandLineParser& parser) {
    addOption(parser, "json", QT_TRANSLATE_NOOP("Cli", "inspect: print JSON instead of text."));
    addOption(parser, "full",
              QT_TRANSLATE_NOOP("Cli", "verify: read every tensor and look for NaN or Inf."));
}

int runModels(const QCommandLineParser& parser) {
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 2) {
        throw CliUsageError(
            QCoreApplication::translate("Cli", "unexpected argument '%1'").arg(positional.at(2)));
    }
    if (positional.isEmpty()) {
        throw CliUsageError(QCoreApplication::translate("Cli", "missing %1")
                                .arg(QCoreApplication::translate("Cli", "action")));
    }
    const QString action = requireOneOf(positional.first(), QStringLiteral("action"),
                                        {QStringLiteral("inspect"), QStringLiteral("verify")});
    if (positional.size() < 2) {
        throw CliUsageError(
            QCoreApplication::translate("Cli", "missing the model file or folder after '%1'")
                .arg(action));
    }
    const QString path = positional.at(1);
    if (!QFileInfo::exists(path)) {
        throw CliUsageError(
            QCoreApplication::translate("Cli", "%1 not found: %2")
                .arg(QCoreApplication::translate("Cli", "model file or folder"), path));
    }
    try {
        if (action == QLatin1String("inspect")) {
            return runInspect(path, parser.isSet(QStringLiteral("json")));
        }
        return runVerify(path, parser.isSet(QStringLiteral("full")));
    } catch (const UserError& error) {
        std::fprintf(stderr, "storyreel-cli models: %s\n", error.what());
        return 1;
    }
}

}  // namespace storyreel::app
