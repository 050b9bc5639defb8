#include "core/infer/weights/pickle_reader.h"

#include "core/base/user_error.h"

#include <bit>
#include <cstring>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace storyreel::infer {

namespace {

using Kind = PickleValue::Kind;

// What an allowed global does when the pickle "calls" it with REDUCE.
enum class Role {
    OrderedDict,
    RebuildTensor,    // torch._utils._rebuild_tensor(storage, offset, size, stride)
    RebuildTensorV2,  // ... + requires_grad, backward_hooks[, metadata]
    RebuildTensorV3,  // ... + dtype[, metadata]; the storage may be untyped
    RebuildParameter,
    RestoreTypeTag,  // torch.jit._pickle.restore_type_tag(value, type_string)
    StorageClass,
    UntypedStorage,
    Dtype,
};

struct AllowedGlobal {
    std::string_view name;
    Role role;
    StorageType type = StorageType::U8;
};

// The whole list. torch.serialization's weights_only unpickler allows more (torch.Size,
// torch.device, sparse and quantised rebuilds); a state dict of dense tensors needs these.
constexpr AllowedGlobal kAllowedGlobals[] = {
    {"collections.OrderedDict", Role::OrderedDict},
    {"torch._utils._rebuild_tensor", Role::RebuildTensor},
    {"torch._utils._rebuild_tensor_v2", Role::RebuildTensorV2},
    {"torch._utils._rebuild_tensor_v3", Role::RebuildTensorV3},
    {"torch._utils._rebuild_parameter", Role::RebuildParameter},
    {"torch._utils._rebuild_parameter_with_state", Role::RebuildParameter},
    {"torch.jit._pickle.restore_type_tag", Role::RestoreTypeTag},
    {"torch.FloatStorage", Role::StorageClass, StorageType::F32},
    {"torch.HalfStorage", Role::StorageClass, StorageType::F16},
    {"torch.BFloat16Storage", Role::StorageClass, StorageType::BF16},
    {"torch.DoubleStorage", Role::StorageClass, StorageType::F64},
    {"torch.LongStorage", Role::StorageClass, StorageType::I64},
    {"torch.IntStorage", Role::StorageClass, StorageType::I32},
    {"torch.ShortStorage", Role::StorageClass, StorageType::I16},
    {"torch.CharStorage", Role::StorageClass, StorageType::I8},
    {"torch.ByteStorage", Role::StorageClass, StorageType::U8},
    {"torch.BoolStorage", Role::StorageClass, StorageType::Bool},
    {"torch.UntypedStorage", Role::UntypedStorage},
    {"torch.float32", Role::Dtype, StorageType::F32},
    {"torch.float16", Role::Dtype, StorageType::F16},
    {"torch.bfloat16", Role::Dtype, StorageType::BF16},
    {"torch.float64", Role::Dtype, StorageType::F64},
    {"torch.int64", Role::Dtype, StorageType::I64},
    {"torch.int32", Role::Dtype, StorageType::I32},
    {"torch.int16", Role::Dtype, StorageType::I16},
    {"torch.int8", Role::Dtype, StorageType::I8},
    {"torch.uint8", Role::Dtype, StorageType::U8},
    {"torch.bool", Role::Dtype, StorageType::Bool},
    {"torch.float8_e4m3fn", Role::Dtype, StorageType::F8_E4M3FN},
    {"torch.float8_e5m2", Role::Dtype, StorageType::F8_E5M2},
};

const AllowedGlobal* findGlobal(std::string_view name) {
    for (const AllowedGlobal& entry : kAllowedGlobals) {
        if (entry.name == name) {
            return &entry;
        }
    }
    return nullptr;
}

// Opcodes (CPython Lib/pickle.py) this reader accepts.
enum Opcode : std::uint8_t {
    kMark = '(',
    kStop = '.',
    kBinInt = 'J',
    kBinInt1 = 'K',
    kBinInt2 = 'M',
    kNone = 'N',
    kBinPersId = 'Q',
    kReduce = 'R',
    kBinString = 'T',
    kShortBinString = 'U',
    kBinUnicode = 'X',
    kAppend = 'a',
    kBuild = 'b',
    kGlobal = 'c',
    kAppends = 'e',
    kBinGet = 'h',
    kLongBinGet = 'j',
    kEmptyList = ']',
    kBinPut = 'q',
    kLongBinPut = 'r',
    kSetItem = 's',
    kTuple = 't',
    kSetItems = 'u',
    kEmptyDict = '}',
    kEmptyTuple = ')',
    kBinFloat = 'G',
    kBinBytes = 'B',
    kShortBinBytes = 'C',
    kProto = 0x80,
    kTuple1 = 0x85,
    kTuple2 = 0x86,
    kTuple3 = 0x87,
    kNewTrue = 0x88,
    kNewFalse = 0x89,
    kLong1 = 0x8a,
    kLong4 = 0x8b,
    kShortBinUnicode = 0x8c,
    kBinUnicode8 = 0x8d,
    kBinBytes8 = 0x8e,
    kStackGlobal = 0x93,
    kMemoize = 0x94,
    kFrame = 0x95,
};

std::string opcodeText(std::uint8_t op) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text = "0x";
    text += kHex[op >> 4];
    text += kHex[op & 0xF];
    if (op >= 0x20 && op < 0x7F) {
        text += std::string(" ('") + static_cast<char>(op) + "')";
    }
    return text;
}

}  // namespace

