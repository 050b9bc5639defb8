// Writes the tiny Wan 2.1 models folder of tiny_wan_models.h, for tests that run
// storyreel-cli (test_app links no LibTorch): tiny_wan_models FOLDER [lora]
#include "tests/core/infer/wan/tiny_wan_models.h"

#include <cstdio>
#include <exception>
#include <string>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FOLDER [lora]\n", argv[0]);
        return 2;
    }
    try {
        const std::filesystem::path folder = argv[1];
        storyreel::test::writeTinyWanModels(folder, storyreel::test::TinyDit::Safetensors);
        if (argc > 2 && std::string(argv[2]) == "lora") {
            storyreel::test::writeTinyLora(folder / "loras" / "lightx2v_tiny.safetensors");
        }
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "tiny_wan_models: %s\n", error.what());
        return 1;
    }
}
