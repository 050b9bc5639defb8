#include "core/infer/bench/step_bench_options.h"

#include "core/base/user_error.h"

#include <charconv>

namespace storyreel::infer::bench {

std::int64_t integerOption(const std::string& option, const std::string& text, std::int64_t min,
                           std::int64_t max) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
        throw UserError(option + " must be a whole number from " + std::to_string(min) + " to " +
                        std::to_string(max) + ", not '" + text + "'");
    }
    return value;
}

OptionSetters commonStepSetters(StepBenchCommon& o) {
    return {
        {"--frames", [&o](auto& k, auto& v) { o.frames = integerOption(k, v, 1, 1021); }},
        {"--height", [&o](auto& k, auto& v) { o.height = integerOption(k, v, 16, 8192); }},
        {"--width", [&o](auto& k, auto& v) { o.width = integerOption(k, v, 16, 8192); }},
        {"--threads", [&o](auto& k, auto& v) { o.threads = integerOption(k, v, 1, 1024); }},
        {"--warmup", [&o](auto& k, auto& v) { o.warmup = integerOption(k, v, 0, 100); }},
        {"--repeats", [&o](auto& k, auto& v) { o.repeats = integerOption(k, v, 1, 1000); }},
        {"--rounds", [&o](auto& k, auto& v) { o.rounds = integerOption(k, v, 1, 100); }},
        {"--seed", [&o](auto& k, auto& v) { o.seed = integerOption(k, v, 0, 1LL << 40); }},
        {"--device", [&o](auto&, auto& v) { o.device = v; }},
        {"--profile", [&o](auto&, auto& v) { o.profile = v; }},
        {"--resident-blocks",
         [&o](auto& k, auto& v) { o.residentBlocks = integerOption(k, v, 0, 1000); }},
        {"--ref", [&o](auto&, auto& v) { o.reference = v; }},
        {"--python", [&o](auto&, auto& v) { o.python = v; }},
        {"--script", [&o](auto&, auto& v) { o.script = v; }},
        {"--work", [&o](auto&, auto& v) { o.workDir = v; }},
        {"--dtype",
         [&o](auto& k, auto& v) {
             if (v != "float32" && v != "bfloat16") {
                 throw UserError(k + " must be float32 or bfloat16, not '" + v + "'");
             }
             o.dtype = v == "float32" ? at::kFloat : at::kBFloat16;
         }},
    };
}

void applyOptions(const std::vector<std::string>& args, const OptionSetters& setters,
                  const std::map<std::string, bool*>& flags, const std::string& usage) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (const auto flag = flags.find(args[i]); flag != flags.end()) {
            *flag->second = true;
            continue;
        }
        const auto setter = setters.find(args[i]);
        if (setter == setters.end()) {
            throw UserError("unknown option '" + args[i] + "'\n" + usage);
        }
        if (i + 1 >= args.size()) {
            throw UserError(args[i] + " needs a value\n" + usage);
        }
        setter->second(args[i], args[i + 1]);
        ++i;
    }
}

}  // namespace storyreel::infer::bench
