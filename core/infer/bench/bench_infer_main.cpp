// storyreel-bench-infer: what this machine's LibTorch delivers, as markdown tables: matrix
// multiply throughput per device and dtype, the operation that dominates the video DiTs, and
// GGUF dequantisation throughput per type, the scalar dequantiser (gguf_dequant.h, on one
// thread and on ATen's threads as GgufReader runs it) against the ATen one
// (gguf_dequant_torch.h, on every device); and, as `wan-step`, one Wan 2.1 DiT denoising
// step against the reference Python (wan_step_bench.h), as `hunyuan-step` one
// HunyuanVideo-I2V DiT step (hunyuan_step_bench.h). Torch only, so it builds with
// STORYREEL_INFER_ONLY=ON on a GPU machine.
//
//   storyreel-bench-infer [matmul] [dequant] [--size N] [--repeats N] [--values N]
//   storyreel-bench-infer wan-step [--ref WAN2.1_DIR] [options: wan-step --help]
//   storyreel-bench-infer hunyuan-step [--ref HUNYUAN_I2V_DIR] [options: hunyuan-step --help]
#include "core/base/user_error.h"
#include "core/infer/bench/hunyuan_step_bench.h"
#include "core/infer/bench/wan_step_bench.h"
#include "core/infer/runtime/compute_devices.h"
#include "core/infer/weights/gguf_dequant.h"
#include "core/infer/weights/gguf_dequant_torch.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace {

namespace infer = storyreel::infer;

struct Options {
    bool matmul = false;
    bool dequant = false;
    int size = 1024;
    int repeats = 10;
    std::int64_t values = 1 << 22;  // values dequantised per run (4M: a 2048x2048 weight)
};

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: storyreel-bench-infer [matmul] [dequant] [--size N] [--repeats N] "
                 "[--values N]\n       storyreel-bench-infer wan-step --help\n"
                 "       storyreel-bench-infer hunyuan-step --help\n");
    std::exit(2);
}

