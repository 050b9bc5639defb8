#include "core/render/model_library.h"

#include "core/base/user_error.h"
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/preset_requirements.h"
#include "core/infer/registry/verify.h"

namespace storyreel::render {

namespace {

namespace reg = storyreel::infer;

ModelFileStatus statusOf(reg::ScanStatus status) {
    switch (status) {
        case reg::ScanStatus::Recognised:
            return ModelFileStatus::Recognised;
        case reg::ScanStatus::Unrecognised:
            return ModelFileStatus::Unrecognised;
        case reg::ScanStatus::Unreadable:
            return ModelFileStatus::Unreadable;
    }
    return ModelFileStatus::Unreadable;
}

ModelFileInfo fileInfo(const reg::ScannedFile& scanned) {
    ModelFileInfo info;
    info.path = scanned.path;
    info.status = statusOf(scanned.status);
    if (scanned.format) {
        info.format = std::string(reg::checkpointFormatName(*scanned.format));
    }
    info.error = scanned.error;
    info.tensorCount = scanned.tensorCount;
    info.sizeBytes = scanned.sizeBytes;
    if (scanned.status == reg::ScanStatus::Recognised) {
        const reg::ModelRecognition& r = scanned.recognition;
        info.family = std::string(reg::modelFamilyName(r.family));
        info.variant = r.variant;
        info.knownVariant = r.knownVariant;
        info.layout = std::string(reg::checkpointLayoutName(r.layout));
        info.licence = std::string(reg::modelFamilyLicence(r.family));
        info.scaledFp8 = r.scaledFp8;
        info.notes = r.notes;
        info.config = r.config;
    }
    return info;
}

std::vector<ModelPresetInfo> presetInfos(const std::vector<reg::PresetStatus>& statuses) {
    std::vector<ModelPresetInfo> presets;
    for (const reg::PresetStatus& status : statuses) {
        ModelPresetInfo preset{
            status.preset.id, status.preset.name, status.preset.licence, status.complete, {}};
        for (const reg::ComponentStatus& component : status.components) {
            preset.components.push_back(
                {component.requirement.role,
                 std::string(reg::modelFamilyName(component.requirement.family)),
                 component.requirement.optional, component.found, component.unsuitable});
        }
        presets.push_back(std::move(preset));
    }
    return presets;
}

ModelFolderInfo folderInfo(const reg::ModelsFolderScan& scan) {
    ModelFolderInfo folder;
    folder.folder = scan.folder;
    for (const reg::ScannedFile& scanned : scan.files) {
        folder.files.push_back(fileInfo(scanned));
    }
    folder.presets = presetInfos(scan.presets);
    return folder;
}

std::string codeOf(reg::VerifyProblem problem) {
    switch (problem) {
        case reg::VerifyProblem::Unreadable:
            return "unreadable";
        case reg::VerifyProblem::Unrecognised:
            return "unrecognised";
        case reg::VerifyProblem::MissingShard:
            return "missing-shard";
        case reg::VerifyProblem::NotInShard:
            return "not-in-shard";
        case reg::VerifyProblem::MissingTensor:
            return "missing-tensor";
        case reg::VerifyProblem::WrongShape:
            return "wrong-shape";
        case reg::VerifyProblem::OutOfRange:
            return "out-of-range";
        case reg::VerifyProblem::NonFinite:
            return "non-finite";
        case reg::VerifyProblem::PresetIncomplete:
            return "preset-incomplete";
    }
    return "unknown";
}

std::vector<ModelIssue> issueInfos(const std::vector<reg::VerifyIssue>& issues) {
    std::vector<ModelIssue> result;
    for (const reg::VerifyIssue& issue : issues) {
        result.push_back({issue.severity == reg::VerifySeverity::Error, codeOf(issue.problem),
                          issue.file, issue.tensor, issue.detail, issue.message()});
    }
    return result;
}

}  // namespace

ModelFileInfo inspectModelFile(const std::filesystem::path& path) {
    ModelFileInfo info = fileInfo(reg::scanModelFile(path));
    if (info.status == ModelFileStatus::Recognised ||
        info.status == ModelFileStatus::Unrecognised) {
        try {
            const std::unique_ptr<reg::CheckpointFile> file = reg::openCheckpoint(path);
            for (const reg::TensorInfo& tensor : file->tensors()) {
                info.tensors.push_back({tensor.name,
                                        std::string(reg::storageTypeName(tensor.storageType)),
                                        tensor.shape, tensor.sizeBytes});
            }
        } catch (const UserError& error) {
            info.status = ModelFileStatus::Unreadable;
            info.error = error.what();
        }
    }
    return info;
}

ModelFolderInfo inspectModelFolder(const std::filesystem::path& folder) {
    return folderInfo(reg::scanModelsFolder(folder));
}

ModelVerifyInfo verifyModels(const std::filesystem::path& path, bool fullRead) {
    reg::VerifyOptions options;
    options.fullRead = fullRead;
    ModelVerifyInfo result;
    if (std::filesystem::is_directory(path)) {
        const reg::ModelsVerification verification = reg::verifyModelsFolder(path, options);
        result.folder = folderInfo(verification.scan);
        result.issues = issueInfos(verification.issues);
        result.ok = verification.ok();
        return result;
    }
    if (!std::filesystem::exists(path)) {
        throw UserError::inFile(path, "no such file or folder");
    }
    const reg::ScannedFile scanned = reg::scanModelFile(path);
    result.folder.files.push_back(fileInfo(scanned));
    std::vector<reg::VerifyIssue> issues;
    if (scanned.status == reg::ScanStatus::Unreadable) {
        issues.push_back(
            {reg::VerifySeverity::Error, reg::VerifyProblem::Unreadable, path, "", scanned.error});
    } else {
        const std::unique_ptr<reg::CheckpointFile> file = reg::openCheckpoint(path);
        issues = reg::verifyCheckpoint(*file, scanned.recognition, options);
        if (scanned.status == reg::ScanStatus::Unrecognised) {
            issues.push_back(
                {reg::VerifySeverity::Error, reg::VerifyProblem::Unrecognised, path, "", ""});
        }
    }
    result.issues = issueInfos(issues);
    result.ok = std::none_of(result.issues.begin(), result.issues.end(),
                             [](const ModelIssue& issue) { return issue.isError; });
    return result;
}

}  // namespace storyreel::render