std::string_view pickleKindName(PickleValue::Kind kind) {
    switch (kind) {
        case Kind::None:
            return "None";
        case Kind::Bool:
            return "a bool";
        case Kind::Int:
            return "an int";
        case Kind::Float:
            return "a float";
        case Kind::String:
            return "a string";
        case Kind::Bytes:
            return "bytes";
        case Kind::Tuple:
            return "a tuple";
        case Kind::List:
            return "a list";
        case Kind::Dict:
            return "a dict";
        case Kind::Global:
            return "a global";
        case Kind::Storage:
            return "a storage";
        case Kind::Tensor:
            return "a tensor";
    }
    return "unknown";
}

// The stack machine. Every read is bounds-checked; every pop checks the stack.
class TorchPickle::Machine {
public:
    Machine(TorchPickle& pickle, std::span<const std::uint8_t> bytes,
            const std::filesystem::path& path)
        : pickle_(pickle), bytes_(bytes), path_(path) {}

    const PickleValue* run() {
        while (true) {
            opcodeAt_ = pos_;
            const std::uint8_t op = readU8();
            if (op == kStop) {
                if (stack_.size() != 1 || !marks_.empty()) {
                    fail("STOP leaves " + std::to_string(stack_.size()) +
                         " values on the stack instead of one");
                }
                return stack_.back();
            }
            step(op);
        }
    }

private:
    [[noreturn]] void fail(const std::string& problem) const {
        throw UserError::inFile(path_, "data.pkl byte " + std::to_string(opcodeAt_) + ": " +
                                           problem + "; the checkpoint is corrupt");
    }

    [[noreturn]] void refuse(const std::string& global) const {
        throw UserError::inFile(
            path_, "refuses to load: the pickle calls " + global + "; only tensors are accepted");
    }

    const std::uint8_t* take(std::uint64_t length) {
        if (length > bytes_.size() - pos_) {
            fail("the pickle ends early (" + std::to_string(length) + " more bytes expected)");
        }
        const std::uint8_t* data = bytes_.data() + pos_;
        pos_ += static_cast<std::size_t>(length);
        return data;
    }

    template <typename T>
    T readLe() {
        T value{};
        std::memcpy(&value, take(sizeof(T)), sizeof(T));
        return value;
    }

    std::uint8_t readU8() { return readLe<std::uint8_t>(); }

    std::string_view readText(std::uint64_t length) {
        return {reinterpret_cast<const char*>(take(length)), static_cast<std::size_t>(length)};
    }

