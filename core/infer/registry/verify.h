// Checks that model files are complete and intact before a render relies on them.
// Completeness: every tensor the recognised model needs is there with the right shape (for
// a sharded checkpoint also: every shard present, every tensor of the index found in its
// shard). Integrity: every tensor's bytes lie inside its file; optionally every float tensor
// is read in full and checked for NaN/Inf (a warning: some checkpoints carry them unused).
//
//   const ModelsVerification v = verifyModelsFolder("/data/models", {.fullRead = false});
//   for (const VerifyIssue& issue : v.issues) print(issue.message());
//   return v.ok() ? 0 : 1;
//
// Thread-safety: pure functions over the file system; call from one thread per folder.
#pragma once

#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/model_family.h"
#include "core/infer/registry/preset_requirements.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace storyreel::infer {

enum class VerifySeverity { Error, Warning };

enum class VerifyProblem {
    Unreadable,        // the file cannot be opened as a checkpoint (detail: the reader's message)
    Unrecognised,      // a checkpoint of no model Storyreel knows (warning)
    MissingShard,      // a shard the index names is missing (tensor: the first it should hold)
    NotInShard,        // the index maps a tensor to a shard that does not hold it
    MissingTensor,     // tensor: the internal name the model needs
    WrongShape,        // detail: "expected [..], found [..]"
    OutOfRange,        // the tensor's bytes lie outside its file
    NonFinite,         // detail: how many NaN/Inf values (warning)
    PresetIncomplete,  // tensor: the preset id; detail: the missing roles
};

struct VerifyIssue {
    VerifySeverity severity = VerifySeverity::Error;
    VerifyProblem problem = VerifyProblem::Unreadable;
    std::filesystem::path file;
    std::string tensor;
    std::string detail;

    // The English sentence ("FILE: tensor 'X' is missing"), for logs and tests; the CLI
    // composes translated messages from the fields instead.
    std::string message() const;
};

struct VerifyOptions {
    bool fullRead = false;  // read every float tensor and look for NaN/Inf
};

// One opened checkpoint, against what its recognised model needs.
std::vector<VerifyIssue> verifyCheckpoint(const CheckpointFile& file,
                                          const ModelRecognition& recognition,
                                          const VerifyOptions& options = {});

struct ModelsVerification {
    ModelsFolderScan scan;
    std::vector<VerifyIssue> issues;
    // No error, and at least one preset has every component it needs.
    bool ok() const;
};

// Scans the folder, verifies every checkpoint in it and every preset's completeness.
// Throws UserError when the folder does not exist.
ModelsVerification verifyModelsFolder(const std::filesystem::path& folder,
                                      const VerifyOptions& options = {});

}  // namespace storyreel::infer
