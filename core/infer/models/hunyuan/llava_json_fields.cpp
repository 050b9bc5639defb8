#include "core/infer/models/hunyuan/llava_json_fields.h"

#include "core/base/user_error.h"

#include <optional>
#include <utility>

namespace storyreel::infer::hunyuan {
namespace {

UserError fieldError(std::string_view context, std::string_view key, std::string_view problem) {
    return UserError(std::string(context) + ": \"" + std::string(key) + "\" " +
                     std::string(problem));
}

const JsonValue* present(const JsonValue& json, std::string_view key) {
    const JsonValue* value = json.isObject() ? json.find(key) : nullptr;
    return value == nullptr || value->kind() == JsonValue::Kind::Null ? nullptr : value;
}

}  // namespace

bool jsonHas(const JsonValue& json, std::string_view key) {
    return present(json, key) != nullptr;
}

std::int64_t jsonInt(const JsonValue& json, std::string_view key, std::int64_t fallback,
                     std::string_view context) {
    const JsonValue* value = present(json, key);
    if (value == nullptr) {
        return fallback;
    }
    const std::optional<std::int64_t> number = value->asInt64();
    if (!number) {
        throw fieldError(context, key, "must be an integer");
    }
    return *number;
}

double jsonDouble(const JsonValue& json, std::string_view key, double fallback,
                  std::string_view context) {
    const JsonValue* value = present(json, key);
    if (value == nullptr) {
        return fallback;
    }
    const std::optional<double> number = value->asDouble();
    if (!number) {
        throw fieldError(context, key, "must be a number");
    }
    return *number;
}

bool jsonBool(const JsonValue& json, std::string_view key, bool fallback,
              std::string_view context) {
    const JsonValue* value = present(json, key);
    if (value == nullptr) {
        return fallback;
    }
    if (value->kind() != JsonValue::Kind::Bool) {
        throw fieldError(context, key, "must be true or false");
    }
    return value->boolean();
}

std::string jsonString(const JsonValue& json, std::string_view key, std::string fallback,
                       std::string_view context) {
    const JsonValue* value = present(json, key);
    if (value == nullptr) {
        return fallback;
    }
    if (!value->isString()) {
        throw fieldError(context, key, "must be a string");
    }
    return value->text();
}

std::vector<double> jsonDoubles(const JsonValue& json, std::string_view key,
                                std::vector<double> fallback, std::string_view context) {
    const JsonValue* value = present(json, key);
    if (value == nullptr) {
        return fallback;
    }
    if (!value->isArray()) {
        throw fieldError(context, key, "must be a list of numbers");
    }
    std::vector<double> out;
    for (const JsonValue& item : value->items()) {
        const std::optional<double> number = item.asDouble();
        if (!number) {
            throw fieldError(context, key, "must be a list of numbers");
        }
        out.push_back(*number);
    }
    return out;
}

const JsonValue* jsonObject(const JsonValue& json, std::string_view key, std::string_view context) {
    const JsonValue* value = present(json, key);
    if (value != nullptr && !value->isObject()) {
        throw fieldError(context, key, "must be an object");
    }
    return value;
}

}  // namespace storyreel::infer::hunyuan
