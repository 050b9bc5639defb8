#include "core/infer/weights/pth_reader.h"

#include "core/base/user_error.h"
#include "core/infer/weights/float_codecs.h"
#include "core/infer/weights/message_text.h"
#include "core/infer/weights/pickle_reader.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>

namespace storyreel::infer {

namespace {

using Kind = PickleValue::Kind;

constexpr std::uint64_t kMaxSmallRecordBytes = 64;
// Deeper nesting than this is not a state dict (and would exhaust the stack).
constexpr int kMaxNesting = 64;

// Legacy torch.save files (before PyTorch 1.6) start with a pickled magic number.
const MappedFile& checkedZip(const MappedFile& file) {
    if (file.sizeBytes() >= 3) {
        const std::span<const std::uint8_t> start = file.bytes(0, 3);
        if (start[0] == 0x80 && start[1] == 0x02 && start[2] == 0x8a) {
            throw UserError::inFile(
                file.path(),
                "is a checkpoint in the legacy format of PyTorch before 1.6, which Storyreel "
                "does not read; load it in Python and save it again with torch.save (or as "
                "safetensors)");
        }
    }
    return file;
}

}  // namespace

bool PthTensorInfo::isContiguous() const {
    std::int64_t expected = 1;
    for (std::size_t i = tensor.shape.size(); i-- > 0;) {
        if (tensor.shape[i] != 1 && strides[i] != expected) {
            return tensor.numel() == 0;
        }
        expected *= tensor.shape[i];
    }
    return true;
}

// Walks the pickled object, names its tensors and checks each against its storage record.
class PthReader::Layout {
public:
    Layout(PthReader& reader, std::size_t valueCount)
        : reader_(reader), visitsLeft_(2 * valueCount + 1000) {}

    void add(const PickleValue& value, const std::string& name, int depth) {
        if (visitsLeft_-- == 0) {
            fail("the pickle nests the same containers too often to list its tensors");
        }
        if (depth > kMaxNesting) {
            fail("the pickle nests containers more than " + std::to_string(kMaxNesting) +
                 " deep (or contains itself)");
        }
        const auto prefix = [&](const std::string& part) {
            return name.empty() ? part : name + "." + part;
        };
        switch (value.kind) {
            case Kind::Dict:
                for (const auto& [key, item] : value.entries) {
                    if (key->kind == Kind::String) {
                        add(*item, prefix(key->text), depth + 1);
                    } else if (key->kind == Kind::Int) {
                        add(*item, prefix(std::to_string(key->integer)), depth + 1);
                    } else if (containsTensor(*item, depth + 1)) {
                        fail("a dict of tensors has " + std::string(pickleKindName(key->kind)) +
                             " as a key");
                    }
                }
                return;
            case Kind::List:
            case Kind::Tuple:
                for (std::size_t i = 0; i < value.items.size(); ++i) {
                    add(*value.items[i], prefix(std::to_string(i)), depth + 1);
                }
                return;
            case Kind::Tensor:
                addTensor(value, name);
                return;
            default:
                return;  // hyper-parameters and other non-tensor values
        }
    }

private:
    [[noreturn]] void fail(const std::string& problem) const {
        throw UserError::inFile(reader_.path(), problem);
    }

