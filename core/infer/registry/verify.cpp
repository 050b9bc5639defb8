#include "core/infer/registry/verify.h"

#include "core/base/user_error.h"
#include "core/infer/registry/expected_tensors.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/weights/message_text.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace storyreel::infer {

namespace {

VerifyIssue issue(VerifyProblem problem, const std::filesystem::path& file, std::string tensor,
                  std::string detail = {}, VerifySeverity severity = VerifySeverity::Error) {
    return VerifyIssue{severity, problem, file, std::move(tensor), std::move(detail)};
}

// The file that holds an internal tensor (its first source), for messages.
std::filesystem::path fileFor(const CheckpointFile& file, const InternalView& view,
                              const std::string& internalName) {
    if (!view.contains(internalName)) {
        return file.path();
    }
    return file.fileOf(view.sourcesOf(internalName).front());
}

void checkExact(const CheckpointFile& file, const InternalView& view,
                const ExpectedTensors& expected, std::vector<VerifyIssue>& issues) {
    for (const auto& [name, shape] : expected.exact) {
        if (!view.contains(name)) {
            issues.push_back(issue(VerifyProblem::MissingTensor, file.path(), name));
            continue;
        }
        const std::vector<std::int64_t> found = view.shape(name);
        if (found != shape) {
            issues.push_back(issue(VerifyProblem::WrongShape, fileFor(file, view, name), name,
                                   "expected " + shapeText(shape) + ", found " + shapeText(found)));
        }
    }
}

struct Block {
    std::string index;
    std::string rest;
};

// "blocks.12.attn.q.weight" under "blocks." -> {"12", "attn.q.weight"}.
std::optional<Block> splitBlock(const std::string& name, const std::string& prefix) {
    if (name.compare(0, prefix.size(), prefix) != 0) {
        return std::nullopt;
    }
    std::size_t end = prefix.size();
    while (end < name.size() && std::isdigit(static_cast<unsigned char>(name[end]))) {
        ++end;
    }
    if (end == prefix.size() || end >= name.size() || name[end] != '.') {
        return std::nullopt;
    }
    return Block{name.substr(prefix.size(), end - prefix.size()), name.substr(end + 1)};
}

// Every block under `prefix` holds what the others hold, with the same shapes.
void checkUniformBlocks(const CheckpointFile& file, const InternalView& view,
                        const std::string& prefix, std::vector<VerifyIssue>& issues) {
    std::map<std::string, std::vector<std::int64_t>> reference;  // rest -> shape
    std::map<long, std::set<std::string>> blocks;                // index -> rests
    for (const std::string& name : view.names()) {
        const std::optional<Block> block = splitBlock(name, prefix);
        if (!block) {
            continue;
        }
        blocks[std::stol(block->index)].insert(block->rest);
        reference.emplace(block->rest, view.shape(name));
    }
    if (blocks.empty()) {
        return;
    }
    const long count = blocks.rbegin()->first + 1;
    for (long index = 0; index < count; ++index) {
        const std::set<std::string>& present = blocks[index];
        for (const auto& [rest, shape] : reference) {
            const std::string name = prefix + std::to_string(index) + "." + rest;
            if (present.count(rest) == 0) {
                issues.push_back(issue(VerifyProblem::MissingTensor, file.path(), name));
            } else if (view.shape(name) != shape) {
                issues.push_back(issue(VerifyProblem::WrongShape, fileFor(file, view, name), name,
                                       "expected " + shapeText(shape) +
                                           " like the other blocks, "
                                           "found " +
                                           shapeText(view.shape(name))));
            }
        }
    }
}

bool isFloatStorage(StorageType type) {
    switch (type) {
        case StorageType::I64:
        case StorageType::I32:
        case StorageType::I16:
        case StorageType::I8:
        case StorageType::U8:
        case StorageType::Bool:
            return false;
        default:
            return true;
    }
}

void checkIntegrity(const CheckpointFile& file, const VerifyOptions& options,
                    std::vector<VerifyIssue>& issues) {
    std::set<std::filesystem::path> reportedShards;
    for (const UnlistedTensor& unlisted : file.unlisted()) {
        const bool missing = !std::filesystem::exists(unlisted.shard);
        if (missing && !reportedShards.insert(unlisted.shard).second) {
            continue;
        }
        issues.push_back(issue(missing ? VerifyProblem::MissingShard : VerifyProblem::NotInShard,
                               unlisted.shard, unlisted.name, unlisted.problem));
    }
    for (const TensorInfo& info : file.tensors()) {
        try {
            file.checkReadable(info.name);
        } catch (const UserError& error) {
            issues.push_back(
                issue(VerifyProblem::OutOfRange, file.fileOf(info.name), info.name, error.what()));
            continue;
        }
        if (!options.fullRead || !isFloatStorage(info.storageType)) {
            continue;
        }
        try {
            const at::Tensor values = file.read(info.name);
            const std::int64_t bad =
                values.numel() - at::isfinite(values).sum().item<std::int64_t>();
            if (bad > 0) {
                issues.push_back(issue(VerifyProblem::NonFinite, file.fileOf(info.name), info.name,
                                       std::to_string(bad) + " NaN or Inf values",
                                       VerifySeverity::Warning));
            }
        } catch (const UserError& error) {
            issues.push_back(
                issue(VerifyProblem::Unreadable, file.fileOf(info.name), info.name, error.what()));
        }
    }
}

}  // namespace

