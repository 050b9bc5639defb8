#include "tests/core/infer/weights/pth_writer.h"

#include <array>
#include <fstream>
#include <stdexcept>

namespace storyreel::test {

namespace {

constexpr std::uint64_t kFieldAlignment = 64;  // inline_container.h kFieldAlignment
constexpr std::uint32_t kSaturated32 = 0xFFFFFFFF;

std::uint32_t crc32(std::string_view bytes) {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> entries{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t value = i;
            for (int bit = 0; bit < 8; ++bit) {
                value = (value & 1) ? 0xEDB88320u ^ (value >> 1) : value >> 1;
            }
            entries[i] = value;
        }
        return entries;
    }();
    std::uint32_t crc = 0xFFFFFFFFu;
    for (const char c : bytes) {
        crc = table[(crc ^ static_cast<std::uint8_t>(c)) & 0xFF] ^ (crc >> 8);
    }
    return crc ^ 0xFFFFFFFFu;
}

void putLe(std::string& out, std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) {
        out += static_cast<char>((value >> (8 * i)) & 0xFF);
    }
}

}  // namespace

// miniz mz_zip_writer_add_mem_ex_v2 with PyTorch's padding (getPadding): the local header
// has zeroed CRC and sizes and a data descriptor follows the data.
void TorchZipWriter::addRecord(const std::string& name, std::string_view bytes,
                               std::uint16_t method) {
    Entry entry;
    entry.name = archiveName_ + "/" + name;
    entry.crc = crc32(bytes);
    entry.sizeBytes = bytes.size();
    entry.localHeaderOffset = out_.size();
    entry.method = method;
    const std::uint64_t start = out_.size() + 30 + entry.name.size() + 4;
    const std::uint64_t padding = (kFieldAlignment - start % kFieldAlignment) % kFieldAlignment;
    putLe(out_, 0x04034b50, 4);
    putLe(out_, 0, 2);       // version needed
    putLe(out_, 0x0808, 2);  // UTF-8 names, data descriptor
    putLe(out_, method, 2);
    putLe(out_, 0, 4);  // time, date
    putLe(out_, 0, 4);  // CRC (in the descriptor)
    putLe(out_, 0, 4);  // sizes (in the descriptor)
    putLe(out_, 0, 4);
    putLe(out_, entry.name.size(), 2);
    putLe(out_, 4 + padding, 2);
    out_ += entry.name;
    out_ += "FB";
    putLe(out_, padding, 2);
    out_.append(padding, 'Z');
    out_ += bytes;
    putLe(out_, 0x08074b50, 4);
    putLe(out_, entry.crc, 4);
    putLe(out_, entry.sizeBytes, 4);
    putLe(out_, entry.sizeBytes, 4);
    entries_.push_back(std::move(entry));
}

std::string TorchZipWriter::finish() {
    const std::uint64_t directoryOffset = out_.size();
    for (const Entry& entry : entries_) {
        const bool zip64 = forceZip64Extra_;
        putLe(out_, 0x02014b50, 4);
        putLe(out_, 0, 2);  // made by
        putLe(out_, 0, 2);  // needed
        putLe(out_, 0x0808, 2);
        putLe(out_, entry.method, 2);
        putLe(out_, 0, 4);  // time, date
        putLe(out_, entry.crc, 4);
        putLe(out_, zip64 ? kSaturated32 : entry.sizeBytes, 4);
        putLe(out_, zip64 ? kSaturated32 : entry.sizeBytes, 4);
        putLe(out_, entry.name.size(), 2);
        putLe(out_, zip64 ? 4 + 24 : 0, 2);  // extra
        putLe(out_, 0, 2);                   // comment
        putLe(out_, 0, 2);                   // disk
        putLe(out_, 0, 2);                   // internal attributes
        putLe(out_, 0, 4);                   // external attributes
        putLe(out_, zip64 ? kSaturated32 : entry.localHeaderOffset, 4);
        out_ += entry.name;
        if (zip64) {
            putLe(out_, 0x0001, 2);
            putLe(out_, 24, 2);
            putLe(out_, entry.sizeBytes, 8);  // uncompressed
            putLe(out_, entry.sizeBytes, 8);  // compressed
            putLe(out_, entry.localHeaderOffset, 8);
        }
    }
    const std::uint64_t directoryBytes = out_.size() - directoryOffset;
    const std::uint64_t zip64EndOffset = out_.size();
    putLe(out_, 0x06064b50, 4);
    putLe(out_, 44, 8);
    putLe(out_, 0x031E, 2);
    putLe(out_, 0x002D, 2);
    putLe(out_, 0, 4);
    putLe(out_, 0, 4);
    putLe(out_, entries_.size(), 8);
    putLe(out_, entries_.size(), 8);
    putLe(out_, directoryBytes, 8);
    putLe(out_, directoryOffset, 8);
    putLe(out_, 0x07064b50, 4);
    putLe(out_, 0, 4);
    putLe(out_, zip64EndOffset, 8);
    putLe(out_, 1, 4);
    putLe(out_, 0x06054b50, 4);
    putLe(out_, 0, 2);
    putLe(out_, 0, 2);
    putLe(out_, std::min<std::uint64_t>(entries_.size(), 0xFFFF), 2);
    putLe(out_, std::min<std::uint64_t>(entries_.size(), 0xFFFF), 2);
    putLe(out_, std::min<std::uint64_t>(directoryBytes, kSaturated32), 4);
    putLe(out_, std::min<std::uint64_t>(directoryOffset, kSaturated32), 4);
    putLe(out_, 0, 2);
    return out_;
}

