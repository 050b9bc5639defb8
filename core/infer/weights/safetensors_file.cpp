#include "core/infer/weights/safetensors_file.h"

#include "core/base/user_error.h"
#include "core/infer/weights/float_codecs.h"
#include "core/infer/weights/json_value.h"
#include "core/infer/weights/message_text.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>

namespace storyreel::infer {

namespace {

struct DtypeName {
    std::string_view name;
    StorageType type;
};

// safetensors dtype strings (safetensors tensor.rs Dtype) that Storyreel reads.
constexpr DtypeName kDtypes[] = {
    {"F32", StorageType::F32},         {"F16", StorageType::F16},
    {"BF16", StorageType::BF16},       {"F8_E4M3", StorageType::F8_E4M3FN},
    {"F8_E5M2", StorageType::F8_E5M2}, {"F64", StorageType::F64},
    {"I64", StorageType::I64},         {"I32", StorageType::I32},
    {"I16", StorageType::I16},         {"I8", StorageType::I8},
    {"U8", StorageType::U8},           {"BOOL", StorageType::Bool},
};

std::optional<StorageType> dtypeFromName(std::string_view name) {
    for (const DtypeName& entry : kDtypes) {
        if (entry.name == name) {
            return entry.type;
        }
    }
    return std::nullopt;
}

// One header entry before its layout is checked against the others.
struct RawEntry {
    std::string name;
    StorageType type = StorageType::F32;
    std::vector<std::uint64_t> shape;
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
};

class HeaderParser {
public:
    explicit HeaderParser(const std::filesystem::path& path) : path_(path) {}

    [[noreturn]] void fail(const std::string& problem) const {
        throw UserError::inFile(path_, problem);
    }

    const JsonValue& field(const JsonValue& entry, std::string_view tensor,
                           std::string_view key) const {
        const JsonValue* found = nullptr;
        for (std::size_t i = 0; i < entry.size(); ++i) {
            if (entry.key(i) == key) {
                if (found != nullptr) {
                    fail("tensor " + inQuotes(tensor) + " has two '" + std::string(key) +
                         "' fields");
                }
                found = &entry.at(i);
            }
        }
        if (found == nullptr) {
            fail("tensor " + inQuotes(tensor) + " has no '" + std::string(key) + "' field");
        }
        return *found;
    }

    std::vector<std::uint64_t> unsignedArray(const JsonValue& value, std::string_view tensor,
                                             std::string_view key) const {
        if (!value.isArray()) {
            fail("tensor " + inQuotes(tensor) + ": '" + std::string(key) + "' is " +
                 std::string(value.kindName()) + ", not an array");
        }
        std::vector<std::uint64_t> numbers;
        for (const JsonValue& item : value.items()) {
            const std::optional<std::uint64_t> number = item.asUint64();
            if (!number) {
                fail("tensor " + inQuotes(tensor) + ": '" + std::string(key) + "' holds " +
                     (item.isNumber() ? item.text() : std::string(item.kindName())) +
                     ", not a non-negative integer");
            }
            numbers.push_back(*number);
        }
        return numbers;
    }

    RawEntry entry(const std::string& name, const JsonValue& value) const {
        if (!value.isObject()) {
            fail("tensor " + inQuotes(name) + " is described by " + std::string(value.kindName()) +
                 ", not an object");
        }
        RawEntry raw;
        raw.name = name;
        const JsonValue& dtype = field(value, name, "dtype");
        if (!dtype.isString()) {
            fail("tensor " + inQuotes(name) + ": 'dtype' is not a string");
        }
        const std::optional<StorageType> type = dtypeFromName(dtype.text());
        if (!type) {
            fail("tensor " + inQuotes(name) + " has dtype " + inQuotes(dtype.text()) +
                 ", which Storyreel cannot read (known: F32, F16, BF16, F8_E4M3, F8_E5M2, "
                 "F64, I64, I32, I16, I8, U8, BOOL)");
        }
        raw.type = *type;
        raw.shape = unsignedArray(field(value, name, "shape"), name, "shape");
        const std::vector<std::uint64_t> offsets =
            unsignedArray(field(value, name, "data_offsets"), name, "data_offsets");
        if (offsets.size() != 2) {
            fail("tensor " + inQuotes(name) + ": 'data_offsets' must hold 2 numbers, not " +
                 std::to_string(offsets.size()));
        }
        raw.begin = offsets[0];
        raw.end = offsets[1];
        return raw;
    }

