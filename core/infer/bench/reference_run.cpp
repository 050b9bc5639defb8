#include "core/infer/bench/reference_run.h"

#include "core/base/user_error.h"
#include "core/infer/bench/child_process.h"
#include "core/infer/bench/seeded_checkpoint.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace storyreel::infer::bench {
namespace {

std::vector<std::string> referenceArgv(const StepBenchCommon& o,
                                       const std::vector<std::string>& modeArgs,
                                       const SeededCheckpoint& seeded,
                                       const std::filesystem::path& weightsFile,
                                       const std::filesystem::path& inputsFile,
                                       const std::filesystem::path& outputsFile) {
    std::vector<std::string> argv = {o.python,    o.script.string(),
                                     "--ref",     o.reference.string(),
                                     "--inputs",  inputsFile.string(),
                                     "--device",  o.device,
                                     "--dtype",   o.dtype == at::kBFloat16 ? "bfloat16" : "float32",
                                     "--threads", std::to_string(o.threads),
                                     "--warmup",  std::to_string(o.warmup),
                                     "--repeats", std::to_string(o.repeats)};
    argv.insert(argv.end(), modeArgs.begin(), modeArgs.end());
    if (o.deviceWeights) {
        argv.insert(argv.end(), {"--random-weights", std::to_string(seeded.seed()), "--config",
                                 seeded.referenceConfigJson()});
    } else {
        argv.insert(argv.end(), {"--weights", weightsFile.string()});
    }
    if (!outputsFile.empty()) {
        argv.insert(argv.end(), {"--save", outputsFile.string()});
    }
    return argv;
}

// The figures of the script's report; a missing figure reads as 0 (none as "?" version).
MeasuredRun measuredRun(const JsonValue& json) {
    const auto number = [&](const char* key) {
        const JsonValue* value = json.find(key);
        return value && value->isNumber() ? value->asDouble().value_or(0.0) : 0.0;
    };
    const auto numbers = [&](const char* key) {
        std::vector<double> values;
        if (const JsonValue* list = json.find(key); list != nullptr && list->isArray()) {
            for (const JsonValue& value : list->items()) {
                values.push_back(value.asDouble().value_or(0.0));
            }
        }
        return values;
    };
    const auto bytes = [&](const char* key) {
        return std::max<std::int64_t>(0, static_cast<std::int64_t>(number(key)));
    };
    MeasuredRun m;
    m.seconds = numbers("seconds");
    m.cpuSeconds = numbers("cpu_seconds");
    m.stepPeakBytes = bytes("step_peak_rss_bytes");
    m.processPeakBytes = bytes("peak_rss_bytes");
    m.cudaPeakBytes = bytes("cuda_peak_allocated_bytes");
    m.threads = static_cast<int>(number("threads"));
    const JsonValue* torchVersion = json.find("torch");
    m.version = "torch " + (torchVersion ? torchVersion->text() : std::string("?"));
    return m;
}

}  // namespace

ReferenceReport runReferenceStep(const StepBenchCommon& o, const std::vector<std::string>& modeArgs,
                                 const SeededCheckpoint& seeded,
                                 const std::filesystem::path& weightsFile,
                                 const std::filesystem::path& inputsFile,
                                 const std::filesystem::path& outputsFile) {
    const ChildResult child =
        runChild(referenceArgv(o, modeArgs, seeded, weightsFile, inputsFile, outputsFile));
    const std::string line = lastJsonLine(child.output);
    if (child.exitStatus != 0 || line.empty()) {
        throw UserError("the reference (" + o.script.string() + ") failed with status " +
                        std::to_string(child.exitStatus) + "; its output:\n" + child.output);
    }
    ReferenceReport report;
    try {
        report.json = parseJson(line);
    } catch (const JsonError& e) {
        throw UserError("the reference (" + o.script.string() + ") printed a report that is " +
                        "not JSON (" + e.what() + "): " + line);
    }
    report.run = measuredRun(report.json);
    return report;
}

double relativeError(const at::Tensor& got, const at::Tensor& want) {
    const at::Tensor a = got.to(at::kCPU, at::kDouble);
    const at::Tensor b = want.to(at::kCPU, at::kDouble);
    return (a - b).norm().item<double>() / b.norm().item<double>();
}

}  // namespace storyreel::infer::bench
