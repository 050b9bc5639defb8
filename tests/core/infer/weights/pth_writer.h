// Test support: writes PyTorch checkpoints the way torch.save does, so that the .pth
// reader is tested without Python. Two layers, each ported from the writer it imitates:
//
// - TorchZipWriter: PyTorchStreamWriter (caffe2/serialize/inline_container.cc) through
//   miniz with MZ_ZIP_FLAG_WRITE_ZIP64: every record stored under "<archive>/", its data
//   64-byte aligned by an "FB" extra field padded with 'Z', sizes and CRC in a data
//   descriptor (flags 0x0808), a ZIP64 end record and locator before the classic end record.
// - PickleEmitter / torchSavePickle: CPython's protocol-2 Pickler as torch.save drives it
//   (torch/serialization.py _save): memo puts after every memoised object, memo gets for
//   repeated strings and globals, tensors as torch._utils._rebuild_tensor_v2 of a
//   persistent ('storage', torch.XStorage, key, 'cpu', numel) id, a state dict as a
//   collections.OrderedDict with its _metadata set by BUILD.
//
//   PyDict dict;
//   dict.items = {{"w", at::ones({2, 3})}, {"epoch", std::int64_t{3}}};
//   writeFile(path, torchSave(dict));
//
// Thread-safety: value types and pure functions.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace storyreel::test {

class TorchZipWriter {
public:
    explicit TorchZipWriter(std::string archiveName = "archive")
        : archiveName_(std::move(archiveName)) {}

    // Adds "<archive>/<name>". `method` other than 0 marks the entry compressed (the bytes
    // are written as given), for tests of the reader's refusal.
    void addRecord(const std::string& name, std::string_view bytes, std::uint16_t method = 0);
    // Writes ZIP64 extra fields in the central directory (as miniz does for entries or
    // offsets of 4 GiB and more) for every entry.
    void forceZip64ExtraFields() { forceZip64Extra_ = true; }
    // The central directory and end records; the archive's bytes.
    std::string finish();

private:
    struct Entry {
        std::string name;
        std::uint32_t crc = 0;
        std::uint64_t sizeBytes = 0;
        std::uint64_t localHeaderOffset = 0;
        std::uint16_t method = 0;
    };

    std::string archiveName_;
    std::string out_;
    std::vector<Entry> entries_;
    bool forceZip64Extra_ = false;
};

// Opcode-level protocol-2 pickling with CPython's memo rules.
class PickleEmitter {
public:
    PickleEmitter();
    void raw(std::string_view bytes) { out_ += bytes; }
    void op(char opcode) { out_ += opcode; }
    void integer(std::int64_t value);
    void boolean(bool value) { out_ += value ? '\x88' : '\x89'; }
    // Memoised by value, like an interned Python string.
    void string(const std::string& text);
    // GLOBAL, memoised by name.
    void global(const std::string& module, const std::string& name);
    // A tuple of ints (empty, TUPLE1-3 or MARK ... TUPLE), memoised unless empty.
    void intTuple(const std::vector<std::int64_t>& values);
    void memoize();
    void stop() { out_ += '.'; }
    const std::string& bytes() const { return out_; }

private:
    std::string out_;
    std::uint32_t nextMemo_ = 0;
    std::map<std::string, std::uint32_t> memo_;
    void put();
    void get(std::uint32_t index);
};

struct PyDict;
using PyValue = std::variant<at::Tensor, std::int64_t, std::string, std::shared_ptr<PyDict>>;
struct PyDict {
    // An OrderedDict with _metadata (a module's state_dict()) or a plain dict.
    bool isStateDict = true;
    std::vector<std::pair<std::string, PyValue>> items;
};

struct TorchSaveOptions {
    std::string archiveName = "archive";
    // Wrap tensors in torch._utils._rebuild_parameter, as nn.Parameter values pickle.
    bool asParameters = false;
};

// data.pkl of torch.save(root) and the storages it refers to ("0" -> bytes).
struct PickledCheckpoint {
    std::string pickle;
    std::map<std::string, std::string> storages;
};
PickledCheckpoint torchSavePickle(const PyDict& root, bool asParameters = false);

// The whole file torch.save(root, "<archiveName>.pth") writes: data.pkl, byteorder, data/*,
// version and .data/serialization_id.
std::string torchSave(const PyDict& root, const TorchSaveOptions& options = {});

// A checkpoint whose data.pkl is `pickle` and whose data/<key> records are `storages`.
std::string torchSaveRaw(const std::string& pickle,
                         const std::map<std::string, std::string>& storages,
                         const std::string& archiveName = "archive");

void writeFile(const std::filesystem::path& path, std::string_view bytes);

}  // namespace storyreel::test
