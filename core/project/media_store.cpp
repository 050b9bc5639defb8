#include "core/project/media_store.h"

#include "core/base/sha256.h"
#include "core/base/user_error.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace storyreel::project {

namespace fs = std::filesystem;

fs::path importMedia(const fs::path& projectFolder, const fs::path& source) {
    if (!fs::is_regular_file(source)) {
        throw UserError::inFile(source, "not found, or not a file");
    }
    // 128 bits of the hash: collisions are out of reach, names stay readable.
    const std::string hash = sha256OfFile(source).substr(0, 32);
    std::string extension = source.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const fs::path relative = fs::path("media") / (hash + extension);
    const fs::path target = projectFolder / relative;
    if (fs::exists(target)) {
        return relative;
    }
    std::error_code error;
    fs::create_directories(target.parent_path(), error);
    fs::path partial = target;
    partial += ".partial";
    if (!error) {
        fs::copy_file(source, partial, fs::copy_options::overwrite_existing, error);
    }
    if (!error) {
        fs::rename(partial, target, error);
    }
    if (error) {
        fs::remove(partial, error);
        throw UserError::inFile(target,
                                "cannot copy " + source.string() + " here: " + error.message());
    }
    return relative;
}

}  // namespace storyreel::project
