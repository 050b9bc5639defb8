#include "core/infer/runtime/device_selection.h"

#include "core/base/user_error.h"

#include <torch/cuda.h>

#include <charconv>
#include <string>

namespace storyreel::infer {
namespace {

int parseCudaIndex(std::string_view preference) {
    if (preference == "cuda") {
        return 0;
    }
    const std::string_view digits = preference.substr(5);  // after "cuda:"
    int index = -1;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (error != std::errc() || end != digits.data() + digits.size() || index < 0) {
        throw UserError("Unknown device '" + std::string(preference) +
                        "': use auto, cpu, cuda or cuda:N.");
    }
    return index;
}

}  // namespace

c10::Device selectDevice(std::string_view preference) {
    const int cudaCount =
        torch::cuda::is_available() ? static_cast<int>(torch::cuda::device_count()) : 0;
    if (preference == "auto" || preference.empty()) {
        return cudaCount > 0 ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
    }
    if (preference == "cpu") {
        return c10::Device(c10::kCPU);
    }
    if (preference != "cuda" && !preference.starts_with("cuda:")) {
        throw UserError("Unknown device '" + std::string(preference) +
                        "': use auto, cpu, cuda or cuda:N.");
    }
    const int index = parseCudaIndex(preference);
    if (cudaCount == 0) {
        throw UserError(
            "Device '" + std::string(preference) +
            "' was requested, but no CUDA GPU is usable here (this LibTorch " +
            "has no CUDA, or no driver was found). Use the CPU or the Animatic preset.");
    }
    if (index >= cudaCount) {
        throw UserError(
            "Device '" + std::string(preference) + "' does not exist: there " +
            (cudaCount == 1 ? "is 1 CUDA GPU" : "are " + std::to_string(cudaCount) + " CUDA GPUs") +
            " (cuda:0" + (cudaCount > 1 ? " to cuda:" + std::to_string(cudaCount - 1) : "") + ").");
    }
    return c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(index));
}

}  // namespace storyreel::infer
