#include "core/infer/weights/gguf_reader.h"

#include "core/base/user_error.h"
#include "core/infer/weights/gguf_dequant.h"
#include "core/infer/weights/message_text.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cstring>
#include <limits>
#include <optional>

namespace storyreel::infer {

namespace {

constexpr std::uint64_t kInt64Max =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
constexpr std::uint64_t kDefaultAlignment = 32;
constexpr std::string_view kOrigShapePrefix = "comfy.gguf.orig_shape.";
// Smallest encodings, to bound counts by the bytes left before anything is allocated.
constexpr std::uint64_t kMinKeyValueBytes = 8 + 4 + 1;
constexpr std::uint64_t kMinTensorInfoBytes = 8 + 4 + 4 + 8;
// Work per ATen task when dequantising (a Q4_K block is 256 values).
constexpr std::int64_t kBlocksPerTask = 1024;

std::string dimsText(const std::vector<std::uint64_t>& dims) {
    std::string text = "[";
    for (std::size_t i = 0; i < dims.size(); ++i) {
        text += (i ? ", " : "") + std::to_string(dims[i]);
    }
    return text + "]";
}

// Bytes of one scalar of `type`; 0 for STRING and ARRAY (variable) and unknown types.
std::uint64_t scalarBytes(GgufValueType type) {
    switch (type) {
        case GgufValueType::Uint8:
        case GgufValueType::Int8:
        case GgufValueType::Bool:
            return 1;
        case GgufValueType::Uint16:
        case GgufValueType::Int16:
            return 2;
        case GgufValueType::Uint32:
        case GgufValueType::Int32:
        case GgufValueType::Float32:
            return 4;
        case GgufValueType::Uint64:
        case GgufValueType::Int64:
        case GgufValueType::Float64:
            return 8;
        default:
            return 0;
    }
}

std::uint64_t alignUp(std::uint64_t offset, std::uint64_t alignment) {
    return (offset + alignment - 1) / alignment * alignment;
}

std::string supportedTypesText() {
    return "F32, F16, BF16, Q8_0, Q5_1, Q5_0, Q4_1, Q4_0, Q6_K, Q5_K, Q4_K, Q3_K, Q2_K, "
           "IQ4_NL and IQ4_XS";
}

}  // namespace

// Reads the header with a cursor that never passes the end of the file.
class GgufReader::Parser {
public:
    explicit Parser(GgufReader& reader) : reader_(reader), file_(reader.file_) {}

    void parse() {
        readPreamble();
        const std::uint64_t tensorCount = readU64();
        const std::uint64_t keyValueCount = readU64();
        if (tensorCount > remaining() / kMinTensorInfoBytes) {
            fail("the header claims " + std::to_string(tensorCount) +
                 " tensors, more than the file can hold; it is corrupt");
        }
        if (keyValueCount > remaining() / kMinKeyValueBytes) {
            fail("the header claims " + std::to_string(keyValueCount) +
                 " metadata entries, more than the file can hold; it is corrupt");
        }
        for (std::uint64_t i = 0; i < keyValueCount; ++i) {
            readKeyValue();
        }
        context_.clear();
        readAlignment();
        for (std::uint64_t i = 0; i < tensorCount; ++i) {
            readTensorInfo();
        }
        context_.clear();
        placeTensors();
        assignLogicalShapes();
    }

private:
    [[noreturn]] void fail(const std::string& problem) const {
        throw UserError::inFile(reader_.path(),
                                context_.empty() ? problem : context_ + ": " + problem);
    }

    std::uint64_t remaining() const { return file_.sizeBytes() - pos_; }

    const std::uint8_t* take(std::uint64_t length) {
        if (length > remaining()) {
            fail("the file ends at byte " + std::to_string(file_.sizeBytes()) + " where " +
                 std::to_string(length) + " more bytes were expected (at byte " +
                 std::to_string(pos_) + "); it is truncated or corrupt");
        }
        const std::uint8_t* data = file_.bytes(pos_, length).data();
        pos_ += length;
        return data;
    }

    template <typename T>
    T read() {
        T value{};
        std::memcpy(&value, take(sizeof(T)), sizeof(T));
        return value;
    }

    std::uint32_t readU32() { return read<std::uint32_t>(); }
    std::uint64_t readU64() { return read<std::uint64_t>(); }

