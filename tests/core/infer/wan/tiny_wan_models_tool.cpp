// Writes the tiny Wan 2.1 models folders of tiny_wan_models.h and tiny_wan_layouts.h, for
// tests that run storyreel-cli (test_app links no LibTorch):
//   tiny_wan_models FOLDER [lora]          the golden-DiT folder (with its LoRA)
//   tiny_wan_models FOLDER --layout NAME   one released layout (official, comfyui-fp16, ...)
#include "tests/core/infer/wan/tiny_wan_layouts.h"
#include "tests/core/infer/wan/tiny_wan_models.h"

#include <cstdio>
#include <exception>
#include <string>

int main(int argc, char** argv) {
    using namespace storyreel::test;
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FOLDER [lora | --layout NAME]\n", argv[0]);
        return 2;
    }
    try {
        const std::filesystem::path folder = argv[1];
        if (argc > 3 && std::string(argv[2]) == "--layout") {
            const std::optional<TinyWanLayout> layout = tinyWanLayoutNamed(argv[3]);
            if (!layout) {
                std::fprintf(stderr, "tiny_wan_models: unknown layout '%s'\n", argv[3]);
                return 2;
            }
            writeTinyWanLayout(folder, *layout);
            return 0;
        }
        writeTinyWanModels(folder, TinyDit::Safetensors);
        if (argc > 2 && std::string(argv[2]) == "lora") {
            writeTinyLora(folder / "loras" / "lightx2v_tiny.safetensors");
        }
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "tiny_wan_models: %s\n", error.what());
        return 1;
    }
}
