// Reads PyTorch checkpoints from two independent producers: tests/.../pth_writer (the
// torch.save layout ported from torch/serialization.py and inline_container.cc) and
// LibTorch's own torch::jit::pickle_save, which writes the same zip + pickle format. Also
// feeds the reader malicious and broken files, which it must refuse with a message.
#include "core/infer/weights/pth_reader.h"

#include "core/base/user_error.h"
#include "core/infer/weights/float_codecs.h"
#include "core/infer/weights/mapped_file.h"
#include "core/infer/weights/zip_archive.h"
#include "tests/core/infer/weights/pth_writer.h"
#include "tests/core/infer/weights/tensor_compare.h"

#include <catch2/catch.hpp>
#include <torch/csrc/jit/serialization/pickle.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using Catch::Matchers::Contains;
using storyreel::UserError;
using storyreel::infer::MappedFile;
using storyreel::infer::PthReader;
using storyreel::infer::StorageType;
using storyreel::infer::ZipArchive;
using storyreel::test::compareFloats;
using storyreel::test::PickleEmitter;
using storyreel::test::PyDict;
using storyreel::test::torchSave;
using storyreel::test::torchSaveRaw;
using storyreel::test::TorchZipWriter;
using storyreel::test::writeFile;

namespace fs = std::filesystem;

