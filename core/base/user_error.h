// UserError: an error a person can act on. Its message names the file or item, the problem
// and, where there is one, the remedy ("project.json line 4: 'fps' must be a number").
//
//   if (!exists(path)) throw UserError("Project not found: " + path.string());
//   try { ... } catch (const UserError& e) { showMessage(e.what()); }
//
// Thread-safety: a value type; copy freely.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace storyreel {

class UserError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;

    // "FILE: problem", the form every loader uses.
    static UserError inFile(const std::filesystem::path& file, const std::string& problem);
};

// Thrown by long work when its CancelToken is set; reported as cancelled, not failed.
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace storyreel
