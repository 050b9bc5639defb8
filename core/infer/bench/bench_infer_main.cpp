// storyreel-bench-infer: what this machine's LibTorch delivers, as a markdown table: matrix
// multiply throughput per device and dtype, the operation that dominates the video DiTs.
// Torch only, so it builds with STORYREEL_INFER_ONLY=ON on a GPU machine.
//
//   storyreel-bench-infer [--size N] [--repeats N]
#include "core/infer/runtime/compute_devices.h"

#include <ATen/ATen.h>
#include <torch/cuda.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

struct Options {
    int size = 1024;
    int repeats = 10;
};

Options parseOptions(int argc, char* argv[]) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const bool hasValue = i + 1 < argc;
        if (std::strcmp(argv[i], "--size") == 0 && hasValue) {
            options.size = std::atoi(argv[++i]);
        } else if (std::strcmp(argv[i], "--repeats") == 0 && hasValue) {
            options.repeats = std::atoi(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: storyreel-bench-infer [--size N] [--repeats N]\n");
            std::exit(2);
        }
    }
    if (options.size < 16 || options.size > 16384 || options.repeats < 1) {
        std::fprintf(stderr, "storyreel-bench-infer: --size must be 16..16384, --repeats >= 1\n");
        std::exit(2);
    }
    return options;
}

void synchronize(const c10::Device& device) {
    if (device.is_cuda()) {
        torch::cuda::synchronize(device.index());
    }
}

// Returns TFLOP/s of an N x N matmul, after one warm-up run.
double matmulTflops(const c10::Device& device, c10::ScalarType dtype, const Options& options) {
    const auto tensorOptions = at::TensorOptions().device(device).dtype(dtype);
    const at::Tensor a = at::randn({options.size, options.size}, tensorOptions);
    const at::Tensor b = at::randn({options.size, options.size}, tensorOptions);
    at::Tensor c = at::matmul(a, b);
    synchronize(device);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < options.repeats; ++i) {
        c = at::matmul(a, b);
    }
    synchronize(device);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double flops = 2.0 * options.size * options.size * double(options.size) * options.repeats;
    return flops / seconds / 1e12;
}

}  // namespace

int main(int argc, char* argv[]) {
    const Options options = parseOptions(argc, argv);
    const auto info = storyreel::infer::probeComputeDevices();
    std::printf("LibTorch %s, matmul %dx%d, %d repeats\n\n", info.torchVersion.c_str(),
                options.size, options.size, options.repeats);
    std::printf("| device | name | dtype | TFLOP/s |\n| --- | --- | --- | --- |\n");
    for (const auto& device : info.devices) {
        const c10::Device torchDevice(device.id);
        for (const auto dtype : {at::kFloat, at::kHalf, at::kBFloat16}) {
            if (!torchDevice.is_cuda() && dtype == at::kHalf) {
                continue;  // CPU half matmul is not implemented in every LibTorch
            }
            std::printf("| %s | %s | %s | %.3f |\n", device.id.c_str(), device.name.c_str(),
                        c10::toString(dtype), matmulTflops(torchDevice, dtype, options));
        }
    }
    return 0;
}
