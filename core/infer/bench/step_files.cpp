#include "core/infer/bench/step_files.h"

#include "core/infer/bench/seeded_checkpoint.h"

#include <cstdio>

namespace storyreel::infer::bench {

namespace fs = std::filesystem;

fs::path stepWorkFolder(const StepBenchCommon& o, const std::string& defaultName) {
    const fs::path work = o.workDir.empty() ? fs::temp_directory_path() / defaultName : o.workDir;
    fs::create_directories(work);
    return work;
}

StepFiles writeStepFiles(const StepBenchCommon& o, const fs::path& work, const std::string& tag,
                         const NamedTensorList& inputs,
                         const std::map<std::string, std::string>& metadata,
                         const SeededCheckpoint& seeded) {
    StepFiles files;
    files.inputs = work / ("inputs-" + tag + ".safetensors");
    writeSafetensorsFile(files.inputs, inputs, metadata);
    if (!o.deviceWeights) {
        files.weights = work / ("dit-" + tag + ".safetensors");
        if (!fs::exists(files.weights)) {
            std::printf("writing the seeded weights to %s\n", files.weights.string().c_str());
            writeSeededCheckpoint(seeded, files.weights);
        }
    }
    files.referenceOutputs = work / ("reference-out-" + tag + ".safetensors");
    fs::remove(files.referenceOutputs);
    return files;
}

}  // namespace storyreel::infer::bench
