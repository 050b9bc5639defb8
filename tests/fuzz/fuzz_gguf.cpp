// libFuzzer target: GgufReader on arbitrary bytes. A UserError is the expected answer to a
// broken file; any other exception, crash or sanitizer report is a finding.
// Build and run: tests/fuzz/run_fuzzers.sh.
#include "core/base/user_error.h"
#include "core/infer/weights/gguf_reader.h"
#include "tests/fuzz/fuzz_input_file.h"

#include <ATen/Parallel.h>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    at::set_num_threads(1);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& path = storyreel::fuzz::writeInput(data, size, ".gguf");
    try {
        const storyreel::infer::GgufReader reader(path);
        for (const auto& info : reader.tensors()) {
            (void)reader.tensor(info.tensor.name);
        }
    } catch (const storyreel::UserError&) {
    }
    return 0;
}
