// A complete, tiny Wan 2.1 I2V models folder for tests, laid out as a user installs one:
// the golden DiT (official names, with the official config.json beside it, here the golden
// config), VAE and umT5 encoder weights; a random CLIP tower of the released width (1280:
// the DiT's img_emb takes 1280 features) with 2 blocks on 28x28 images; a small umT5
// tokenizer.json in google/umt5-xxl/; optionally the DiT as a GGUF (2-D weights in Q8_0
// blocks, the rest F32, written here with the GGUF v3 layout of llama.cpp's gguf.md) and a
// random step-distillation LoRA (ComfyUI key layout).
//
//   writeTinyWanModels(dir, TinyDit::Safetensors);   // dir/dit/wan_dit.safetensors, ...
//   const NamedTensors lora = writeTinyLora(dir / "loras" / "lightx2v_tiny.safetensors");
//
// Thread-safety: writes files; test thread only.
#pragma once

#include "core/infer/weights/safetensors_reader.h"
#include "tests/core/infer/lora/safetensors_writer.h"
#include "tests/core/infer/weights/golden_dir.h"

#include <ATen/ATen.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace storyreel::test {

enum class TinyDit { Safetensors, GgufQ8 };

inline NamedTensors readTensors(const std::filesystem::path& path) {
    const infer::SafetensorsReader reader(path);
    NamedTensors tensors;
    for (const std::string& name : reader.names()) {
        tensors.emplace_back(name, reader.tensor(name));
    }
    return tensors;
}

// The golden i2v DiT's weights and its config (README "wan_dit_i2v").
inline NamedTensors tinyDitTensors() {
    return readTensors(goldenDir() / "wan" / "wan_dit_i2v.weights.safetensors");
}

inline std::string tinyDitConfigJson() {
    const infer::SafetensorsReader io(goldenDir() / "wan" / "wan_dit_i2v.io.safetensors");
    return io.metadata().at("config");
}

// Q8_0 as ggml stores it: blocks of 32 values along the last dim, a float16 scale
// d = max|x| / 127 and 32 int8 q = round(x / d). Returns the bytes and the values they
// decode to (d * q in float32).
struct Q8Blocks {
    std::string bytes;
    at::Tensor decoded;
};

inline Q8Blocks quantiseQ8(const at::Tensor& weight) {
    const at::Tensor blocks = weight.to(at::kFloat).contiguous().reshape({-1, 32});
    const at::Tensor d = blocks.abs().amax({1}, true) / 127.0;
    const at::Tensor inverse = at::where(d == 0, at::zeros_like(d), 1.0 / d);
    const at::Tensor q = at::round(blocks * inverse).clamp(-127, 127).to(at::kChar).contiguous();
    const at::Tensor d16 = d.to(at::kHalf).contiguous();
    Q8Blocks out;
    out.decoded = (d16.to(at::kFloat) * q.to(at::kFloat)).reshape(weight.sizes());
    for (std::int64_t b = 0; b < blocks.size(0); ++b) {
        out.bytes.append(static_cast<const char*>(d16[b].data_ptr()), 2);
        out.bytes.append(static_cast<const char*>(q[b].data_ptr()), 32);
    }
    return out;
}

inline bool quantisable(const at::Tensor& tensor) {
    return tensor.dim() == 2 && tensor.size(1) % 32 == 0;
}

// The tensors as the GGUF file holds them after decoding: what a dense model must match.
inline NamedTensors q8RoundTrip(const NamedTensors& tensors) {
    NamedTensors out;
    for (const auto& [name, tensor] : tensors) {
        out.emplace_back(name, quantisable(tensor) ? quantiseQ8(tensor).decoded : tensor);
    }
    return out;
}

inline void putU32(std::string& out, std::uint32_t value) {
    out.append(reinterpret_cast<const char*>(&value), 4);
}

inline void putU64(std::string& out, std::uint64_t value) {
    out.append(reinterpret_cast<const char*>(&value), 8);
}

inline void putString(std::string& out, const std::string& text) {
    putU64(out, text.size());
    out += text;
}