    std::string readString() {
        const std::uint64_t length = readU64();
        if (length > remaining()) {
            fail("a string of " + std::to_string(length) +
                 " bytes runs past the end of the file (" + std::to_string(remaining()) +
                 " bytes left); the file is corrupt");
        }
        const std::uint8_t* data = take(length);
        return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(length));
    }

    void readPreamble() {
        if (file_.sizeBytes() == 0) {
            fail("the file is empty, not a GGUF file");
        }
        if (file_.sizeBytes() < 4) {
            fail("the file is too short to be a GGUF file");
        }
        const std::uint8_t* magic = take(4);
        if (std::memcmp(magic, "GGUF", 4) != 0) {
            std::string seen;
            for (int i = 0; i < 4; ++i) {
                seen += (magic[i] >= 0x20 && magic[i] < 0x7F) ? static_cast<char>(magic[i]) : '?';
            }
            fail("not a GGUF file: it starts with '" + seen + "' instead of 'GGUF'");
        }
        context_ = "GGUF header";
        const std::uint32_t version = readU32();
        if (version == 1) {
            fail(
                "GGUF version 1 files are not supported (their counts are 32-bit); convert "
                "the file again with a current gguf-py or llama.cpp");
        }
        if ((version & 0xFFFFu) == 0 && version != 0) {
            fail("the file is a big-endian GGUF, which is not supported");
        }
        if (version != 2 && version != 3) {
            fail("GGUF version " + std::to_string(version) +
                 " is not supported (versions 2 and 3 are)");
        }
        reader_.version_ = version;
        context_.clear();
    }

    GgufValueType readValueType(std::string_view what) {
        const std::uint32_t raw = readU32();
        if (raw > static_cast<std::uint32_t>(GgufValueType::Float64)) {
            fail(std::string(what) + " has unknown GGUF value type " + std::to_string(raw) +
                 " (valid types are 0 to 12)");
        }
        return static_cast<GgufValueType>(raw);
    }

    GgufScalar readScalar(GgufValueType type) {
        switch (type) {
            case GgufValueType::Uint8:
                return read<std::uint8_t>();
            case GgufValueType::Int8:
                return read<std::int8_t>();
            case GgufValueType::Uint16:
                return read<std::uint16_t>();
            case GgufValueType::Int16:
                return read<std::int16_t>();
            case GgufValueType::Uint32:
                return read<std::uint32_t>();
            case GgufValueType::Int32:
                return read<std::int32_t>();
            case GgufValueType::Float32:
                return read<float>();
            case GgufValueType::Bool:
                return read<std::uint8_t>() != 0;
            case GgufValueType::String:
                return readString();
            case GgufValueType::Uint64:
                return read<std::uint64_t>();
            case GgufValueType::Int64:
                return read<std::int64_t>();
            case GgufValueType::Float64:
                return read<double>();
            case GgufValueType::Array:
                break;
        }
        fail("internal error: readScalar on an array");
    }

    void readKeyValue() {
        context_ = "metadata";
        std::string key = readString();
        context_ = "metadata key " + inQuotes(key);
        GgufValue value;
        value.type = readValueType("the value");
        if (value.type != GgufValueType::Array) {
            value.scalar = readScalar(value.type);
        } else {
            value.elementType = readValueType("the array");
            if (value.elementType == GgufValueType::Array) {
                fail("arrays of arrays are not supported");
            }
            const std::uint64_t count = readU64();
            const std::uint64_t minBytes =
                value.elementType == GgufValueType::String ? 8 : scalarBytes(value.elementType);
            if (count > remaining() / minBytes) {
                fail("an array of " + std::to_string(count) + " " +
                     std::string(ggufValueTypeName(value.elementType)) +
                     " values cannot fit in the rest of the file; it is corrupt");
            }
            value.array.reserve(static_cast<std::size_t>(count));
            for (std::uint64_t i = 0; i < count; ++i) {
                value.array.push_back(readScalar(value.elementType));
            }
        }
        if (!reader_.metadataIndex_.emplace(key, reader_.metadata_.size()).second) {
            fail("the key appears twice in the metadata");
        }
        reader_.metadata_.emplace_back(std::move(key), std::move(value));
    }

    void readAlignment() {
        const GgufValue* value = reader_.find("general.alignment");
        if (value == nullptr) {
            reader_.alignment_ = kDefaultAlignment;
            return;
        }
        const std::uint32_t* alignment = std::get_if<std::uint32_t>(&value->scalar);
        if (value->type != GgufValueType::Uint32 || alignment == nullptr) {
            fail("general.alignment must be a UINT32");
        }
        if (*alignment == 0 || (*alignment & (*alignment - 1)) != 0) {
            fail("general.alignment is " + std::to_string(*alignment) + ", not a power of two");
        }
        reader_.alignment_ = *alignment;
    }