PickleEmitter::PickleEmitter() {
    out_ += "\x80\x02";
}

void PickleEmitter::put() {
    if (nextMemo_ < 256) {
        out_ += 'q';
        putLe(out_, nextMemo_, 1);
    } else {
        out_ += 'r';
        putLe(out_, nextMemo_, 4);
    }
    ++nextMemo_;
}

void PickleEmitter::get(std::uint32_t index) {
    if (index < 256) {
        out_ += 'h';
        putLe(out_, index, 1);
    } else {
        out_ += 'j';
        putLe(out_, index, 4);
    }
}

void PickleEmitter::memoize() {
    put();
}

// CPython save_long for protocol 2.
void PickleEmitter::integer(std::int64_t value) {
    if (value >= 0 && value <= 0xFF) {
        out_ += 'K';
        putLe(out_, static_cast<std::uint64_t>(value), 1);
    } else if (value >= 0 && value <= 0xFFFF) {
        out_ += 'M';
        putLe(out_, static_cast<std::uint64_t>(value), 2);
    } else if (value >= INT32_MIN && value <= INT32_MAX) {
        out_ += 'J';
        putLe(out_, static_cast<std::uint64_t>(value), 4);
    } else {
        // encode_long: the shortest little-endian two's complement.
        std::string encoded;
        auto bits = static_cast<std::uint64_t>(value);
        for (int i = 0; i < 8; ++i) {
            encoded += static_cast<char>((bits >> (8 * i)) & 0xFF);
        }
        while (encoded.size() > 1) {
            const auto last = static_cast<std::uint8_t>(encoded.back());
            const auto previous = static_cast<std::uint8_t>(encoded[encoded.size() - 2]);
            if ((last == 0x00 && (previous & 0x80) == 0) || (last == 0xFF && (previous & 0x80))) {
                encoded.pop_back();
            } else {
                break;
            }
        }
        out_ += '\x8a';
        putLe(out_, encoded.size(), 1);
        out_ += encoded;
    }
}

void PickleEmitter::string(const std::string& text) {
    const std::string key = "s:" + text;
    if (const auto found = memo_.find(key); found != memo_.end()) {
        get(found->second);
        return;
    }
    out_ += 'X';
    putLe(out_, text.size(), 4);
    out_ += text;
    memo_[key] = nextMemo_;
    put();
}

void PickleEmitter::global(const std::string& module, const std::string& name) {
    const std::string key = "g:" + module + "." + name;
    if (const auto found = memo_.find(key); found != memo_.end()) {
        get(found->second);
        return;
    }
    out_ += 'c' + module + '\n' + name + '\n';
    memo_[key] = nextMemo_;
    put();
}

void PickleEmitter::intTuple(const std::vector<std::int64_t>& values) {
    if (values.empty()) {
        out_ += ')';
        return;
    }
    if (values.size() > 3) {
        out_ += '(';
    }
    for (const std::int64_t value : values) {
        integer(value);
    }
    out_ += values.size() > 3 ? 't' : static_cast<char>(0x85 + values.size() - 1);
    put();
}

namespace {

std::string storageClass(at::ScalarType type) {
    switch (type) {
        case at::kFloat:
            return "FloatStorage";
        case at::kHalf:
            return "HalfStorage";
        case at::kBFloat16:
            return "BFloat16Storage";
        case at::kDouble:
            return "DoubleStorage";
        case at::kLong:
            return "LongStorage";
        case at::kInt:
            return "IntStorage";
        case at::kShort:
            return "ShortStorage";
        case at::kChar:
            return "CharStorage";
        case at::kByte:
            return "ByteStorage";
        case at::kBool:
            return "BoolStorage";
        default:
            throw std::invalid_argument("pth_writer: no storage class for this dtype");
    }
}

class TorchSavePickler {
public:
    explicit TorchSavePickler(bool asParameters) : asParameters_(asParameters) {}