std::string VerifyIssue::message() const {
    const std::string where = file.string() + ": ";
    const std::string name = "'" + tensor + "'";
    switch (problem) {
        case VerifyProblem::Unreadable:
            return where + "cannot be read: " + detail;
        case VerifyProblem::Unrecognised:
            return where + "holds no model Storyreel knows";
        case VerifyProblem::MissingShard:
            return where + "this shard is missing (it should hold tensor " + name + ")";
        case VerifyProblem::NotInShard:
            return where + "tensor " + name + " is not in this shard: " + detail;
        case VerifyProblem::MissingTensor:
            return where + "tensor " + name + " is missing";
        case VerifyProblem::WrongShape:
            return where + "tensor " + name + " has the wrong shape: " + detail;
        case VerifyProblem::OutOfRange:
            return where + "tensor " + name + " cannot be read: " + detail;
        case VerifyProblem::NonFinite:
            return where + "tensor " + name + " holds " + detail;
        case VerifyProblem::PresetIncomplete:
            return where + "preset " + name + " is missing: " + detail;
    }
    return where + detail;
}

std::vector<VerifyIssue> verifyCheckpoint(const CheckpointFile& file,
                                          const ModelRecognition& recognition,
                                          const VerifyOptions& options) {
    std::vector<VerifyIssue> issues;
    checkIntegrity(file, options, issues);
    if (recognition.family == ModelFamily::Unknown) {
        return issues;
    }
    const InternalView view(file, recognition.family, recognition.layout);
    const ExpectedTensors expected = expectedTensors(recognition);
    checkExact(file, view, expected, issues);
    for (const std::string& name : expected.required) {
        if (!view.contains(name)) {
            issues.push_back(issue(VerifyProblem::MissingTensor, file.path(), name));
        }
    }
    for (const std::string& prefix : expected.uniformBlockPrefixes) {
        checkUniformBlocks(file, view, prefix, issues);
    }
    // A fused tensor with a part missing (diffusers' split q/k/v).
    for (const std::string& name : view.names()) {
        const std::vector<std::string> sources = view.sourcesOf(name);
        if (view.kindOf(name) == MappingKind::Concat) {
            const std::optional<MappedName> first =
                mapToInternal(recognition.family, recognition.layout, sources.front());
            if (first && static_cast<int>(sources.size()) != first->parts) {
                issues.push_back(issue(VerifyProblem::MissingTensor, file.path(), name,
                                       "only " + std::to_string(sources.size()) + " of its " +
                                           std::to_string(first->parts) + " parts"));
            }
        }
    }
    return issues;
}

bool ModelsVerification::ok() const {
    const bool anyComplete = std::any_of(scan.presets.begin(), scan.presets.end(),
                                         [](const PresetStatus& p) { return p.complete; });
    return anyComplete && std::none_of(issues.begin(), issues.end(), [](const VerifyIssue& i) {
               return i.severity == VerifySeverity::Error;
           });
}

ModelsVerification verifyModelsFolder(const std::filesystem::path& folder,
                                      const VerifyOptions& options) {
    ModelsVerification result;
    result.scan = scanModelsFolder(folder);
    std::vector<VerifyIssue>& issues = result.issues;
    for (const ScannedFile& scanned : result.scan.files) {
        switch (scanned.status) {
            case ScanStatus::Unreadable:
                issues.push_back(issue(VerifyProblem::Unreadable, scanned.path, "", scanned.error));
                continue;
            case ScanStatus::Unrecognised:
                issues.push_back(issue(VerifyProblem::Unrecognised, scanned.path, "", "",
                                       VerifySeverity::Warning));
                break;
            case ScanStatus::Recognised:
                break;
        }
        try {
            const std::unique_ptr<CheckpointFile> file = openCheckpoint(scanned.path);
            const std::vector<VerifyIssue> found =
                verifyCheckpoint(*file, scanned.recognition, options);
            issues.insert(issues.end(), found.begin(), found.end());
        } catch (const UserError& error) {
            issues.push_back(issue(VerifyProblem::Unreadable, scanned.path, "", error.what()));
        }
    }
    for (const PresetStatus& preset : result.scan.presets) {
        std::string missing;
        for (const ComponentStatus& component : preset.components) {
            if (!component.requirement.optional && !component.satisfied()) {
                missing += (missing.empty() ? "" : ", ") + component.requirement.role;
            }
        }
        if (!missing.empty()) {
            issues.push_back(issue(VerifyProblem::PresetIncomplete, folder, preset.preset.id,
                                   missing, VerifySeverity::Warning));
        }
    }
    return result;
}

}  // namespace storyreel::infer
