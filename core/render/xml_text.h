// Escapes text for XML attributes and elements (internal to the timeline writers).
#pragma once

#include <string>
#include <string_view>

namespace storyreel::render {

inline std::string xmlEscaped(std::string_view text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace storyreel::render