    std::string_view readLine() {
        const std::size_t start = pos_;
        while (pos_ < bytes_.size() && bytes_[pos_] != '\n') {
            ++pos_;
        }
        if (pos_ == bytes_.size()) {
            fail("a GLOBAL name has no end of line");
        }
        ++pos_;
        return {reinterpret_cast<const char*>(bytes_.data() + start), pos_ - 1 - start};
    }

    PickleValue* make(Kind kind) {
        if (pickle_.arena_.size() >= kMaxValues) {
            fail("the pickle holds more than " + std::to_string(kMaxValues) + " objects");
        }
        PickleValue& value = pickle_.arena_.emplace_back();
        value.kind = kind;
        return &value;
    }

    void push(const PickleValue* value) { stack_.push_back(value); }

    const PickleValue* pop() {
        if (stack_.empty() || (!marks_.empty() && stack_.size() == marks_.back())) {
            fail("an opcode needs a value but the stack is empty");
        }
        const PickleValue* value = stack_.back();
        stack_.pop_back();
        return value;
    }

    const PickleValue* top() {
        if (stack_.empty() || (!marks_.empty() && stack_.size() == marks_.back())) {
            fail("an opcode needs a value but the stack is empty");
        }
        return stack_.back();
    }

    std::vector<const PickleValue*> popToMark() {
        if (marks_.empty()) {
            fail("an opcode needs a MARK but there is none");
        }
        const std::size_t mark = marks_.back();
        marks_.pop_back();
        std::vector<const PickleValue*> items(stack_.begin() + static_cast<std::ptrdiff_t>(mark),
                                              stack_.end());
        stack_.resize(mark);
        return items;
    }

    // Containers are mutated in place (memo entries point at them); values in the arena
    // are only ever reached through const pointers elsewhere.
    PickleValue* mutableValue(const PickleValue* value) { return const_cast<PickleValue*>(value); }

    void pushInt(std::int64_t number) {
        PickleValue* value = make(Kind::Int);
        value->integer = number;
        push(value);
    }

    void pushString(Kind kind, std::string_view text) {
        PickleValue* value = make(kind);
        value->text = text;
        push(value);
    }

    void pushTuple(std::vector<const PickleValue*> items) {
        PickleValue* value = make(Kind::Tuple);
        value->items = std::move(items);
        push(value);
    }

    // LONG1/LONG4: little-endian two's complement of `length` bytes.
    void pushLong(std::uint64_t length) {
        if (length > 8) {
            fail("an integer of " + std::to_string(length) + " bytes does not fit in 64 bits");
        }
        const std::uint8_t* data = take(length);
        std::uint64_t bits = 0;
        for (std::uint64_t i = 0; i < length; ++i) {
            bits |= static_cast<std::uint64_t>(data[i]) << (8 * i);
        }
        if (length > 0 && length < 8 && (data[length - 1] & 0x80) != 0) {
            bits |= ~std::uint64_t{0} << (8 * length);
        }
        pushInt(static_cast<std::int64_t>(bits));
    }

    void memoPut(std::uint64_t index) {
        if (stack_.empty()) {
            fail("a memo put has nothing to store");
        }
        memo_[index] = stack_.back();
    }

    void memoGet(std::uint64_t index) {
        const auto found = memo_.find(index);
        if (found == memo_.end()) {
            fail("memo entry " + std::to_string(index) + " is read before it is written");
        }
        push(found->second);
    }

    void pushGlobal(std::string_view module, std::string_view name) {
        const std::string full = std::string(module) + "." + std::string(name);
        const AllowedGlobal* allowed = findGlobal(full);
        if (allowed == nullptr) {
            refuse(full);
        }
        PickleValue* value = make(Kind::Global);
        value->text = full;
        value->storageType = allowed->type;
        push(value);
    }