    bool containsTensor(const PickleValue& value, int depth) {
        if (visitsLeft_-- == 0 || depth > kMaxNesting) {
            fail("the pickle nests containers too deep to list its tensors");
        }
        if (value.kind == Kind::Tensor) {
            return true;
        }
        for (const PickleValue* item : value.items) {
            if (containsTensor(*item, depth + 1)) {
                return true;
            }
        }
        for (const auto& entry : value.entries) {
            if (containsTensor(*entry.second, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    void addTensor(const PickleValue& value, const std::string& name) {
        const PickleValue& storage = *value.items[0];
        PthTensorInfo info;
        info.tensor.name = name;
        info.tensor.storageType = value.storageType;
        info.tensor.shape = value.sizes;
        info.strides = value.strides;
        info.storageOffset = value.integer;
        info.location = storage.location;
        info.storageEntry = reader_.archiveName_ + "/data/" + storage.text;
        place(info, storage);
        if (!reader_.byName_.emplace(name, reader_.tensors_.size()).second) {
            fail("the checkpoint names two tensors " + inQuotes(name));
        }
        reader_.tensors_.push_back(std::move(info));
    }

    // Checks that the view lies inside its storage record and records where it starts.
    void place(PthTensorInfo& info, const PickleValue& storage) {
        const std::string what = "tensor " + inQuotes(info.tensor.name);
        const ZipEntry* entry = reader_.zip_.find(info.storageEntry);
        if (entry == nullptr) {
            fail(what + " needs the record " + inQuotes(info.storageEntry) +
                 ", which the archive does not hold; it is incomplete");
        }
        const std::span<const std::uint8_t> bytes = reader_.zip_.bytes(*entry);
        const auto elementBytes = static_cast<std::uint64_t>(elementSizeBytes(storage.storageType));
        const auto stated = static_cast<std::uint64_t>(storage.integer);
        if (stated > bytes.size() / elementBytes || stated * elementBytes != bytes.size()) {
            fail(what + ": its storage " + inQuotes(storage.text) + " should hold " +
                 std::to_string(stated) + " " + std::string(storageTypeName(storage.storageType)) +
                 " values but its record has " + std::to_string(bytes.size()) +
                 " bytes; the checkpoint is corrupt");
        }
        // An untyped storage (_rebuild_tensor_v3) counts bytes; the tensor's dtype sets the
        // element size.
        const auto tensorElementBytes =
            static_cast<std::uint64_t>(elementSizeBytes(info.tensor.storageType));
        const std::uint64_t elements = bytes.size() / tensorElementBytes;
        constexpr auto kInt64Max =
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
        std::uint64_t numel = 1;
        for (const std::int64_t size : info.tensor.shape) {
            const auto dim = static_cast<std::uint64_t>(size);
            if (dim != 0 && numel > kInt64Max / dim) {
                fail(what + " has shape " + shapeText(info.tensor.shape) +
                     ", whose element count overflows 64 bits");
            }
            numel *= dim;
        }
        std::uint64_t lastIndex = 0;  // of the view's last element, relative to its first
        for (std::size_t i = 0; i < info.tensor.shape.size() && numel != 0; ++i) {
            const auto size = static_cast<std::uint64_t>(info.tensor.shape[i]);
            const auto stride = static_cast<std::uint64_t>(info.strides[i]);
            if (size > 1 && stride != 0) {
                if (size - 1 > elements / stride || lastIndex > elements - (size - 1) * stride) {
                    fail(what + " (shape " + shapeText(info.tensor.shape) + ", strides " +
                         shapeText(info.strides) + ") reaches past the end of its storage " +
                         inQuotes(storage.text) + "; the checkpoint is corrupt");
                }
                lastIndex += (size - 1) * stride;
            }
        }
        const auto offset = static_cast<std::uint64_t>(info.storageOffset);
        const std::uint64_t span = numel == 0 ? 0 : lastIndex + 1;
        if (offset > elements || span > elements - offset) {
            fail(what + " starts at element " + std::to_string(offset) + " and spans " +
                 std::to_string(span) + " elements, past the end of its storage " +
                 inQuotes(storage.text) + " (" + std::to_string(elements) +
                 " elements); the checkpoint is corrupt");
        }
        // Broadcast views (stride 0) could ask for far more memory than the file holds.
        if (numel > std::max<std::uint64_t>(elements, 1)) {
            fail(what + " has " + std::to_string(numel) + " elements but its storage holds " +
                 std::to_string(elements) +
                 " (a broadcast view), which Storyreel does not read; save it with .clone()");
        }
        info.tensor.offsetBytes = entry->dataOffset + offset * tensorElementBytes;
        info.tensor.sizeBytes = span * tensorElementBytes;
    }

    PthReader& reader_;
    std::size_t visitsLeft_;
};

PthReader::PthReader(const std::filesystem::path& path) : file_(path), zip_(checkedZip(file_)) {
    if (zip_.entries().empty()) {
        throw UserError::inFile(path, "the ZIP archive is empty, not a PyTorch checkpoint");
    }
    // Like PyTorchStreamReader: the first entry's folder is the archive's name.
    const std::string& first = zip_.entries().front().name;
    const std::size_t slash = first.find('/');
    if (slash == std::string::npos || slash == 0) {
        throw UserError::inFile(path, "ZIP entry " + inQuotes(first) +
                                          " is not in a folder, so this is not a PyTorch "
                                          "checkpoint written by torch.save");
    }
    archiveName_ = first.substr(0, slash);
    readSmallRecords();
    const ZipEntry* pickleEntry = zip_.find(archiveName_ + "/data.pkl");
    if (pickleEntry == nullptr) {
        const bool torchScript = zip_.find(archiveName_ + "/constants.pkl") != nullptr;
        throw UserError::inFile(
            path, torchScript ? "is a TorchScript archive (torch.jit.save), not a checkpoint of "
                                "tensors saved with torch.save"
                              : "the archive has no " + inQuotes(archiveName_ + "/data.pkl") +
                                    ", so it is not a PyTorch checkpoint");
    }
    if (pickleEntry->uncompressedBytes > kMaxPickleBytes) {
        throw UserError::inFile(path,
                                "data.pkl is larger than 1000000000 bytes; the file is "
                                "corrupt");
    }
    const TorchPickle pickle(zip_.bytes(*pickleEntry), path);
    const PickleValue& root = pickle.root();
    if (root.kind != Kind::Dict && root.kind != Kind::List && root.kind != Kind::Tuple &&
        root.kind != Kind::Tensor) {
        throw UserError::inFile(path, "the checkpoint holds " +
                                          std::string(pickleKindName(root.kind)) + ", not tensors");
    }
    Layout(*this, pickle.valueCount()).add(root, "", 0);
}

// `byteorder` (PyTorch >= 1.12) and `version`: small text records.
void PthReader::readSmallRecords() {
    const auto text = [&](std::string_view record) -> std::optional<std::string> {
        const ZipEntry* entry = zip_.find(archiveName_ + "/" + std::string(record));
        if (entry == nullptr) {
            return std::nullopt;
        }
        if (entry->uncompressedBytes > kMaxSmallRecordBytes) {
            throw UserError::inFile(path(), "the record " + inQuotes(entry->name) +
                                                " is too large; the checkpoint is corrupt");
        }
        const std::span<const std::uint8_t> bytes = zip_.bytes(*entry);
        return std::string(bytes.begin(), bytes.end());
    };
    if (const std::optional<std::string> order = text("byteorder"); order && *order != "little") {
        throw UserError::inFile(
            path(), *order == "big"
                        ? "was saved on a big-endian machine, which Storyreel does not read; "
                          "load and save it again on a little-endian one (x86, ARM)"
                        : "its byteorder record says " + inQuotes(*order) +
                              " instead of 'little' or 'big'; the checkpoint is corrupt");
    }
    std::optional<std::string> version = text("version");
    if (!version) {
        version = text(".data/version");
    }
    if (version) {
        std::int64_t number = 0;
        std::size_t digits = 0;
        for (const char c : *version) {
            if (c < '0' || c > '9' || digits == 18) {
                break;
            }
            number = number * 10 + (c - '0');
            ++digits;
        }
        if (digits == 0) {
            throw UserError::inFile(path(), "its version record " + inQuotes(*version) +
                                                " is not a number; the checkpoint is corrupt");
        }
        formatVersion_ = number;
    }
}

std::vector<std::string> PthReader::names() const {
    std::vector<std::string> result;
    result.reserve(tensors_.size());
    for (const PthTensorInfo& info : tensors_) {
        result.push_back(info.tensor.name);
    }
    std::sort(result.begin(), result.end());
    return result;
}

bool PthReader::contains(std::string_view name) const {
    return byName_.count(std::string(name)) != 0;
}

const PthTensorInfo& PthReader::info(std::string_view name) const {
    const auto found = byName_.find(std::string(name));
    if (found == byName_.end()) {
        throw UserError::inFile(path(), "the checkpoint has no tensor " + inQuotes(name));
    }
    return tensors_[found->second];
}

at::Tensor PthReader::tensor(std::string_view name) const {
    const PthTensorInfo& info = this->info(name);
    const TensorInfo& stored = info.tensor;
    if (stored.sizeBytes == 0) {
        return at::zeros(stored.shape, at::kFloat);
    }
    const std::span<const std::uint8_t> bytes = file_.bytes(stored.offsetBytes, stored.sizeBytes);
    const auto spanElements =
        static_cast<std::int64_t>(stored.sizeBytes / elementSizeBytes(stored.storageType));
    at::Tensor flat;
    const at::ScalarType type = scalarTypeOf(stored.storageType);
    if (type == at::kFloat) {
        flat = at::empty({spanElements}, at::kFloat);
        decodeToFloat(stored.storageType, bytes.data(), flat.data_ptr<float>(),
                      static_cast<std::size_t>(spanElements));
    } else {
        // Copy first: the map may be unaligned for the element type. Bools go through bytes:
        // a stored byte other than 0 or 1 is not a valid C++ bool.
        const bool isBool = type == at::kBool;
        at::Tensor raw = at::empty({spanElements}, isBool ? at::kByte : type);
        std::memcpy(raw.data_ptr(), bytes.data(), bytes.size());
        flat = isBool ? raw.ne(0).to(at::kFloat) : raw.to(at::kFloat);
    }
    file_.dropPages(bytes);
    if (info.isContiguous()) {
        return flat.view(stored.shape);
    }
    return flat.as_strided(stored.shape, info.strides).contiguous();
}

}  // namespace storyreel::infer