// A GGUF v3 file with general.architecture = `architecture`; quantisable tensors in Q8_0
// (ggml type 8), the others F32 (type 0). Dims are written innermost first.
inline void writeGgufQ8(const std::filesystem::path& path, const NamedTensors& tensors,
                        const std::string& architecture) {
    constexpr std::uint64_t kAlignment = 32;
    std::string header = "GGUF";
    putU32(header, 3);
    putU64(header, tensors.size());
    putU64(header, 1);
    putString(header, "general.architecture");
    putU32(header, 8);  // GGUF_TYPE_STRING
    putString(header, architecture);
    std::string data;
    for (const auto& [name, tensor] : tensors) {
        std::string bytes;
        std::uint32_t type = 0;
        if (quantisable(tensor)) {
            bytes = quantiseQ8(tensor).bytes;
            type = 8;
        } else {
            const at::Tensor values = tensor.to(at::kFloat).contiguous();
            bytes.assign(static_cast<const char*>(values.data_ptr()),
                         static_cast<std::size_t>(values.numel()) * 4);
        }
        data.append((kAlignment - data.size() % kAlignment) % kAlignment, '\0');
        putString(header, name);
        putU32(header, static_cast<std::uint32_t>(tensor.dim()));
        for (std::int64_t d = tensor.dim() - 1; d >= 0; --d) {
            putU64(header, static_cast<std::uint64_t>(tensor.size(d)));
        }
        putU32(header, type);
        putU64(header, data.size());
        data += bytes;
    }
    header.append((kAlignment - header.size() % kAlignment) % kAlignment, '\0');
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << header << data;
    if (!out) {
        throw std::runtime_error("writeGgufQ8: cannot write " + path.string());
    }
}

// CLIP ViT of the released width with 2 blocks (Wan reads the first), 28x28 images, MLP
// 320 wide, stored as float16 to keep the file small (31 MB).
inline NamedTensors tinyClipTensors() {
    at::manual_seed(1280);
    const std::int64_t dim = 1280;
    const std::int64_t hidden = 320;
    const auto matrix = [](std::int64_t out, std::int64_t in) {
        return (at::randn({out, in}) / std::sqrt(static_cast<double>(in))).to(at::kHalf);
    };
    const auto gain = [](std::int64_t n) { return (1.0 + 0.1 * at::randn({n})).to(at::kHalf); };
    const auto bias = [](std::int64_t n) { return (0.1 * at::randn({n})).to(at::kHalf); };
    NamedTensors t;
    t.emplace_back("visual.patch_embedding.weight",
                   (at::randn({dim, 3, 14, 14}) / std::sqrt(588.0)).to(at::kHalf));
    t.emplace_back("visual.cls_embedding", (at::randn({1, 1, dim}) / 36.0).to(at::kHalf));
    t.emplace_back("visual.pos_embedding", (at::randn({1, 5, dim}) / 36.0).to(at::kHalf));
    t.emplace_back("visual.pre_norm.weight", gain(dim));
    t.emplace_back("visual.pre_norm.bias", bias(dim));
    for (int i = 0; i < 2; ++i) {
        const std::string p = "visual.transformer." + std::to_string(i) + ".";
        t.emplace_back(p + "norm1.weight", gain(dim));
        t.emplace_back(p + "norm1.bias", bias(dim));
        t.emplace_back(p + "attn.to_qkv.weight", matrix(3 * dim, dim));
        t.emplace_back(p + "attn.to_qkv.bias", bias(3 * dim));
        t.emplace_back(p + "attn.proj.weight", matrix(dim, dim));
        t.emplace_back(p + "attn.proj.bias", bias(dim));
        t.emplace_back(p + "norm2.weight", gain(dim));
        t.emplace_back(p + "norm2.bias", bias(dim));
        t.emplace_back(p + "mlp.0.weight", matrix(hidden, dim));
        t.emplace_back(p + "mlp.0.bias", bias(hidden));
        t.emplace_back(p + "mlp.2.weight", matrix(dim, hidden));
        t.emplace_back(p + "mlp.2.bias", bias(dim));
    }
    return t;
}

// A Unigram tokenizer.json (transformers' layout) of under 100 pieces, all below the tiny
// umT5's vocabulary of 384.
inline std::string tinyTokenizerJson() {
    std::string vocab = R"(["<pad>",0.0],["</s>",0.0],["<unk>",0.0],["\u2581",-2.0])";
    for (char c = 'a'; c <= 'z'; ++c) {
        vocab += std::string(",[\"") + c + "\",-4.0]";
        vocab += std::string(",[\"\u2581") + c + "\",-4.5]";
    }
    for (const char* word : {"cat", "dog", "slow", "zoom", "wave", "sea", "the", "camera"}) {
        vocab += std::string(",[\"\u2581") + word + "\",-3.0]";
    }
    std::ostringstream json;
    json << R"({"version":"1.0","added_tokens":[)"
         << R"({"id":0,"content":"<pad>","special":true},)"
         << R"({"id":1,"content":"</s>","special":true},)"
         << R"({"id":2,"content":"<unk>","special":true}],)"
         << R"("normalizer":{"type":"Sequence","normalizers":[)"
         << R"({"type":"Replace","pattern":{"Regex":" {2,}"},"content":"\u2581"}]},)"
         << R"("pre_tokenizer":{"type":"Metaspace","replacement":"\u2581",)"
         << R"("add_prefix_space":true},)"
         << R"("model":{"type":"Unigram","unk_id":2,"vocab":[)" << vocab << "]}}";
    return json.str();
}