    void readTensorInfo() {
        context_ = "tensor infos";
        GgufTensorInfo info;
        info.tensor.name = readString();
        const std::string& name = info.tensor.name;
        context_ = "tensor " + inQuotes(name);
        const std::uint32_t dimCount = readU32();
        if (dimCount > kMaxDims) {
            fail("claims " + std::to_string(dimCount) + " dimensions (at most " +
                 std::to_string(kMaxDims) + " are supported); the file is corrupt");
        }
        std::uint64_t elements = 1;
        bool overflow = false;
        for (std::uint32_t i = 0; i < dimCount; ++i) {
            const std::uint64_t dim = readU64();
            info.dims.push_back(dim);
            if (dim > kInt64Max || (dim != 0 && elements > kInt64Max / dim)) {
                overflow = true;
            } else {
                elements *= dim;
            }
        }
        if (overflow) {
            fail("dims " + dimsText(info.dims) + " give more elements than 64 bits can count");
        }
        info.ggmlType = readU32();
        const std::uint64_t offset = readU64();
        const GgmlType* type = findGgmlType(info.ggmlType);
        if (type == nullptr) {
            fail("unknown GGML type " + std::to_string(info.ggmlType) +
                 "; the file is corrupt or newer than Storyreel");
        }
        if (!type->storage) {
            fail("unsupported GGML type " + std::string(type->name) + " (type " +
                 std::to_string(info.ggmlType) + "); Storyreel reads " + supportedTypesText() +
                 ": use a file quantised to one of those");
        }
        const std::uint64_t rowLength = info.dims.empty() ? 1 : info.dims[0];
        if (rowLength % type->blockSize != 0) {
            fail("has " + std::to_string(rowLength) + " elements per row, not a multiple of the " +
                 std::string(type->name) + " block size (" + std::to_string(type->blockSize) + ")");
        }
        const std::uint64_t blocks = elements / type->blockSize;
        if (blocks > kInt64Max / type->typeSize) {
            fail("its size in bytes overflows 64 bits");
        }
        info.tensor.storageType = *type->storage;
        info.tensor.sizeBytes = blocks * type->typeSize;
        info.tensor.offsetBytes = offset;  // relative to the data section until placeTensors()
        if (!reader_.tensorIndex_.emplace(name, reader_.tensors_.size()).second) {
            fail("the tensor name appears twice (duplicate tensor name)");
        }
        reader_.tensors_.push_back(std::move(info));
    }

    // ggml's rule: each tensor starts at the aligned end of the previous one, inside the file.
    void placeTensors() {
        const std::uint64_t alignment = reader_.alignment_;
        const std::uint64_t dataStart = alignUp(pos_, alignment);
        const std::uint64_t fileBytes = file_.sizeBytes();
        std::uint64_t expected = 0;
        const GgufTensorInfo* previous = nullptr;
        for (GgufTensorInfo& info : reader_.tensors_) {
            context_ = "tensor " + inQuotes(info.tensor.name);
            const std::uint64_t offset = info.tensor.offsetBytes;
            const std::uint64_t size = info.tensor.sizeBytes;
            if (offset % alignment != 0) {
                fail("data offset " + std::to_string(offset) +
                     " is misaligned: not a multiple of "
                     "the alignment " +
                     std::to_string(alignment));
            }
            if (dataStart > fileBytes || offset > fileBytes - dataStart ||
                size > fileBytes - dataStart - offset) {
                fail("data [" + std::to_string(offset) + ", +" + std::to_string(size) +
                     ") lies beyond the end of the file (" + std::to_string(fileBytes) +
                     " bytes, data section at " + std::to_string(dataStart) +
                     "); the file is truncated");
            }
            if (offset < expected) {
                fail("data at offset " + std::to_string(offset) + " overlaps tensor " +
                     inQuotes(previous->tensor.name) + ", which ends at " +
                     std::to_string(previous->tensor.offsetBytes - dataStart +
                                    previous->tensor.sizeBytes));
            }
            if (offset > expected) {
                fail("data offset " + std::to_string(offset) + " leaves a gap: expected " +
                     std::to_string(expected) + ", the aligned end of the previous tensor");
            }
            expected = alignUp(offset + size, alignment);
            info.tensor.offsetBytes = dataStart + offset;
            previous = &info;
        }
    }