    void dict(const PyDict& dict) {
        if (dict.isStateDict) {
            emitter_.global("collections", "OrderedDict");
            emitter_.op(')');
            emitter_.op('R');
        } else {
            emitter_.op('}');
        }
        emitter_.memoize();
        // _batch_setitems: SETITEM for one item, MARK ... SETITEMS for more.
        if (dict.items.size() > 1) {
            emitter_.op('(');
        }
        for (const auto& [key, value] : dict.items) {
            emitter_.string(key);
            this->value(value);
        }
        if (!dict.items.empty()) {
            emitter_.op(dict.items.size() > 1 ? 'u' : 's');
        }
        if (dict.isStateDict) {
            // state = {'_metadata': OrderedDict([('', {'version': 1})])}, then BUILD.
            emitter_.op('}');
            emitter_.memoize();
            emitter_.string("_metadata");
            emitter_.global("collections", "OrderedDict");
            emitter_.op(')');
            emitter_.op('R');
            emitter_.memoize();
            emitter_.string("");
            emitter_.op('}');
            emitter_.memoize();
            emitter_.string("version");
            emitter_.integer(1);
            emitter_.op('s');
            emitter_.op('s');
            emitter_.op('s');
            emitter_.op('b');
        }
    }

    void value(const PyValue& value) {
        if (const auto* tensor = std::get_if<at::Tensor>(&value)) {
            this->tensor(*tensor);
        } else if (const auto* number = std::get_if<std::int64_t>(&value)) {
            emitter_.integer(*number);
        } else if (const auto* text = std::get_if<std::string>(&value)) {
            emitter_.string(*text);
        } else {
            dict(*std::get<std::shared_ptr<PyDict>>(value));
        }
    }

    // Tensor.__reduce_ex__: _rebuild_tensor_v2(storage, offset, size, stride, requires_grad,
    // OrderedDict()); the storage is a persistent id.
    void tensor(const at::Tensor& tensor) {
        if (asParameters_) {
            emitter_.global("torch._utils", "_rebuild_parameter");
        }
        emitter_.global("torch._utils", "_rebuild_tensor_v2");
        emitter_.op('(');
        persistentId(tensor);
        emitter_.integer(tensor.storage_offset());
        emitter_.intTuple(tensor.sizes().vec());
        emitter_.intTuple(tensor.strides().vec());
        emitter_.boolean(false);
        emitter_.global("collections", "OrderedDict");
        emitter_.op(')');
        emitter_.op('R');
        emitter_.memoize();
        emitter_.op('t');
        emitter_.memoize();
        emitter_.op('R');
        emitter_.memoize();
        if (asParameters_) {
            // (data, requires_grad, backward_hooks)
            emitter_.boolean(true);
            emitter_.global("collections", "OrderedDict");
            emitter_.op(')');
            emitter_.op('R');
            emitter_.memoize();
            emitter_.op(static_cast<char>(0x87));
            emitter_.memoize();
            emitter_.op('R');
            emitter_.memoize();
        }
    }

    PickledCheckpoint finish() {
        emitter_.stop();
        return {emitter_.bytes(), storages_};
    }

    PickleEmitter& emitter() { return emitter_; }

private:
    // ('storage', torch.FloatStorage, key, 'cpu', numel) then BINPERSID.
    void persistentId(const at::Tensor& tensor) {
        const c10::Storage& storage = tensor.storage();
        const void* identity = storage.unsafeGetStorageImpl();
        auto found = keys_.find(identity);
        if (found == keys_.end()) {
            found = keys_.emplace(identity, std::to_string(keys_.size())).first;
            storages_[found->second] = std::string(static_cast<const char*>(storage.data()),
                                                   static_cast<std::size_t>(storage.nbytes()));
        }
        emitter_.op('(');
        emitter_.string("storage");
        emitter_.global("torch", storageClass(tensor.scalar_type()));
        emitter_.string(found->second);
        emitter_.string("cpu");
        emitter_.integer(static_cast<std::int64_t>(storage.nbytes()) /
                         static_cast<std::int64_t>(tensor.element_size()));
        emitter_.op('t');
        emitter_.memoize();
        emitter_.op('Q');
    }

    PickleEmitter emitter_;
    bool asParameters_;
    std::map<const void*, std::string> keys_;
    std::map<std::string, std::string> storages_;
};

}  // namespace

PickledCheckpoint torchSavePickle(const PyDict& root, bool asParameters) {
    TorchSavePickler pickler(asParameters);
    pickler.dict(root);
    return pickler.finish();
}

std::string torchSaveRaw(const std::string& pickle,
                         const std::map<std::string, std::string>& storages,
                         const std::string& archiveName) {
    TorchZipWriter zip(archiveName);
    zip.addRecord("data.pkl", pickle);
    zip.addRecord("byteorder", "little");
    for (const auto& [key, bytes] : storages) {  // sorted keys, as torch.save
        zip.addRecord("data/" + key, bytes);
    }
    zip.addRecord("version", "3\n");
    zip.addRecord(".data/serialization_id", "0636457737946401051300000027264370494161");
    return zip.finish();
}

std::string torchSave(const PyDict& root, const TorchSaveOptions& options) {
    const PickledCheckpoint pickled = torchSavePickle(root, options.asParameters);
    return torchSaveRaw(pickled.pickle, pickled.storages, options.archiveName);
}

void writeFile(const std::filesystem::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
        throw std::runtime_error("cannot write " + path.string());
    }
}

}  // namespace storyreel::test
