#include "core/base/user_error.h"

namespace storyreel {

UserError UserError::inFile(const std::filesystem::path& file, const std::string& problem) {
    return UserError(file.string() + ": " + problem);
}

}  // namespace storyreel