    std::map<std::string, std::string> metadata(const JsonValue& value) const {
        if (!value.isObject()) {
            fail("__metadata__ is " + std::string(value.kindName()) + ", not an object of strings");
        }
        std::map<std::string, std::string> result;
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (!value.at(i).isString()) {
                fail("__metadata__ value for " + inQuotes(value.key(i)) + " is " +
                     std::string(value.at(i).kindName()) + ", not a string");
            }
            result[value.key(i)] = value.at(i).text();
        }
        return result;
    }

private:
    const std::filesystem::path& path_;
};

std::uint64_t readU64(std::span<const std::uint8_t> bytes) {
    std::uint64_t value = 0;
    std::memcpy(&value, bytes.data(), sizeof value);
    return value;
}

// Element count and byte size with every product checked (safetensors ValidationOverflow).
std::optional<std::uint64_t> checkedByteSize(const std::vector<std::uint64_t>& shape,
                                             std::size_t elementSize) {
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    std::uint64_t count = 1;
    for (const std::uint64_t dim : shape) {
        if (dim > kMax || (dim != 0 && count > kMax / dim)) {
            return std::nullopt;
        }
        count *= dim;
    }
    if (count > kMax / elementSize) {
        return std::nullopt;
    }
    return count * elementSize;
}

}  // namespace

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path) : file_(path) {
    const std::uint64_t fileBytes = file_.sizeBytes();
    if (fileBytes < 8) {
        throw UserError::inFile(
            path, fileBytes == 0 ? std::string("the file is empty, not a safetensors file")
                                 : "the file is " + std::to_string(fileBytes) +
                                       " bytes long, too short for the 8-byte header length "
                                       "of a safetensors file");
    }
    const std::uint64_t headerBytes = readU64(file_.bytes(0, 8));
    if (headerBytes > kMaxHeaderBytes) {
        throw UserError::inFile(path, "header length " + std::to_string(headerBytes) +
                                          " is too large (the limit is 100000000 bytes); the "
                                          "file is corrupt or not a safetensors file");
    }
    if (headerBytes > fileBytes - 8) {
        throw UserError::inFile(path, "header length " + std::to_string(headerBytes) +
                                          " is larger than the " + std::to_string(fileBytes - 8) +
                                          " bytes that follow it; the file is truncated or "
                                          "not a safetensors file");
    }
    const std::span<const std::uint8_t> header = file_.bytes(8, headerBytes);
    parseHeader(std::string_view(reinterpret_cast<const char*>(header.data()), header.size()),
                8 + headerBytes);
    validateLayout(fileBytes - 8 - headerBytes);
}

void SafetensorsFile::parseHeader(std::string_view header, std::uint64_t dataStart) {
    const HeaderParser parser(path());
    if (!isValidUtf8(header)) {
        parser.fail("the header is not valid UTF-8; the file is corrupt");
    }
    JsonValue root;
    try {
        root = parseJson(header);
    } catch (const JsonError& error) {
        parser.fail(std::string("the header is not valid JSON (") + error.what() + ")");
    }
    if (!root.isObject()) {
        parser.fail("the header is " + std::string(root.kindName()) + ", not a JSON object");
    }
    bool sawMetadata = false;
    for (std::size_t i = 0; i < root.size(); ++i) {
        const std::string& name = root.key(i);
        if (name == "__metadata__") {
            if (sawMetadata) {
                parser.fail("the header has two __metadata__ entries");
            }
            sawMetadata = true;
            metadata_ = parser.metadata(root.at(i));
            continue;
        }
        RawEntry raw = parser.entry(name, root.at(i));
        if (!byName_.emplace(name, tensors_.size()).second) {
            parser.fail("tensor name " + inQuotes(name) + " appears twice in the header");
        }
        const std::optional<std::uint64_t> size =
            checkedByteSize(raw.shape, elementSizeBytes(raw.type));
        if (!size) {
            parser.fail("tensor " + inQuotes(name) + " has shape " + shapeText(raw.shape) +
                        ", whose size in bytes overflows 64 bits");
        }
        if (raw.begin > raw.end) {
            parser.fail("tensor " + inQuotes(name) + " has data_offsets [" +
                        std::to_string(raw.begin) + ", " + std::to_string(raw.end) +
                        "]: the begin lies after the end");
        }
        if (raw.end - raw.begin != *size) {
            parser.fail("tensor " + inQuotes(name) + " (" + std::string(storageTypeName(raw.type)) +
                        " " + shapeText(raw.shape) + ") needs " + std::to_string(*size) +
                        " bytes but its data_offsets [" + std::to_string(raw.begin) + ", " +
                        std::to_string(raw.end) + "] give " + std::to_string(raw.end - raw.begin));
        }
        TensorInfo info;
        info.name = name;
        info.storageType = raw.type;
        info.shape.assign(raw.shape.begin(), raw.shape.end());
        // Offsets are relative to the data section until validateLayout() has checked them.
        info.offsetBytes = raw.begin;
        info.sizeBytes = *size;
        tensors_.push_back(std::move(info));
    }
    std::stable_sort(tensors_.begin(), tensors_.end(),
                     [](const TensorInfo& a, const TensorInfo& b) {
                         return a.offsetBytes != b.offsetBytes ? a.offsetBytes < b.offsetBytes
                                                               : a.sizeBytes < b.sizeBytes;
                     });
    byName_.clear();
    for (std::size_t i = 0; i < tensors_.size(); ++i) {
        byName_.emplace(tensors_[i].name, i);
    }
    dataStart_ = dataStart;
}

