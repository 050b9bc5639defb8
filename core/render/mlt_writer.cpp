// MLT XML: one producer per shot, a playlist of the shots' visible parts, and for each
// crossfade a tractor that overlaps the outgoing tail and the incoming head with a luma
// (dissolve) and a mix (audio) transition, as Shotcut writes them. Producers and tractors
// come before the playlist that uses them: MLT resolves ids in document order.
#include "core/render/timeline_cuts.h"
#include "core/render/timeline_files.h"
#include "core/render/xml_text.h"

namespace storyreel::render {
namespace {

std::string producer(const TimelinePlan& plan, std::size_t i) {
    const PlannedClip& clip = plan.clips[i];
    const long length = clip.sourceIn + clip.frames;
    std::string xml = "  <producer id=\"producer" + std::to_string(i) + "\" in=\"0\" out=\"" +
                      std::to_string(length - 1) + "\">\n";
    xml += "    <property name=\"resource\">" + xmlEscaped(clip.source.string()) + "</property>\n";
    xml += "    <property name=\"length\">" + std::to_string(length) + "</property>\n";
    xml += "    <property name=\"shotcut:caption\">" + xmlEscaped(clip.name) + "</property>\n";
    return xml + "  </producer>\n";
}

std::string crossfade(const TimelinePlan& plan, std::size_t i) {
    const PlannedClip& out = plan.clips[i - 1];
    const PlannedClip& in = plan.clips[i];
    const long tailIn = out.sourceIn + out.frames - in.fadeIn;
    std::string xml = "  <tractor id=\"crossfade" + std::to_string(i) + "\" in=\"0\" out=\"" +
                      std::to_string(in.fadeIn - 1) + "\">\n";
    xml += "    <property name=\"shotcut:transition\">lumaMix</property>\n";
    xml += "    <track producer=\"producer" + std::to_string(i - 1) + "\" in=\"" +
           std::to_string(tailIn) + "\" out=\"" + std::to_string(tailIn + in.fadeIn - 1) + "\"/>\n";
    xml += "    <track producer=\"producer" + std::to_string(i) + "\" in=\"" +
           std::to_string(in.sourceIn) + "\" out=\"" + std::to_string(in.sourceIn + in.fadeIn - 1) +
           "\"/>\n";
    xml +=
        "    <transition mlt_service=\"luma\"><property name=\"a_track\">0</property>"
        "<property name=\"b_track\">1</property></transition>\n";
    xml +=
        "    <transition mlt_service=\"mix\"><property name=\"a_track\">0</property>"
        "<property name=\"b_track\">1</property><property name=\"start\">-1</property>"
        "</transition>\n";
    return xml + "  </tractor>\n";
}

}  // namespace

std::string timelineToMlt(const TimelinePlan& plan) {
    long numerator = 0;
    long denominator = 1;
    rateFraction(plan.fps, numerator, denominator);
    std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
    xml += "<mlt LC_NUMERIC=\"C\" version=\"7.12.0\" title=\"" + xmlEscaped(plan.title) +
           "\" producer=\"main\">\n";
    xml += "  <profile description=\"Storyreel\" width=\"" + std::to_string(plan.width) +
           "\" height=\"" + std::to_string(plan.height) +
           "\" progressive=\"1\" sample_aspect_num=\"1\" sample_aspect_den=\"1\" "
           "display_aspect_num=\"" +
           std::to_string(plan.width) + "\" display_aspect_den=\"" + std::to_string(plan.height) +
           "\" frame_rate_num=\"" + std::to_string(numerator) + "\" frame_rate_den=\"" +
           std::to_string(denominator) + "\" colorspace=\"709\"/>\n";
    for (std::size_t i = 0; i < plan.clips.size(); ++i) {
        xml += producer(plan, i);
    }
    for (std::size_t i = 1; i < plan.clips.size(); ++i) {
        if (plan.clips[i].fadeIn > 0) {
            xml += crossfade(plan, i);
        }
    }
    xml += "  <playlist id=\"playlist0\">\n";
    xml += "    <property name=\"shotcut:video\">1</property>\n";
    for (std::size_t i = 0; i < plan.clips.size(); ++i) {
        const PlannedClip& clip = plan.clips[i];
        if (clip.fadeIn > 0) {
            xml += "    <entry producer=\"crossfade" + std::to_string(i) + "\" in=\"0\" out=\"" +
                   std::to_string(clip.fadeIn - 1) + "\"/>\n";
        }
        const long next = i + 1 < plan.clips.size() ? plan.clips[i + 1].fadeIn : 0;
        const long first = clip.sourceIn + clip.fadeIn;
        const long last = clip.sourceIn + clip.frames - next - 1;
        if (last >= first) {
            xml += "    <entry producer=\"producer" + std::to_string(i) + "\" in=\"" +
                   std::to_string(first) + "\" out=\"" + std::to_string(last) + "\"/>\n";
        }
    }
    xml += "  </playlist>\n";
    xml += "  <tractor id=\"main\" title=\"" + xmlEscaped(plan.title) + "\">\n";
    xml += "    <track producer=\"playlist0\"/>\n  </tractor>\n</mlt>\n";
    return xml;
}

}  // namespace storyreel::render
