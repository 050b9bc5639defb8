// FCPXML 1.9: a format and one asset per source, and a sequence whose spine holds the
// shots' visible parts end to end (asset-clip for takes, video for stills) with Cross
// Dissolve transitions centred on the edit points. Times are exact frame fractions.
#include "core/render/timeline_cuts.h"
#include "core/render/timeline_files.h"
#include "core/render/xml_text.h"

namespace storyreel::render {
namespace {

// "N/Ds" for a number of frames: FCPXML's rational seconds.
std::string seconds(long frames, double fps) {
    long numerator = 0;
    long denominator = 1;
    rateFraction(fps, numerator, denominator);
    return std::to_string(frames * denominator) + "/" + std::to_string(numerator) + "s";
}

std::string spineItem(const TimelinePlan& plan, std::size_t i) {
    const PlannedClip& clip = plan.clips[i];
    const VisiblePart part = visiblePart(plan, i);
    const std::string element = clip.still ? "video" : "asset-clip";
    return "          <" + element + " ref=\"r" + std::to_string(i + 1) + "\" name=\"" +
           xmlEscaped(clip.name) + "\" offset=\"" + seconds(part.recordIn, plan.fps) +
           "\" start=\"" + seconds(part.sourceIn, plan.fps) + "\" duration=\"" +
           seconds(part.frames, plan.fps) + "\"/>\n";
}

}  // namespace

std::string timelineToFcpxml(const TimelinePlan& plan) {
    long numerator = 0;
    long denominator = 1;
    rateFraction(plan.fps, numerator, denominator);
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE fcpxml>\n";
    xml += "<fcpxml version=\"1.9\">\n  <resources>\n";
    xml += "    <format id=\"r0\" name=\"Storyreel\" frameDuration=\"" +
           std::to_string(denominator) + "/" + std::to_string(numerator) + "s\" width=\"" +
           std::to_string(plan.width) + "\" height=\"" + std::to_string(plan.height) + "\"/>\n";
    for (std::size_t i = 0; i < plan.clips.size(); ++i) {
        const PlannedClip& clip = plan.clips[i];
        const long length = clip.still ? 0 : clip.sourceIn + clip.frames;
        xml += "    <asset id=\"r" + std::to_string(i + 1) + "\" name=\"" +
               xmlEscaped(clip.source.filename().string()) + "\" src=\"" +
               xmlEscaped(fileUrl(clip.source)) + "\" start=\"0s\" duration=\"" +
               seconds(length, plan.fps) + "\" hasVideo=\"1\" format=\"r0\"/>\n";
    }
    xml += "  </resources>\n  <library>\n    <event name=\"Storyreel\">\n";
    xml += "      <project name=\"" + xmlEscaped(plan.title) + "\">\n";
    xml += "        <sequence format=\"r0\" duration=\"" + seconds(plan.totalFrames(), plan.fps) +
           "\" tcStart=\"0s\" tcFormat=\"NDF\">\n          <spine>\n";
    for (std::size_t i = 0; i < plan.clips.size(); ++i) {
        if (plan.clips[i].fadeIn > 0) {
            const long cut = plan.clips[i].recordIn + fadeBeforeCut(plan, i);
            xml += "          <transition name=\"Cross Dissolve\" offset=\"" +
                   seconds(cut - fadeBeforeCut(plan, i), plan.fps) + "\" duration=\"" +
                   seconds(plan.clips[i].fadeIn, plan.fps) + "\"/>\n";
        }
        xml += spineItem(plan, i);
    }
    xml += "          </spine>\n        </sequence>\n      </project>\n    </event>\n";
    xml += "  </library>\n</fcpxml>\n";
    return xml;
}

}  // namespace storyreel::render