inline void writeTinyTokenizer(const std::filesystem::path& path) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << tinyTokenizerJson();
}

// The folder: dit/ (the DiT and its config.json), the VAE, umT5 and CLIP files, and
// google/umt5-xxl/tokenizer.json. `dit` replaces the DiT's tensors (LoRA-merged ones).
inline void writeTinyWanModels(const std::filesystem::path& dir, TinyDit layout,
                               const NamedTensors& dit = {}) {
    namespace fs = std::filesystem;
    fs::create_directories(dir / "dit");
    const NamedTensors weights = dit.empty() ? tinyDitTensors() : dit;
    if (layout == TinyDit::Safetensors) {
        writeSafetensors(dir / "dit" / "wan_dit.safetensors", weights);
    } else {
        writeGgufQ8(dir / "dit" / "wan_dit-Q8_0.gguf", weights, "wan");
    }
    std::ofstream(dir / "dit" / "config.json") << tinyDitConfigJson();
    const fs::path golden = goldenDir() / "wan";
    fs::copy_file(golden / "wan_vae.weights.safetensors", dir / "wan_vae.safetensors",
                  fs::copy_options::overwrite_existing);
    fs::copy_file(golden / "wan_t5_encoder.weights.safetensors", dir / "umt5_encoder.safetensors",
                  fs::copy_options::overwrite_existing);
    writeSafetensors(dir / "clip_vision_h.safetensors", tinyClipTensors());
    writeTinyTokenizer(dir / "google" / "umt5-xxl" / "tokenizer.json");
}

// A rank-4 LoRA on every attention and FFN linear of the tiny DiT's blocks, in ComfyUI's
// layout (diffusion_model.<module>.lora_down/lora_up/alpha). Returns module -> {down, up,
// alpha/rank}.
struct TinyLoraModule {
    at::Tensor down, up;
    double scale = 1.0;
};

inline std::map<std::string, TinyLoraModule> writeTinyLora(const std::filesystem::path& path) {
    std::filesystem::create_directories(path.parent_path());
    at::manual_seed(4);
    const NamedTensors dit = tinyDitTensors();
    std::map<std::string, TinyLoraModule> modules;
    NamedTensors file;
    for (const auto& [name, tensor] : dit) {
        const bool target =
            name.rfind("blocks.", 0) == 0 && tensor.dim() == 2 && name.size() > 7 &&
            name.compare(name.size() - 7, 7, ".weight") == 0 &&
            (name.find("attn.") != std::string::npos || name.find("ffn.") != std::string::npos);
        if (!target) {
            continue;
        }
        const std::string module = name.substr(0, name.size() - 7);
        const std::int64_t rank = 4;
        TinyLoraModule m;
        m.down = at::randn({rank, tensor.size(1)}) / std::sqrt(static_cast<double>(tensor.size(1)));
        m.up = at::randn({tensor.size(0), rank}) * 0.2;
        m.scale = 8.0 / static_cast<double>(rank);
        file.emplace_back("diffusion_model." + module + ".lora_down.weight", m.down);
        file.emplace_back("diffusion_model." + module + ".lora_up.weight", m.up);
        file.emplace_back("diffusion_model." + module + ".alpha", at::scalar_tensor(8.0));
        modules[module] = m;
    }
    writeSafetensors(path, file);
    return modules;
}

// The DiT's tensors with the LoRA merged at `strength`: W + strength * scale * up @ down.
inline NamedTensors mergeTinyLora(const std::map<std::string, TinyLoraModule>& lora,
                                  double strength) {
    NamedTensors merged = tinyDitTensors();
    for (auto& [name, tensor] : merged) {
        const std::string module = name.size() > 7 ? name.substr(0, name.size() - 7) : name;
        if (const auto found = lora.find(module); found != lora.end()) {
            tensor = tensor + strength * found->second.scale *
                                  at::matmul(found->second.up, found->second.down);
        }
    }
    return merged;
}

}  // namespace storyreel::test
