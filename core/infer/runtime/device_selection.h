// Chooses the device an engine runs on from the user's preference ("auto", "cpu", "cuda",
// "cuda:1"), and says clearly why a request cannot be met.
//
//   c10::Device device = selectDevice("auto");   // cuda:0 when present, else cpu
//   selectDevice("cuda:3");  // throws UserError naming the devices that exist
//
// Thread-safety: may be called from any thread.
#pragma once

#include <c10/core/Device.h>

#include <string_view>

namespace storyreel::infer {

c10::Device selectDevice(std::string_view preference);

}  // namespace storyreel::infer