    void setItems(const PickleValue* target, const std::vector<const PickleValue*>& items) {
        if (target->kind != Kind::Dict) {
            fail("SETITEM(S) on " + std::string(pickleKindName(target->kind)) + ", not a dict");
        }
        if (items.size() % 2 != 0) {
            fail("SETITEMS has an odd number of values");
        }
        PickleValue* dict = mutableValue(target);
        for (std::size_t i = 0; i < items.size(); i += 2) {
            dict->entries.emplace_back(items[i], items[i + 1]);
        }
    }

    void append(const PickleValue* target, const std::vector<const PickleValue*>& items) {
        if (target->kind != Kind::List) {
            fail("APPEND(S) on " + std::string(pickleKindName(target->kind)) + ", not a list");
        }
        PickleValue* list = mutableValue(target);
        list->items.insert(list->items.end(), items.begin(), items.end());
    }

    void step(std::uint8_t op);
    void persistentLoad();
    void reduce();
    const PickleValue* rebuildTensor(const AllowedGlobal& function,
                                     const std::vector<const PickleValue*>& args);
    std::vector<std::int64_t> intTuple(const PickleValue* value, std::string_view what);

    TorchPickle& pickle_;
    std::span<const std::uint8_t> bytes_;
    const std::filesystem::path& path_;
    std::size_t pos_ = 0;
    std::size_t opcodeAt_ = 0;
    std::vector<const PickleValue*> stack_;
    std::vector<std::size_t> marks_;
    std::unordered_map<std::uint64_t, const PickleValue*> memo_;
};

void TorchPickle::Machine::step(std::uint8_t op) {
    switch (op) {
        case kProto:
            if (const std::uint8_t version = readU8(); version > 5) {
                fail("pickle protocol " + std::to_string(version) + " is unknown");
            }
            return;
        case kFrame:
            readLe<std::uint64_t>();  // frames only group opcodes
            return;
        case kMark:
            marks_.push_back(stack_.size());
            return;
        case kEmptyDict:
            push(make(Kind::Dict));
            return;
        case kEmptyList:
            push(make(Kind::List));
            return;
        case kEmptyTuple:
            pushTuple({});
            return;
        case kNone:
            push(make(Kind::None));
            return;
        case kNewTrue:
        case kNewFalse: {
            PickleValue* value = make(Kind::Bool);
            value->boolean = op == kNewTrue;
            push(value);
            return;
        }
        case kBinInt:
            pushInt(readLe<std::int32_t>());
            return;
        case kBinInt1:
            pushInt(readU8());
            return;
        case kBinInt2:
            pushInt(readLe<std::uint16_t>());
            return;
        case kLong1:
            pushLong(readU8());
            return;
        case kLong4: {
            const std::int32_t length = readLe<std::int32_t>();
            if (length < 0) {
                fail("LONG4 has a negative length");
            }
            pushLong(static_cast<std::uint64_t>(length));
            return;
        }
        case kBinFloat: {
            const std::uint8_t* data = take(8);  // big-endian
            std::uint64_t bits = 0;
            for (int i = 0; i < 8; ++i) {
                bits = (bits << 8) | data[i];
            }
            PickleValue* value = make(Kind::Float);
            value->number = std::bit_cast<double>(bits);
            push(value);
            return;
        }
        case kBinUnicode:
            pushString(Kind::String, readText(readLe<std::uint32_t>()));
            return;
        case kShortBinUnicode:
            pushString(Kind::String, readText(readU8()));
            return;
        case kBinUnicode8:
            pushString(Kind::String, readText(readLe<std::uint64_t>()));
            return;
        case kBinString: {
            const std::int32_t length = readLe<std::int32_t>();
            if (length < 0) {
                fail("BINSTRING has a negative length");
            }
            pushString(Kind::String, readText(static_cast<std::uint64_t>(length)));
            return;
        }
        case kShortBinString:
            pushString(Kind::String, readText(readU8()));
            return;
        case kBinBytes:
            pushString(Kind::Bytes, readText(readLe<std::uint32_t>()));
            return;
        case kShortBinBytes:
            pushString(Kind::Bytes, readText(readU8()));
            return;
        case kBinBytes8:
            pushString(Kind::Bytes, readText(readLe<std::uint64_t>()));
            return;
        case kTuple1:
        case kTuple2:
        case kTuple3: {
            std::vector<const PickleValue*> items(op - kTuple1 + 1);
            for (auto item = items.rbegin(); item != items.rend(); ++item) {
                *item = pop();
            }
            pushTuple(std::move(items));
            return;
        }
        case kTuple:
            pushTuple(popToMark());
            return;
        case kSetItem: {
            const PickleValue* value = pop();
            const PickleValue* key = pop();
            setItems(top(), {key, value});
            return;
        }
        case kSetItems: {
            const std::vector<const PickleValue*> items = popToMark();
            setItems(top(), items);
            return;
        }
        case kAppend: {
            const PickleValue* value = pop();
            append(top(), {value});
            return;
        }
        case kAppends: {
            const std::vector<const PickleValue*> items = popToMark();
            append(top(), items);
            return;
        }
        case kBinPut:
            memoPut(readU8());
            return;
        case kLongBinPut:
            memoPut(readLe<std::uint32_t>());
            return;
        case kMemoize:
            memoPut(memo_.size());
            return;
        case kBinGet:
            memoGet(readU8());
            return;
        case kLongBinGet:
            memoGet(readLe<std::uint32_t>());
            return;
        case kGlobal: {
            const std::string_view module = readLine();
            const std::string_view name = readLine();
            pushGlobal(module, name);
            return;
        }
        case kStackGlobal: {
            const PickleValue* name = pop();
            const PickleValue* module = pop();
            if (name->kind != Kind::String || module->kind != Kind::String) {
                fail("STACK_GLOBAL needs two strings");
            }
            pushGlobal(module->text, name->text);
            return;
        }
        case kBinPersId:
            persistentLoad();
            return;
        case kReduce:
            reduce();
            return;
        case kBuild: {
            // OrderedDict state (a state dict's _metadata) and parameter state carry no
            // tensor data; they are dropped.
            const PickleValue* state = pop();
            const PickleValue* target = top();
            if (target->kind != Kind::Dict && target->kind != Kind::Tensor) {
                fail("BUILD on " + std::string(pickleKindName(target->kind)) +
                     " (only dicts and tensors take state here)");
            }
            (void)state;
            return;
        }
        default:
            fail("opcode " + opcodeText(op) +
                 " is not one a tensor checkpoint uses, so the file is refused");
    }
}

