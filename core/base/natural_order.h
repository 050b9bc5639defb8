// "Natural" ordering of file names as people expect it: shot_2 before shot_10, case
// ignored, digit runs compared by value.
//
//   std::sort(names.begin(), names.end(), naturalLess);
//
// Thread-safety: pure function.
#pragma once

#include <string_view>

namespace storyreel {

bool naturalLess(std::string_view left, std::string_view right);

}  // namespace storyreel
