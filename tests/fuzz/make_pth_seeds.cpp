// Writes the seed corpus of fuzz_pth: checkpoints from the test writer (torch.save's layout)
// and from LibTorch's pickle_save. Usage: make_pth_seeds OUTPUT_DIR
#include "tests/core/infer/weights/pth_writer.h"

#include <torch/csrc/jit/serialization/pickle.h>

#include <filesystem>
#include <iostream>
#include <string>

using storyreel::test::PyDict;
using storyreel::test::writeFile;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: make_pth_seeds OUTPUT_DIR\n";
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::filesystem::create_directories(dir);
    const at::Tensor base = at::arange(12, at::kFloat).reshape({3, 4});

    PyDict stateDict;
    stateDict.items = {{"w", base},
                       {"w_t", base.t()},
                       {"row", base.select(0, 1)},
                       {"half", at::ones({3}, at::kHalf)},
                       {"bf16", at::ones({2, 2}, at::kBFloat16)},
                       {"steps", at::arange(3, at::kLong)},
                       {"mask", at::ones({2}, at::kBool)},
                       {"scalar", at::scalar_tensor(1.5, at::kDouble)}};
    writeFile(dir / "state_dict.pth", storyreel::test::torchSave(stateDict));

    auto inner = std::make_shared<PyDict>();
    inner->items = {{"proj.weight", at::eye(2, at::kFloat)}};
    PyDict nested;
    nested.isStateDict = false;
    nested.items = {{"epoch", std::int64_t{3}}, {"model", inner}};
    writeFile(dir / "nested_parameters.pt",
              storyreel::test::torchSave(nested, {.archiveName = "ckpt", .asParameters = true}));

    c10::Dict<std::string, at::Tensor> dict;
    dict.insert("weight", base);
    dict.insert("weight_t", base.t());
    dict.insert("half", at::ones({4}, at::kHalf));
    const std::vector<char> bytes = torch::jit::pickle_save(c10::IValue(dict));
    writeFile(dir / "libtorch.pth", std::string_view(bytes.data(), bytes.size()));
    return 0;
}