// torch.save's persistent id: ('storage', StorageClass, key, location, numel[, view]).
void TorchPickle::Machine::persistentLoad() {
    const PickleValue* id = pop();
    if (id->kind != Kind::Tuple || id->items.size() < 5 || id->items[0]->kind != Kind::String ||
        id->items[0]->text != "storage") {
        fail("a persistent id is not a ('storage', type, key, location, size) tuple");
    }
    const PickleValue* type = id->items[1];
    const PickleValue* key = id->items[2];
    const PickleValue* location = id->items[3];
    const PickleValue* numel = id->items[4];
    if (type->kind != Kind::Global) {
        fail("a storage's type is " + std::string(pickleKindName(type->kind)) +
             ", not a torch storage class");
    }
    const AllowedGlobal* typeGlobal = findGlobal(type->text);
    if (typeGlobal->role != Role::StorageClass && typeGlobal->role != Role::UntypedStorage) {
        fail("a storage's type is " + type->text + ", not a torch storage class");
    }
    if (key->kind != Kind::String || location->kind != Kind::String || numel->kind != Kind::Int ||
        numel->integer < 0) {
        fail("a storage's key, location or size has the wrong type");
    }
    PickleValue* storage = make(Kind::Storage);
    storage->text = key->text;
    storage->location = location->text;
    storage->integer = numel->integer;
    storage->storageType = typeGlobal->type;
    storage->boolean = typeGlobal->role == Role::UntypedStorage;
    push(storage);
}

