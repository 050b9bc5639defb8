// Writes the tiny HunyuanVideo-I2V models folder of tiny_hunyuan_layouts.h in one released
// layout, for tests that run storyreel-cli or the render queue (test_app and test_ui link no
// LibTorch):
//   storyreel_tiny_hunyuan_models FOLDER --layout NAME
// with NAME one of official, comfyui, gguf-q8_0, gguf-q4_k, diffusers.
#include "tests/core/infer/hunyuan/tiny_hunyuan_layouts.h"

#include <cstdio>
#include <exception>
#include <string>

int main(int argc, char** argv) {
    using namespace storyreel::test;
    if (argc != 4 || std::string(argv[2]) != "--layout") {
        std::fprintf(stderr, "usage: %s FOLDER --layout NAME\n", argv[0]);
        return 2;
    }
    const std::optional<TinyHunyuanLayout> layout = tinyHunyuanLayoutNamed(argv[3]);
    if (!layout) {
        std::string names;
        for (const TinyHunyuanLayout known : allTinyHunyuanLayouts()) {
            names += (names.empty() ? "" : ", ") + std::string(tinyHunyuanLayoutName(known));
        }
        std::fprintf(stderr, "tiny_hunyuan_models: unknown layout '%s' (known: %s)\n", argv[3],
                     names.c_str());
        return 2;
    }
    try {
        writeTinyHunyuanLayout(argv[1], *layout);
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "tiny_hunyuan_models: %s\n", error.what());
        return 1;
    }
}