// The reference rule: sorted by offset, the tensors tile the data section exactly, from 0 to
// its end, with neither holes nor overlaps.
void SafetensorsFile::validateLayout(std::uint64_t dataBytes) {
    std::uint64_t expected = 0;
    const TensorInfo* previous = nullptr;
    for (TensorInfo& info : tensors_) {
        const std::uint64_t begin = info.offsetBytes;
        const std::uint64_t end = begin + info.sizeBytes;
        if (begin < expected) {
            throw UserError::inFile(path(), "tensor " + inQuotes(info.name) + " at data bytes [" +
                                                std::to_string(begin) + ", " + std::to_string(end) +
                                                ") overlaps tensor " + inQuotes(previous->name) +
                                                ", which ends at " + std::to_string(expected));
        }
        if (begin > expected) {
            throw UserError::inFile(path(), "data bytes [" + std::to_string(expected) + ", " +
                                                std::to_string(begin) +
                                                ") belong to no tensor (a gap before tensor " +
                                                inQuotes(info.name) + ")");
        }
        if (end > dataBytes) {
            throw UserError::inFile(
                path(), "tensor " + inQuotes(info.name) + " ends at data byte " +
                            std::to_string(end) + " but the data section has only " +
                            std::to_string(dataBytes) + " bytes; the file is truncated");
        }
        expected = end;
        previous = &info;
        info.offsetBytes += dataStart_;
    }
    if (expected != dataBytes) {
        throw UserError::inFile(path(), std::to_string(dataBytes - expected) +
                                            " bytes follow the last tensor's data, which no "
                                            "tensor owns; the file is corrupt");
    }
}

const TensorInfo* SafetensorsFile::find(std::string_view name) const {
    const auto found = byName_.find(std::string(name));
    return found == byName_.end() ? nullptr : &tensors_[found->second];
}

std::span<const std::uint8_t> SafetensorsFile::rawBytes(const TensorInfo& info) const {
    return file_.bytes(info.offsetBytes, info.sizeBytes);
}

at::Tensor SafetensorsFile::tensor(const TensorInfo& info) const {
    const std::span<const std::uint8_t> bytes = rawBytes(info);
    const at::ScalarType stored = scalarTypeOf(info.storageType);
    if (stored == at::kFloat) {
        at::Tensor out = at::empty(info.shape, at::kFloat);
        decodeToFloat(info.storageType, bytes.data(), out.data_ptr<float>(),
                      static_cast<std::size_t>(info.numel()));
        file_.dropPages(bytes);
        return out;
    }
    // Copy first: the map may be unaligned for the element type.
    at::Tensor raw = at::empty(info.shape, stored);
    if (!bytes.empty()) {
        std::memcpy(raw.data_ptr(), bytes.data(), bytes.size());
    }
    file_.dropPages(bytes);
    return raw.to(at::kFloat);
}

}  // namespace storyreel::infer