namespace {

// A file in a fresh folder under the temp directory, removed with it.
class TempFile {
public:
    explicit TempFile(const std::string& name) {
        dir_ = fs::temp_directory_path() /
               ("storyreel-pth-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        fs::create_directories(dir_);
        path_ = dir_ / name;
    }
    ~TempFile() {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const fs::path& path() const { return path_; }

private:
    static int& counter() {
        static int value = 0;
        return value;
    }
    fs::path dir_;
    fs::path path_;
};

// The message PthReader gives for `bytes`, or "" when it opens and reads every tensor.
std::string errorFor(const std::string& bytes) {
    TempFile file("broken.pth");
    writeFile(file.path(), bytes);
    try {
        const PthReader reader(file.path());
        for (const std::string& name : reader.names()) {
            (void)reader.tensor(name);
        }
    } catch (const UserError& error) {
        return error.what();
    }
    return "";
}

std::string replaceOnce(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

std::shared_ptr<PyDict> dictOf(std::vector<std::pair<std::string, storyreel::test::PyValue>> items,
                               bool isStateDict = false) {
    auto dict = std::make_shared<PyDict>();
    dict->isStateDict = isStateDict;
    dict->items = std::move(items);
    return dict;
}

// A pickle that would run `command` through `module.name` if a Python unpickler read it.
std::string maliciousPickle(const std::string& module, const std::string& name,
                            const std::string& command) {
    PickleEmitter pickle;
    pickle.global(module, name);
    pickle.string(command);
    pickle.op('\x85');
    pickle.memoize();
    pickle.op('R');
    pickle.stop();
    return pickle.bytes();
}

}  // namespace

TEST_CASE("A torch.save state dict of f32, f16, bf16, i64, f64 and bool tensors reads back",
          "[infer][pth]") {
    const at::Tensor f32 = at::arange(12, at::kFloat).reshape({3, 4}) * 0.37f - 1.5f;
    const at::Tensor f16 = (at::arange(10, at::kFloat) * 0.1f - 0.3f).to(at::kHalf);
    const at::Tensor bf16 = (at::arange(6, at::kFloat) * 1.7f).reshape({2, 3}).to(at::kBFloat16);
    const at::Tensor i64 = at::arange(-3, 5, at::kLong);
    const at::Tensor f64 = at::arange(4, at::kDouble) / 3.0;
    const at::Tensor flags = at::arange(5, at::kLong).remainder(2).to(at::kBool);
    PyDict stateDict;
    stateDict.items = {{"layer.weight", f32}, {"layer.half", f16}, {"layer.bf16", bf16},
                       {"steps", i64},        {"f64", f64},        {"mask", flags}};
    TempFile file("model.pth");
    writeFile(file.path(), torchSave(stateDict, {.archiveName = "model"}));

    const PthReader reader(file.path());
    CHECK(reader.archiveName() == "model");
    CHECK(reader.formatVersion() == 3);
    CHECK(reader.names() == std::vector<std::string>{"f64", "layer.bf16", "layer.half",
                                                     "layer.weight", "mask", "steps"});
    CHECK(reader.tensors().front().tensor.name == "layer.weight");  // pickle order
    CHECK(reader.info("layer.half").tensor.storageType == StorageType::F16);
    CHECK(reader.info("layer.bf16").tensor.storageType == StorageType::BF16);
    CHECK(reader.info("steps").tensor.storageType == StorageType::I64);
    CHECK(reader.info("mask").tensor.storageType == StorageType::Bool);
    CHECK(reader.info("layer.weight").tensor.shape == std::vector<std::int64_t>{3, 4});
    CHECK(reader.info("layer.weight").location == "cpu");
    // Records are 64-byte aligned, as PyTorchStreamWriter writes them.
    CHECK(reader.info("layer.weight").tensor.offsetBytes % 64 == 0);
    CHECK(compareFloats(reader.tensor("layer.weight"), f32) == "");
    CHECK(compareFloats(reader.tensor("layer.half"), f16.to(at::kFloat)) == "");
    CHECK(compareFloats(reader.tensor("layer.bf16"), bf16.to(at::kFloat)) == "");
    CHECK(compareFloats(reader.tensor("steps"), i64.to(at::kFloat)) == "");
    CHECK(compareFloats(reader.tensor("f64"), f64.to(at::kFloat)) == "");
    CHECK(compareFloats(reader.tensor("mask"), flags.to(at::kFloat)) == "");
    REQUIRE_THROWS_WITH(reader.tensor("missing"), Contains("no tensor 'missing'"));
}

TEST_CASE("0-dim and empty tensors keep their shapes", "[infer][pth]") {
    PyDict dict;
    dict.items = {{"scale", at::scalar_tensor(2.5, at::kFloat)},
                  {"empty", at::zeros({0, 3}, at::kFloat)}};
    TempFile file("scalars.pth");
    writeFile(file.path(), torchSave(dict));
    const PthReader reader(file.path());
    CHECK(reader.info("scale").tensor.shape.empty());
    CHECK(reader.tensor("scale").dim() == 0);
    CHECK(reader.tensor("scale").item<float>() == 2.5f);
    CHECK(reader.tensor("empty").sizes().vec() == std::vector<std::int64_t>{0, 3});
}

TEST_CASE("Transposed and offset views of one storage come out as torch would give them",
          "[infer][pth]") {
    const at::Tensor base = at::arange(24, at::kFloat).reshape({4, 6}) * 0.5f;
    const at::Tensor transposed = base.t();
    const at::Tensor slice = base.slice(1, 2, 5).slice(0, 1, 3);  // offset 8, strides (6, 1)
    const at::Tensor column = base.select(1, 3);                  // offset 3, stride 6
    PyDict dict;
    dict.items = {{"base", base}, {"t", transposed}, {"slice", slice}, {"column", column}};
    const std::string bytes = torchSave(dict);
    TempFile file("views.pth");
    writeFile(file.path(), bytes);

    const PthReader reader(file.path());
    // One storage record for all four.
    const MappedFile mapped(file.path());
    const ZipArchive zip(mapped);
    CHECK(zip.find("archive/data/0") != nullptr);
    CHECK(zip.find("archive/data/1") == nullptr);
    CHECK(reader.info("t").strides == std::vector<std::int64_t>{1, 6});
    CHECK_FALSE(reader.info("t").isContiguous());
    CHECK(reader.info("slice").storageOffset == 8);
    CHECK(reader.info("slice").tensor.offsetBytes == reader.info("base").tensor.offsetBytes + 32);
    CHECK(compareFloats(reader.tensor("base"), base) == "");
    CHECK(compareFloats(reader.tensor("t"), transposed.contiguous()) == "");
    CHECK(compareFloats(reader.tensor("slice"), slice.contiguous()) == "");
    CHECK(compareFloats(reader.tensor("column"), column.contiguous()) == "");
    CHECK(reader.tensor("t").is_contiguous());
}

TEST_CASE("Nested dicts are flattened with dotted names and other values are skipped",
          "[infer][pth]") {
    const at::Tensor a = at::ones({2}, at::kFloat);
    const at::Tensor b = at::full({3}, 2.0f, at::kFloat);
    PyDict checkpoint;
    checkpoint.isStateDict = false;
    checkpoint.items = {
        {"epoch", std::int64_t{12}},
        {"note", std::string("trained on frames")},
        {"module", dictOf({{"blocks.0.weight", a}, {"inner", dictOf({{"bias", b}}, true)}})},
        {"ema", dictOf({{"blocks.0.weight", a}}, true)},
    };
    TempFile file("nested.pt");
    writeFile(file.path(), torchSave(checkpoint, {.asParameters = true}));
    const PthReader reader(file.path());
    CHECK(reader.names() == std::vector<std::string>{"ema.blocks.0.weight",
                                                     "module.blocks.0.weight",
                                                     "module.inner.bias"});
    CHECK(compareFloats(reader.tensor("module.inner.bias"), b) == "");
    CHECK(compareFloats(reader.tensor("ema.blocks.0.weight"), a) == "");
}

TEST_CASE("Checkpoints written by LibTorch's pickle_save read back", "[infer][pth][libtorch]") {
    const at::Tensor weight = at::randn({5, 7}, at::kFloat);
    c10::Dict<std::string, at::Tensor> dict;
    dict.insert("weight", weight);
    dict.insert("weight_t", weight.t());
    dict.insert("half", at::linspace(-2, 2, 9).to(at::kHalf));
    dict.insert("bf16", at::linspace(-3, 3, 4).to(at::kBFloat16));
    dict.insert("steps", at::arange(6, at::kLong));
    dict.insert("scalar", at::scalar_tensor(7.25, at::kFloat));
    const std::vector<char> bytes = torch::jit::pickle_save(c10::IValue(dict));
    TempFile file("libtorch.pth");
    writeFile(file.path(), std::string_view(bytes.data(), bytes.size()));

    const PthReader reader(file.path());
    CHECK(reader.names() ==
          std::vector<std::string>{"bf16", "half", "scalar", "steps", "weight", "weight_t"});
    for (const auto& entry : dict) {
        INFO("tensor " << entry.key());
        CHECK(compareFloats(reader.tensor(entry.key()),
                            entry.value().to(at::kFloat).contiguous()) == "");
    }

    SECTION("our ZIP writer reproduces LibTorch's container byte for byte") {
        const MappedFile mapped(file.path());
        const ZipArchive zip(mapped);
        TorchZipWriter writer("archive");
        for (const auto& entry : zip.entries()) {
            const auto data = zip.bytes(entry);
            writer.addRecord(
                entry.name.substr(std::string("archive/").size()),
                std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
        }
        CHECK(writer.finish() == std::string(bytes.begin(), bytes.end()));
    }
}

TEST_CASE("Nested generic dicts from LibTorch's pickle_save are flattened",
          "[infer][pth][libtorch]") {
    c10::Dict<std::string, at::Tensor> inner;
    inner.insert("proj.weight", at::eye(3, at::kFloat));
    c10::impl::GenericDict outer(c10::StringType::get(), c10::AnyType::get());
    outer.insert("model", inner);
    outer.insert("epoch", 4);
    const std::vector<char> bytes = torch::jit::pickle_save(c10::IValue(outer));
    TempFile file("nested-libtorch.pth");
    writeFile(file.path(), std::string_view(bytes.data(), bytes.size()));
    const PthReader reader(file.path());
    CHECK(reader.names() == std::vector<std::string>{"model.proj.weight"});
    CHECK(compareFloats(reader.tensor("model.proj.weight"), at::eye(3, at::kFloat)) == "");
}

TEST_CASE("ZIP64 extra fields in the central directory are honoured", "[infer][pth]") {
    PyDict dict;
    dict.items = {{"w", at::arange(5, at::kFloat)}};
    const auto pickled = storyreel::test::torchSavePickle(dict);
    TorchZipWriter zip;
    zip.addRecord("data.pkl", pickled.pickle);
    zip.addRecord("data/0", pickled.storages.at("0"));
    zip.addRecord("version", "3\n");
    zip.forceZip64ExtraFields();
    TempFile file("zip64.pth");
    writeFile(file.path(), zip.finish());
    const PthReader reader(file.path());
    CHECK(compareFloats(reader.tensor("w"), at::arange(5, at::kFloat)) == "");
}

TEST_CASE("A pickle that calls anything but tensor rebuilds is refused and nothing runs",
          "[infer][pth][security]") {
    TempFile marker("pwned");
    const std::string command = "touch " + marker.path().string();
    const std::string osSystem =
        errorFor(torchSaveRaw(maliciousPickle("os", "system", command), {}));
    CHECK_THAT(osSystem,
               Contains("refuses to load: the pickle calls os.system; only tensors are accepted"));
    CHECK_FALSE(fs::exists(marker.path()));
    CHECK_THAT(errorFor(torchSaveRaw(maliciousPickle("builtins", "eval", "1+1"), {})),
               Contains("the pickle calls builtins.eval"));
    CHECK_THAT(errorFor(torchSaveRaw(maliciousPickle("__builtin__", "exec", "x=1"), {})),
               Contains("the pickle calls __builtin__.exec"));

    // Protocol 4's STACK_GLOBAL takes the names from the stack.
    PickleEmitter stackGlobal;
    stackGlobal.raw("\x8c\x02os\x8c\x06system\x93");
    stackGlobal.string(command);
    stackGlobal.raw("\x85R.");
    CHECK_THAT(errorFor(torchSaveRaw(stackGlobal.bytes(), {})), Contains("calls os.system"));

    // A global hidden inside an otherwise valid state dict.
    PyDict dict;
    dict.items = {{"w", at::ones({2}, at::kFloat)}};
    auto pickled = storyreel::test::torchSavePickle(dict);
    const std::string hidden =
        replaceOnce(pickled.pickle, "ccollections\nOrderedDict\n", "cposix\nsystem\n");
    CHECK_THAT(errorFor(torchSaveRaw(hidden, pickled.storages)), Contains("calls posix.system"));
    CHECK_FALSE(fs::exists(marker.path()));
}

TEST_CASE("Opcodes a state dict never uses are refused", "[infer][pth][security]") {
    // INST ('i') instantiates any class by name.
    CHECK_THAT(errorFor(torchSaveRaw("\x80\x02(ios\nsystem\n.", {})),
               Contains("opcode 0x69 ('i')"));
    // INT, the text protocol-0 integer, is not one torch.save writes.
    CHECK_THAT(errorFor(torchSaveRaw("\x80\x02I00\n.", {})), Contains("opcode 0x49 ('I')"));
    CHECK_THAT(errorFor(torchSaveRaw("\x80\x02K\x01K\x02.", {})), Contains("STOP leaves 2 values"));
    CHECK_THAT(errorFor(torchSaveRaw("\x80\x02h\x05.", {})), Contains("memo entry 5"));
    CHECK_THAT(errorFor(torchSaveRaw("\x80\x02K\x01", {})), Contains("ends early"));
}

TEST_CASE("Broken checkpoints are refused with a message", "[infer][pth]") {
    PyDict dict;
    dict.items = {{"a", at::arange(6, at::kFloat).reshape({2, 3})},
                  {"b", at::arange(4, at::kHalf)}};
    const std::string good = torchSave(dict);
    REQUIRE(errorFor(good) == "");

    SECTION("wrong magic") {
        CHECK_THAT(errorFor("GGUF, not a zip at all"), Contains("not a ZIP archive"));
        CHECK_THAT(errorFor(""), Contains("empty"));
        CHECK_THAT(errorFor(std::string("\x80\x02\x8a\x0al\xfc\x9c", 7) + "legacy"),
                   Contains("legacy format"));
    }
    SECTION("every truncation") {
        for (std::size_t length = 1; length < good.size(); length += 7) {
            INFO("truncated to " << length << " bytes");
            CHECK_FALSE(errorFor(good.substr(0, length)).empty());
        }
    }
    SECTION("a compressed entry is named") {
        const auto pickled = storyreel::test::torchSavePickle(dict);
        TorchZipWriter zip;
        zip.addRecord("data.pkl", pickled.pickle);
        zip.addRecord("data/0", pickled.storages.at("0"), 8);
        zip.addRecord("data/1", pickled.storages.at("1"));
        CHECK_THAT(errorFor(zip.finish()),
                   Contains("ZIP entry 'archive/data/0' is compressed (method 8)"));
    }
    SECTION("a storage offset past the end of the storage") {
        // {'w': _rebuild_tensor_v2(storage of 4 floats, offset 3, size (2,), stride (1,))}
        PickleEmitter pickle;
        pickle.op('}');
        pickle.memoize();
        pickle.string("w");
        pickle.global("torch._utils", "_rebuild_tensor_v2");
        pickle.op('(');
        pickle.op('(');
        pickle.string("storage");
        pickle.global("torch", "FloatStorage");
        pickle.string("0");
        pickle.string("cpu");
        pickle.integer(4);
        pickle.op('t');
        pickle.memoize();
        pickle.op('Q');
        pickle.integer(3);
        pickle.intTuple({2});
        pickle.intTuple({1});
        pickle.boolean(false);
        pickle.op(')');
        pickle.op('t');
        pickle.memoize();
        pickle.op('R');
        pickle.memoize();
        pickle.op('s');
        pickle.stop();
        const std::string storage(16, '\0');
        CHECK_THAT(errorFor(torchSaveRaw(pickle.bytes(), {{"0", storage}})),
                   Contains("tensor 'w' starts at element 3 and spans 2 elements, past the end "
                            "of its storage '0'"));
    }
    SECTION("a storage record shorter than the pickle says") {
        const auto pickled = storyreel::test::torchSavePickle(dict);
        auto storages = pickled.storages;
        storages["0"].resize(8);
        CHECK_THAT(errorFor(torchSaveRaw(pickled.pickle, storages)),
                   Contains("should hold 6 F32 values but its record has 8 bytes"));
    }
    SECTION("a missing storage record") {
        const auto pickled = storyreel::test::torchSavePickle(dict);
        CHECK_THAT(errorFor(torchSaveRaw(pickled.pickle, {{"0", pickled.storages.at("0")}})),
                   Contains("needs the record 'archive/data/1'"));
    }
    SECTION("a big-endian checkpoint") {
        CHECK_THAT(errorFor(replaceOnce(good, "little", "bigend")),
                   Contains("byteorder record says 'bigend'"));
        const auto pickled = storyreel::test::torchSavePickle(dict);
        TorchZipWriter zip;
        zip.addRecord("data.pkl", pickled.pickle);
        zip.addRecord("byteorder", "big");
        CHECK_THAT(errorFor(zip.finish()), Contains("saved on a big-endian machine"));
    }
    SECTION("a TorchScript archive") {
        TorchZipWriter zip;
        zip.addRecord("constants.pkl", "\x80\x02).");
        CHECK_THAT(errorFor(zip.finish()), Contains("TorchScript archive"));
    }
}

TEST_CASE("_rebuild_tensor_v3 views of an untyped storage take the dtype it names",
          "[infer][pth]") {
    // {'fp8': _rebuild_tensor_v3(UntypedStorage of 4 bytes, 0, (2, 2), (1, 2), False,
    //  OrderedDict(), torch.float8_e4m3fn)}, as torch.save writes float8 tensors.
    PickleEmitter pickle;
    pickle.op('}');
    pickle.memoize();
    pickle.string("fp8");
    pickle.global("torch._utils", "_rebuild_tensor_v3");
    pickle.op('(');
    pickle.op('(');
    pickle.string("storage");
    pickle.global("torch", "UntypedStorage");
    pickle.string("0");
    pickle.string("cpu");
    pickle.integer(4);
    pickle.op('t');
    pickle.memoize();
    pickle.op('Q');
    pickle.integer(0);
    pickle.intTuple({2, 2});
    pickle.intTuple({1, 2});
    pickle.boolean(false);
    pickle.global("collections", "OrderedDict");
    pickle.op(')');
    pickle.op('R');
    pickle.memoize();
    pickle.global("torch", "float8_e4m3fn");
    pickle.op('t');
    pickle.memoize();
    pickle.op('R');
    pickle.memoize();
    pickle.op('s');
    pickle.stop();
    const std::string storage = "\x38\x40\xC0\x7E";
    TempFile file("fp8.pth");
    writeFile(file.path(), torchSaveRaw(pickle.bytes(), {{"0", storage}}));
    const PthReader reader(file.path());
    CHECK(reader.info("fp8").tensor.storageType == StorageType::F8_E4M3FN);
    using storyreel::infer::fp8E4M3FNToFloat;
    const at::Tensor expected = at::tensor({fp8E4M3FNToFloat(0x38), fp8E4M3FNToFloat(0xC0),
                                            fp8E4M3FNToFloat(0x40), fp8E4M3FNToFloat(0x7E)})
                                    .reshape({2, 2});
    CHECK(compareFloats(reader.tensor("fp8"), expected) == "");
}