std::vector<std::int64_t> TorchPickle::Machine::intTuple(const PickleValue* value,
                                                         std::string_view what) {
    if (value->kind != Kind::Tuple) {
        fail("a tensor's " + std::string(what) + " is " + std::string(pickleKindName(value->kind)) +
             ", not a tuple");
    }
    std::vector<std::int64_t> numbers;
    for (const PickleValue* item : value->items) {
        if (item->kind != Kind::Int || item->integer < 0) {
            fail("a tensor's " + std::string(what) +
                 " holds something other than "
                 "non-negative integers");
        }
        numbers.push_back(item->integer);
    }
    return numbers;
}

const PickleValue* TorchPickle::Machine::rebuildTensor(
    const AllowedGlobal& function, const std::vector<const PickleValue*>& args) {
    const std::size_t minArgs = function.role == Role::RebuildTensor     ? 4
                                : function.role == Role::RebuildTensorV2 ? 6
                                                                         : 7;
    if (args.size() < minArgs || args.size() > minArgs + 1) {
        fail(std::string(function.name) + " takes " + std::to_string(minArgs) + " arguments, not " +
             std::to_string(args.size()));
    }
    const PickleValue* storage = args[0];
    if (storage->kind != Kind::Storage) {
        fail(std::string(function.name) + " gets " + std::string(pickleKindName(storage->kind)) +
             " instead of a storage");
    }
    if (args[1]->kind != Kind::Int || args[1]->integer < 0) {
        fail("a tensor's storage offset is not a non-negative integer");
    }
    PickleValue* tensor = make(Kind::Tensor);
    tensor->items = {storage};
    tensor->integer = args[1]->integer;
    tensor->sizes = intTuple(args[2], "size");
    tensor->strides = intTuple(args[3], "stride");
    if (tensor->sizes.size() != tensor->strides.size()) {
        fail("a tensor has " + std::to_string(tensor->sizes.size()) + " sizes but " +
             std::to_string(tensor->strides.size()) + " strides");
    }
    tensor->storageType = storage->storageType;
    if (function.role == Role::RebuildTensorV3) {
        const PickleValue* dtype = args[6];
        if (dtype->kind != Kind::Global || findGlobal(dtype->text)->role != Role::Dtype) {
            fail("_rebuild_tensor_v3's dtype is not a torch dtype Storyreel reads");
        }
        tensor->storageType = dtype->storageType;
    } else if (storage->boolean) {
        fail("a tensor on an untyped storage has no dtype");
    }
    return tensor;
}

void TorchPickle::Machine::reduce() {
    const PickleValue* args = pop();
    const PickleValue* callable = pop();
    if (callable->kind != Kind::Global) {
        fail("REDUCE calls " + std::string(pickleKindName(callable->kind)) + ", not a function");
    }
    if (args->kind != Kind::Tuple) {
        fail("REDUCE's arguments are " + std::string(pickleKindName(args->kind)) + ", not a tuple");
    }
    const AllowedGlobal& function = *findGlobal(callable->text);
    switch (function.role) {
        case Role::OrderedDict:
            if (!args->items.empty()) {
                fail("collections.OrderedDict is called with arguments");
            }
            push(make(Kind::Dict));
            return;
        case Role::RebuildTensor:
        case Role::RebuildTensorV2:
        case Role::RebuildTensorV3:
            push(rebuildTensor(function, args->items));
            return;
        case Role::RebuildParameter:
            if (args->items.size() < 3 || args->items[0]->kind != Kind::Tensor) {
                fail(std::string(function.name) + " does not get a tensor");
            }
            push(args->items[0]);
            return;
        case Role::RestoreTypeTag:
            if (args->items.size() != 2) {
                fail("restore_type_tag takes 2 arguments");
            }
            push(args->items[0]);
            return;
        default:
            fail(std::string(function.name) + " cannot be called");
    }
}

TorchPickle::TorchPickle(std::span<const std::uint8_t> bytes, const std::filesystem::path& path) {
    root_ = Machine(*this, bytes, path).run();
}

}  // namespace storyreel::infer