    std::vector<std::int64_t> origShape(const GgufTensorInfo& info, const GgufValue& value) {
        if (value.type != GgufValueType::Array) {
            fail(std::string(kOrigShapePrefix) + info.tensor.name + " is not an array");
        }
        std::vector<std::int64_t> shape;
        std::uint64_t elements = 1;
        for (const GgufScalar& item : value.array) {
            const std::optional<std::int64_t> dim = integerValue(item);
            if (!dim || *dim < 0) {
                fail(std::string(kOrigShapePrefix) + info.tensor.name +
                     " holds something other than non-negative integers");
            }
            const auto udim = static_cast<std::uint64_t>(*dim);
            if (udim != 0 && elements > kInt64Max / udim) {
                fail(std::string(kOrigShapePrefix) + info.tensor.name + " overflows");
            }
            elements *= udim;
            shape.push_back(*dim);
        }
        return shape;
    }

    void assignLogicalShapes() {
        for (GgufTensorInfo& info : reader_.tensors_) {
            context_ = "tensor " + inQuotes(info.tensor.name);
            std::uint64_t stored = 1;
            for (const std::uint64_t dim : info.dims) {
                stored *= dim;
            }
            const GgufValue* orig = reader_.find(std::string(kOrigShapePrefix) + info.tensor.name);
            if (orig == nullptr) {
                info.tensor.shape.assign(info.dims.rbegin(), info.dims.rend());
                continue;
            }
            info.tensor.shape = origShape(info, *orig);
            if (static_cast<std::uint64_t>(info.tensor.numel()) != stored) {
                fail(std::string(kOrigShapePrefix) + info.tensor.name + " gives " +
                     std::to_string(info.tensor.numel()) + " elements but the tensor has " +
                     std::to_string(stored));
            }
        }
    }

    GgufReader& reader_;
    const MappedFile& file_;
    std::uint64_t pos_ = 0;
    std::string context_;
};

GgufReader::GgufReader(const std::filesystem::path& path) : file_(path) {
    Parser(*this).parse();
}

const GgufValue* GgufReader::find(std::string_view key) const {
    const auto found = metadataIndex_.find(std::string(key));
    return found == metadataIndex_.end() ? nullptr : &metadata_[found->second].second;
}

bool GgufReader::contains(std::string_view name) const {
    return tensorIndex_.count(std::string(name)) != 0;
}

const GgufTensorInfo& GgufReader::info(std::string_view name) const {
    const auto found = tensorIndex_.find(std::string(name));
    if (found == tensorIndex_.end()) {
        throw UserError::inFile(path(), "the file has no tensor " + inQuotes(name));
    }
    return tensors_[found->second];
}

void GgufReader::dropPages(std::span<const std::uint8_t> bytes) const noexcept {
    file_.dropPages(bytes);
}

std::span<const std::uint8_t> GgufReader::rawBytes(std::string_view name) const {
    const TensorInfo& tensor = info(name).tensor;
    return file_.bytes(tensor.offsetBytes, tensor.sizeBytes);
}

at::Tensor GgufReader::tensor(std::string_view name) const {
    const TensorInfo& tensorInfo = info(name).tensor;
    const std::span<const std::uint8_t> bytes =
        file_.bytes(tensorInfo.offsetBytes, tensorInfo.sizeBytes);
    at::Tensor out = at::empty(tensorInfo.shape, at::kFloat);
    // Blocks are independent, so large tensors dequantise on all of ATen's threads.
    const GgmlType& type = *ggmlTypeOf(tensorInfo.storageType);
    const auto blocks = static_cast<std::int64_t>(tensorInfo.sizeBytes / type.typeSize);
    float* data = out.data_ptr<float>();
    at::parallel_for(0, blocks, kBlocksPerTask, [&](std::int64_t begin, std::int64_t end) {
        const auto first = static_cast<std::size_t>(begin);
        const auto count = static_cast<std::size_t>(end - begin);
        dequantizeGgml(tensorInfo.storageType,
                       bytes.subspan(first * type.typeSize, count * type.typeSize),
                       std::span<float>(data + first * type.blockSize, count * type.blockSize));
    });
    file_.dropPages(bytes);
    return out;
}

}  // namespace storyreel::infer
