// Reading the transformers / HunyuanVideo config fields the text encoders need (LlavaConfig,
// LlamaConfig, CLIPVisionConfig, CLIPTextConfig, CLIPImageProcessor, PROMPT_TEMPLATE) from a
// parsed JSON object, with the reference default when a key is absent and a UserError naming
// the config and the key when a value has the wrong type.
//
//   const std::int64_t layers = jsonInt(textConfig, "num_hidden_layers", 32, "Llama config");
//   const JsonValue* vision = jsonObject(llava, "vision_config", "LLaVA config");
//
// Thread-safety: pure functions.
#pragma once

#include "core/infer/weights/json_value.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer::hunyuan {

std::int64_t jsonInt(const JsonValue& json, std::string_view key, std::int64_t fallback,
                     std::string_view context);
double jsonDouble(const JsonValue& json, std::string_view key, double fallback,
                  std::string_view context);
bool jsonBool(const JsonValue& json, std::string_view key, bool fallback, std::string_view context);
// A string, or `fallback` when the key is absent or null.
std::string jsonString(const JsonValue& json, std::string_view key, std::string fallback,
                       std::string_view context);
std::vector<double> jsonDoubles(const JsonValue& json, std::string_view key,
                                std::vector<double> fallback, std::string_view context);
// The object under `key`, or nullptr when absent or null; throws for another kind.
const JsonValue* jsonObject(const JsonValue& json, std::string_view key, std::string_view context);
// True when `key` is present with a value other than null.
bool jsonHas(const JsonValue& json, std::string_view key);

}  // namespace storyreel::infer::hunyuan
