// Progress: what long work reports, typed by phase so the UI can say what is happening.
//
//   ProgressSink sink = [](const Progress& p) { printf("%d/%d\n", p.step, p.steps); };
//   sink({Phase::Denoising, 3, 30, 41.5});
//
// Thread-safety: a sink is called on the working thread; it must hand data to other
// threads itself (the UI worker turns it into a queued signal).
#pragma once

#include <functional>
#include <string_view>

namespace storyreel {

enum class Phase { Loading, Encoding, Denoising, Decoding, Muxing };

struct Progress {
    Phase phase = Phase::Loading;
    int step = 0;
    int steps = 0;
    double etaSeconds = -1.0;  // negative: unknown
};

using ProgressSink = std::function<void(const Progress&)>;

constexpr std::string_view phaseName(Phase phase) {
    switch (phase) {
        case Phase::Loading:
            return "loading";
        case Phase::Encoding:
            return "encoding";
        case Phase::Denoising:
            return "denoising";
        case Phase::Decoding:
            return "decoding";
        case Phase::Muxing:
            return "muxing";
    }
    return "unknown";
}

}  // namespace storyreel
