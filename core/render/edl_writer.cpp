// CMX3600 EDL: one video event per shot, clip names in comments (reel "AX"), record time
// from 01:00:00:00, non-drop-frame timecode at the nearest whole rate. A crossfade is a
// dissolve event starting where the shots begin to overlap.
#include "core/render/timeline_cuts.h"
#include "core/render/timeline_files.h"

#include <cmath>
#include <cstdio>

namespace storyreel::render {
namespace {

std::string timecode(long frames, long rate) {
    char text[64];
    std::snprintf(text, sizeof text, "%02ld:%02ld:%02ld:%02ld", frames / (3600 * rate),
                  frames / (60 * rate) % 60, frames / rate % 60, frames % rate);
    return text;
}

std::string eventLine(int event, const char* kind, long sourceIn, long sourceOut, long recordIn,
                      long recordOut, long rate) {
    char text[160];
    std::snprintf(text, sizeof text, "%03d  AX       V     %-4s %s %s %s %s\n", event, kind,
                  timecode(sourceIn, rate).c_str(), timecode(sourceOut, rate).c_str(),
                  timecode(recordIn, rate).c_str(), timecode(recordOut, rate).c_str());
    return text;
}

}  // namespace

std::string timelineToEdl(const TimelinePlan& plan) {
    const long rate = std::max(1L, std::lround(plan.fps));
    const long hour = 3600 * rate;  // record time starts at 01:00:00:00
    std::string edl = "TITLE: " + plan.title + "\nFCM: NON-DROP FRAME\n\n";
    for (std::size_t i = 0; i < plan.clips.size(); ++i) {
        const PlannedClip& clip = plan.clips[i];
        // The clip runs until the next one starts to fade in over it.
        const long end = i + 1 < plan.clips.size() ? plan.clips[i + 1].recordIn : clip.recordOut();
        const long length = end - clip.recordIn;
        const int event = static_cast<int>(i + 1);
        if (clip.fadeIn > 0) {
            const PlannedClip& previous = plan.clips[i - 1];
            const long outgoing = previous.sourceIn + (clip.recordIn - previous.recordIn);
            edl += eventLine(event, "C", outgoing, outgoing, hour + clip.recordIn,
                             hour + clip.recordIn, rate);
            char kind[16];
            std::snprintf(kind, sizeof kind, "D    %03ld", clip.fadeIn);
            edl += eventLine(event, kind, clip.sourceIn, clip.sourceIn + length,
                             hour + clip.recordIn, hour + end, rate);
            edl += "* FROM CLIP NAME: " + previous.source.filename().string() + "\n";
            edl += "* TO CLIP NAME: " + clip.source.filename().string() + "\n";
        } else {
            edl += eventLine(event, "C", clip.sourceIn, clip.sourceIn + length,
                             hour + clip.recordIn, hour + end, rate);
            edl += "* FROM CLIP NAME: " + clip.source.filename().string() + "\n";
        }
        edl += "* SOURCE FILE: " + clip.source.string() + "\n\n";
    }
    return edl;
}

}  // namespace storyreel::render