Options parseOptions(int argc, char* argv[]) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const bool hasValue = i + 1 < argc;
        if (std::strcmp(argv[i], "matmul") == 0) {
            options.matmul = true;
        } else if (std::strcmp(argv[i], "dequant") == 0) {
            options.dequant = true;
        } else if (std::strcmp(argv[i], "--size") == 0 && hasValue) {
            options.size = std::atoi(argv[++i]);
        } else if (std::strcmp(argv[i], "--repeats") == 0 && hasValue) {
            options.repeats = std::atoi(argv[++i]);
        } else if (std::strcmp(argv[i], "--values") == 0 && hasValue) {
            options.values = std::atoll(argv[++i]);
        } else {
            usage();
        }
    }
    if (!options.matmul && !options.dequant) {
        options.matmul = options.dequant = true;
    }
    if (options.size < 16 || options.size > 16384 || options.repeats < 1 || options.values < 256 ||
        options.values > (std::int64_t{1} << 30)) {
        std::fprintf(stderr,
                     "storyreel-bench-infer: --size must be 16..16384, --repeats >= 1, --values "
                     "256..2^30\n");
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

// Seconds per call of `run` (the fastest of `repeats`, after one warm-up call).
double fastestSeconds(const c10::Device& device, int repeats, const std::function<void()>& run) {
    run();
    synchronize(device);
    double best = 1e30;
    for (int i = 0; i < repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        run();
        synchronize(device);
        best = std::min(
            best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return best;
}

// The scalar dequantiser over `raw`, on the calling thread or split over ATen's threads in
// chunks of blocks as GgufReader::tensor does.
void scalarDequantize(infer::StorageType type, const at::Tensor& raw, at::Tensor& out,
                      bool parallel) {
    const infer::GgmlType& ggml = *infer::ggmlTypeOf(type);
    const auto* bytes = raw.data_ptr<std::uint8_t>();
    float* values = out.data_ptr<float>();
    const std::int64_t blocks = raw.numel() / ggml.typeSize;
    const auto range = [&](std::int64_t begin, std::int64_t end) {
        infer::dequantizeGgml(
            type,
            std::span<const std::uint8_t>(bytes + begin * ggml.typeSize,
                                          static_cast<std::size_t>((end - begin) * ggml.typeSize)),
            std::span<float>(values + begin * ggml.blockSize,
                             static_cast<std::size_t>((end - begin) * ggml.blockSize)));
    };
    if (parallel) {
        at::parallel_for(0, blocks, 256, range);
    } else {
        range(0, blocks);
    }
}

// MB/s of blocks dequantised to float32, per type: scalar (1 thread), scalar (ATen's
// threads), torch on each device.
void dequantTable(const infer::ComputeInfo& info, const Options& options) {
    using infer::StorageType;
    const StorageType types[] = {
        StorageType::F16,    StorageType::BF16,   StorageType::Q8_0, StorageType::Q4_0,
        StorageType::Q4_1,   StorageType::Q5_0,   StorageType::Q5_1, StorageType::Q2_K,
        StorageType::Q3_K,   StorageType::Q4_K,   StorageType::Q5_K, StorageType::Q6_K,
        StorageType::IQ4_NL, StorageType::IQ4_XS,
    };
    std::printf(
        "\nGGUF dequantisation to float32, %lld values, fastest of %d; MB/s of blocks "
        "read (%d ATen threads)\n\n",
        static_cast<long long>(options.values), options.repeats, at::get_num_threads());
    std::printf("| type | scalar, 1 thread | scalar, ATen threads |");
    for (const auto& device : info.devices) {
        std::printf(" torch, %s |", device.id.c_str());
    }
    std::printf("\n| --- | --- | --- |");
    for (std::size_t i = 0; i < info.devices.size(); ++i) {
        std::printf(" --- |");
    }
    std::printf("\n");
    const c10::Device cpu(c10::kCPU);
    at::manual_seed(1);
    for (const StorageType type : types) {
        const infer::GgmlType& ggml = *infer::ggmlTypeOf(type);
        const std::int64_t blocks = options.values / ggml.blockSize;
        const at::Tensor raw = at::randint(0, 256, {blocks * ggml.typeSize}, at::kByte);
        const double megabytes = static_cast<double>(raw.numel()) / 1e6;
        at::Tensor out = at::empty({blocks * ggml.blockSize}, at::kFloat);
        const double serial =
            fastestSeconds(cpu, options.repeats, [&] { scalarDequantize(type, raw, out, false); });
        const double parallel =
            fastestSeconds(cpu, options.repeats, [&] { scalarDequantize(type, raw, out, true); });
        std::printf("| %s | %.0f | %.0f |", std::string(ggml.name).c_str(), megabytes / serial,
                    megabytes / parallel);
        for (const auto& device : info.devices) {
            const c10::Device torchDevice(device.id);
            const at::Tensor onDevice = raw.to(torchDevice);
            const double seconds = fastestSeconds(torchDevice, options.repeats, [&] {
                (void)infer::dequantizeGgmlTorch(type, onDevice, {blocks * ggml.blockSize});
            });
            std::printf(" %.0f |", megabytes / seconds);
        }
        std::printf("\n");
    }
}

// A step mode (`wan-step`, `hunyuan-step`): --help prints `usage`; bad options exit 2, a
// failed run 1, each with the message after "storyreel-bench-infer MODE: ".
template <class Options>
int stepMode(int argc, char* argv[], const std::string& usage,
             Options (*parse)(const std::vector<std::string>&), void (*run)(const Options&)) {
    const std::vector<std::string> args(argv + 2, argv + argc);
    if (!args.empty() && (args.front() == "--help" || args.front() == "-h")) {
        std::printf("%s", usage.c_str());
        return 0;
    }
    Options options;
    try {
        options = parse(args);
    } catch (const storyreel::UserError& e) {
        std::fprintf(stderr, "storyreel-bench-infer %s: %s\n", argv[1], e.what());
        return 2;
    }
    try {
        run(options);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "storyreel-bench-infer %s: %s\n", argv[1], e.what());
        return 1;
    }
}

}  // namespace

int main(int argc, char* argv[]) {
    namespace bench = storyreel::infer::bench;
    if (argc > 1 && std::strcmp(argv[1], "wan-step") == 0) {
        return stepMode<bench::WanStepOptions>(
            argc, argv, bench::wanStepUsage(), bench::parseWanStepOptions,
            [](const bench::WanStepOptions& o) { (void)bench::runWanStepBench(o); });
    }
    if (argc > 1 && std::strcmp(argv[1], "hunyuan-step") == 0) {
        return stepMode<bench::HunyuanStepOptions>(
            argc, argv, bench::hunyuanStepUsage(), bench::parseHunyuanStepOptions,
            [](const bench::HunyuanStepOptions& o) { (void)bench::runHunyuanStepBench(o); });
    }
    const Options options = parseOptions(argc, argv);
    const auto info = infer::probeComputeDevices();
    std::printf("LibTorch %s\n", info.torchVersion.c_str());
    if (options.matmul) {
        std::printf("\nmatmul %dx%d, %d repeats\n\n", options.size, options.size, options.repeats);
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
    }
    if (options.dequant) {
        dequantTable(info, options);
    }
    return 0;
}
