// TorchPickle: a restricted reader for the `data.pkl` of a torch.save checkpoint. It is
// not a Python unpickler: it knows the opcodes a tensor state dict uses (pickle protocols
// 2 to 5) and a short list of globals (collections.OrderedDict, torch._utils's
// _rebuild_tensor*/_rebuild_parameter*, the torch.*Storage classes, the dtypes that
// _rebuild_tensor_v3 names, and torch.jit._pickle.restore_type_tag, which LibTorch's
// pickle_save writes). Any other global (os.system, builtins.eval, ...) is refused before
// anything else happens, and nothing is ever called: "calling" an allowed global builds a
// description of the tensor, not the tensor. Values live in an arena owned by the result,
// so self-referencing pickles cannot leak.
//
//   TorchPickle pickle(zip.bytes(*zip.find("archive/data.pkl")), path);   // throws UserError
//   const PickleValue& root = pickle.root();   // a Dict of names to Tensor values, usually
//
// Thread-safety: immutable after construction; const methods from any thread.
#pragma once

#include "core/infer/weights/tensor_info.h"

#include <cstdint>
#include <deque>
#include <filesystem>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace storyreel::infer {

struct PickleValue {
    enum class Kind {
        None,
        Bool,
        Int,
        Float,
        String,
        Bytes,
        Tuple,
        List,
        Dict,
        Global,
        Storage,
        Tensor
    };

    Kind kind = Kind::None;
    bool boolean = false;
    // Int: the value. Storage: the element count the pickle states. Tensor: storage offset
    // in elements.
    std::int64_t integer = 0;
    double number = 0;
    // String, Bytes: the text. Global: "module.name". Storage: the record key ("0").
    std::string text;
    // Tuple, List: the items. Tensor: one item, its Storage.
    std::vector<const PickleValue*> items;
    // Dict: key/value pairs in insertion order.
    std::vector<std::pair<const PickleValue*, const PickleValue*>> entries;
    // Storage, Tensor: the element type; Global: the storage class or dtype it names.
    StorageType storageType = StorageType::U8;
    // Storage: the device it was saved from ("cpu", "cuda:0").
    std::string location;
    // Tensor: sizes and strides in elements.
    std::vector<std::int64_t> sizes;
    std::vector<std::int64_t> strides;
};

std::string_view pickleKindName(PickleValue::Kind kind);

class TorchPickle {
public:
    // More objects than this is refused (a state dict of 100 000 tensors has ~2 million).
    static constexpr std::size_t kMaxValues = 16'000'000;

    // Interprets `bytes`; `path` names the file in errors.
    TorchPickle(std::span<const std::uint8_t> bytes, const std::filesystem::path& path);

    TorchPickle(const TorchPickle&) = delete;
    TorchPickle& operator=(const TorchPickle&) = delete;

    const PickleValue& root() const { return *root_; }
    std::size_t valueCount() const { return arena_.size(); }

private:
    class Machine;

    std::deque<PickleValue> arena_;
    const PickleValue* root_ = nullptr;
};

}  // namespace storyreel::infer
