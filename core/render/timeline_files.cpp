#include "core/render/timeline_files.h"

#include "core/base/atomic_file.h"

#include <cctype>
#include <cstdio>

namespace storyreel::render {

std::string fileUrl(const std::filesystem::path& absolutePath) {
    std::string url = "file://";
    for (const unsigned char c : absolutePath.generic_string()) {
        const bool plain =
            std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~';
        if (plain) {
            url += static_cast<char>(c);
        } else {
            char escaped[4];
            std::snprintf(escaped, sizeof escaped, "%%%02X", c);
            url += escaped;
        }
    }
    return url;
}

void writeTimelineFile(const project::Project& project, const std::filesystem::path& file,
                       TimelineFormat format, bool usePlaceholders) {
    project::Project absolute = project;
    absolute.folder = std::filesystem::absolute(project.folder);
    const TimelinePlan plan = planTimeline(absolute, usePlaceholders);
    switch (format) {
        case TimelineFormat::Mlt:
            writeFileAtomically(file, timelineToMlt(plan));
            break;
        case TimelineFormat::Edl:
            writeFileAtomically(file, timelineToEdl(plan));
            break;
        case TimelineFormat::Fcpxml:
            writeFileAtomically(file, timelineToFcpxml(plan));
            break;
        case TimelineFormat::Otio:
            writeFileAtomically(file, timelineToOtio(plan));
            break;
    }
}

}  // namespace storyreel::render
