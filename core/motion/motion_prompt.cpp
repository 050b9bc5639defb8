#include "core/motion/motion_prompt.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace storyreel::motion {
namespace {

// Lowercase ASCII with French accents folded, so "Arrière" and "arriere" read alike.
std::string normalise(std::string_view text) {
    static const std::map<std::string, char> kFolded = {
        {"à", 'a'}, {"â", 'a'}, {"ä", 'a'}, {"ç", 'c'}, {"é", 'e'}, {"è", 'e'}, {"ê", 'e'},
        {"ë", 'e'}, {"î", 'i'}, {"ï", 'i'}, {"ô", 'o'}, {"ö", 'o'}, {"ù", 'u'}, {"û", 'u'},
        {"ü", 'u'}, {"À", 'a'}, {"É", 'e'}, {"È", 'e'}, {"Ê", 'e'}, {"Ç", 'c'}, {"°", '@'}};
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        bool folded = false;
        for (const auto& [from, to] : kFolded) {
            if (text.substr(i, from.size()) == from) {
                out += to;
                i += from.size();
                folded = true;
                break;
            }
        }
        if (!folded) {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
            ++i;
        }
    }
    return out;
}

// Words, numbers ("12", "2.5", "2,5") and the symbols % and @ (for °).
std::vector<std::string> tokenize(const std::string& text) {
    std::vector<std::string> tokens;
    std::string current;
    const auto flush = [&] {
        if (!current.empty()) {
            tokens.push_back(current);
            current.clear();
        }
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool digit = std::isdigit(static_cast<unsigned char>(c)) != 0;
        const bool decimal = (c == '.' || c == ',') && !current.empty() &&
                             std::isdigit(static_cast<unsigned char>(current.back())) &&
                             i + 1 < text.size() &&
                             std::isdigit(static_cast<unsigned char>(text[i + 1]));
        if (std::isalpha(static_cast<unsigned char>(c)) || digit || decimal) {
            current += decimal ? '.' : c;
        } else {
            flush();
            if (c == '%' || c == '@') {
                tokens.emplace_back(1, c);
            }
        }
    }
    flush();
    return tokens;
}

struct MoveWord {
    MoveKind kind;
    int direction;
    bool directionGiven;
};

// Multi-word phrases first: the longest match wins.
const std::vector<std::pair<std::vector<std::string>, MoveWord>>& movePhrases() {
    static const std::vector<std::pair<std::vector<std::string>, MoveWord>> phrases = {
        {{"contre", "plongee"}, {MoveKind::Tilt, 1, true}},
        {{"travelling", "lateral"}, {MoveKind::Truck, 1, false}},
        {{"a", "l", "epaule"}, {MoveKind::Shake, 1, true}},
        {{"hand", "held"}, {MoveKind::Shake, 1, true}},
        {{"pull", "back"}, {MoveKind::Zoom, -1, true}},
        {{"dutch", "roll"}, {MoveKind::Roll, 1, false}},
        {{"dutch", "angle"}, {MoveKind::Roll, 1, false}},
        {{"push"}, {MoveKind::Zoom, 1, true}},
        {{"pull"}, {MoveKind::Zoom, -1, true}},
        {{"zoom"}, {MoveKind::Zoom, 1, false}},
        {{"zooms"}, {MoveKind::Zoom, 1, false}},
        {{"zooming"}, {MoveKind::Zoom, 1, false}},
        {{"dolly"}, {MoveKind::Dolly, 1, false}},
        {{"travelling"}, {MoveKind::Dolly, 1, false}},
        {{"pan"}, {MoveKind::Pan, 1, false}},
        {{"pans"}, {MoveKind::Pan, 1, false}},
        {{"panning"}, {MoveKind::Pan, 1, false}},
        {{"panoramique"}, {MoveKind::Pan, 1, false}},
        {{"pano"}, {MoveKind::Pan, 1, false}},
        {{"tilt"}, {MoveKind::Tilt, 1, false}},
        {{"tilts"}, {MoveKind::Tilt, 1, false}},
        {{"tilting"}, {MoveKind::Tilt, 1, false}},
        {{"plongee"}, {MoveKind::Tilt, -1, true}},
        {{"truck"}, {MoveKind::Truck, 1, false}},
        {{"trucking"}, {MoveKind::Truck, 1, false}},
        {{"track"}, {MoveKind::Truck, 1, false}},
        {{"tracking"}, {MoveKind::Truck, 1, false}},
        {{"pedestal"}, {MoveKind::Pedestal, 1, false}},
        {{"crane"}, {MoveKind::Pedestal, 1, false}},
        {{"boom"}, {MoveKind::Pedestal, 1, false}},
        {{"grue"}, {MoveKind::Pedestal, 1, false}},
        {{"orbit"}, {MoveKind::Orbit, 1, false}},
        {{"orbits"}, {MoveKind::Orbit, 1, false}},
        {{"orbiting"}, {MoveKind::Orbit, 1, false}},
        {{"orbite"}, {MoveKind::Orbit, 1, false}},
        {{"arc"}, {MoveKind::Orbit, 1, false}},
        {{"circle"}, {MoveKind::Orbit, 1, false}},
        {{"roll"}, {MoveKind::Roll, 1, false}},
        {{"dutch"}, {MoveKind::Roll, 1, false}},
        {{"rotation"}, {MoveKind::Roll, 1, false}},
        {{"bascule"}, {MoveKind::Roll, 1, false}},
        {{"handheld"}, {MoveKind::Shake, 1, true}},
        {{"shake"}, {MoveKind::Shake, 1, true}},
        {{"shaky"}, {MoveKind::Shake, 1, true}},
        {{"shaking"}, {MoveKind::Shake, 1, true}},
        {{"wobble"}, {MoveKind::Shake, 1, true}},
        {{"tremblement"}, {MoveKind::Shake, 1, true}},
        {{"portee"}, {MoveKind::Shake, 1, true}},
    };
    return phrases;
}

enum class Axis { Horizontal, Vertical, Depth, Turn };

// Direction words and the axis they steer.
const std::map<std::string, std::pair<Axis, int>>& directionWords() {
    static const std::map<std::string, std::pair<Axis, int>> words = {
        {"left", {Axis::Horizontal, -1}},
        {"gauche", {Axis::Horizontal, -1}},
        {"right", {Axis::Horizontal, 1}},
        {"droite", {Axis::Horizontal, 1}},
        {"up", {Axis::Vertical, 1}},
        {"upward", {Axis::Vertical, 1}},
        {"upwards", {Axis::Vertical, 1}},
        {"haut", {Axis::Vertical, 1}},
        {"montant", {Axis::Vertical, 1}},
        {"montante", {Axis::Vertical, 1}},
        {"down", {Axis::Vertical, -1}},
        {"downward", {Axis::Vertical, -1}},
        {"downwards", {Axis::Vertical, -1}},
        {"bas", {Axis::Vertical, -1}},
        {"descendant", {Axis::Vertical, -1}},
        {"descendante", {Axis::Vertical, -1}},
        {"in", {Axis::Depth, 1}},
        {"avant", {Axis::Depth, 1}},
        {"forward", {Axis::Depth, 1}},
        {"closer", {Axis::Depth, 1}},
        {"out", {Axis::Depth, -1}},
        {"back", {Axis::Depth, -1}},
        {"backward", {Axis::Depth, -1}},
        {"arriere", {Axis::Depth, -1}},
        {"away", {Axis::Depth, -1}},
        {"clockwise", {Axis::Turn, 1}},
        {"counterclockwise", {Axis::Turn, -1}},
        {"anticlockwise", {Axis::Turn, -1}},
    };
    return words;
}

bool axisFits(MoveKind kind, Axis axis) {
    switch (kind) {
        case MoveKind::Pan:
        case MoveKind::Truck:
        case MoveKind::Orbit:
            return axis == Axis::Horizontal;
        case MoveKind::Roll:
            return axis == Axis::Horizontal || axis == Axis::Turn;
        case MoveKind::Tilt:
        case MoveKind::Pedestal:
            return axis == Axis::Vertical;
        case MoveKind::Zoom:
        case MoveKind::Dolly:
            return axis == Axis::Depth;
        case MoveKind::Shake:
            return false;
    }
    return false;
}

const std::set<std::string>& slowWords() {
    static const std::set<std::string> words = {
        "slow", "slowly", "gentle",    "gently",    "subtle", "subtly", "soft",       "softly",
        "lent", "lente",  "lentement", "doucement", "leger",  "legere", "legerement", "calm"};
    return words;
}

const std::set<std::string>& fastWords() {
    static const std::set<std::string> words = {"fast",    "quick",  "quickly",    "rapid",
                                                "rapidly", "rapide", "rapidement", "vite",
                                                "brusque", "sudden", "suddenly",   "whip"};
    return words;
}

const std::set<std::string>& holdWords() {
    static const std::set<std::string> words = {"static",  "still",  "locked", "hold",  "holds",
                                                "holding", "freeze", "fixe",   "fixed", "immobile",
                                                "pause",   "tenir",  "reste",  "stay"};
    return words;
}

const std::set<std::string>& thenWords() {
    static const std::set<std::string> words = {
        "then", "puis", "ensuite", "after", "afterwards", "apres", "finally", "enfin", "next"};
    return words;
}

// Words that carry no motion and are not worth a warning.
const std::set<std::string>& fillerWords() {
    static const std::set<std::string> words = {
        "the",     "a",        "an",      "to",       "of",      "on",       "at",        "by",
        "camera",  "cam",      "shot",    "and",      "while",   "as",       "with",      "also",
        "plus",    "it",       "its",     "her",      "his",     "their",    "she",       "he",
        "they",    "we",       "towards", "toward",   "into",    "onto",     "across",    "over",
        "through", "slightly", "bit",     "little",   "off",     "very",     "tres",      "vers",
        "la",      "le",       "les",     "l",        "un",      "une",      "de",        "du",
        "des",     "d",        "sur",     "sa",       "son",     "ses",      "et",        "pendant",
        "tandis",  "que",      "qu",      "en",       "camera",  "plan",     "lentement", "ease",
        "linear",  "lineaire", "smooth",  "smoothly", "fluide",  "steady",   "constant",  "degrees",
        "degree",  "deg",      "degres",  "degre",    "percent", "pourcent", "pour",      "cent",
        "%",       "@",        "il",      "elle",     "ils",     "elles",    "is",        "are",
        "be",      "this",     "that",    "ce",       "cette",   "sides",    "side",      "cote",
        "from",    "depuis"};
    return words;
}

bool isNumber(const std::string& token, double& value) {
    const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
    return error == std::errc() && end == token.data() + token.size();
}

bool usesPercent(MoveKind kind) {
    return kind == MoveKind::Zoom || kind == MoveKind::Dolly || kind == MoveKind::Truck ||
           kind == MoveKind::Pedestal || kind == MoveKind::Shake;
}

std::string moveLabel(const Move& move) {
    static constexpr const char* kWords[][2] = {
        {"zoom out", "zoom in"},          {"pan left", "pan right"},
        {"tilt down", "tilt up"},         {"truck left", "truck right"},
        {"pedestal down", "pedestal up"}, {"dolly out", "dolly in"},
        {"orbit left", "orbit right"},    {"roll counterclockwise", "roll clockwise"},
        {"handheld", "handheld"}};
    std::string label = kWords[static_cast<int>(move.kind)][move.direction > 0 ? 1 : 0];
    if (move.amount >= 0.0) {
        char amount[32];
        if (usesPercent(move.kind)) {
            std::snprintf(amount, sizeof amount, " %g%%", move.amount * 100.0);
        } else {
            std::snprintf(amount, sizeof amount, " %g°", move.amount);
        }
        label += amount;
    }
    return label;
}

// The chips the UI shows, in a fixed vocabulary whatever the prompt's language.
std::vector<std::string> describe(const std::vector<MotionSegment>& segments) {
    std::vector<std::string> chips;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const MotionSegment& segment = segments[i];
        if (i > 0) {
            chips.emplace_back("then");
        }
        if (segment.moves.empty()) {
            chips.emplace_back("hold");
            continue;
        }
        if (segment.speed < 0.45) {
            chips.emplace_back("very slow");
        } else if (segment.speed < 1.0) {
            chips.emplace_back("slow");
        } else if (segment.speed > 2.5) {
            chips.emplace_back("very fast");
        } else if (segment.speed > 1.0) {
            chips.emplace_back("fast");
        }
        static constexpr const char* kEasing[] = {"linear", "ease in", "ease out", ""};
        if (segment.easing != Easing::EaseInOut) {
            chips.emplace_back(kEasing[static_cast<int>(segment.easing)]);
        }
        for (const Move& move : segment.moves) {
            chips.push_back(moveLabel(move));
        }
    }
    return chips;
}

class PromptReader {
public:
    explicit PromptReader(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {}

    MotionPlan read() {
        while (i_ < tokens_.size()) {
            if (!(readEasing() || readMove() || readDirection() || readAmount() || readWords())) {
                if (!fillerWords().contains(tokens_[i_])) {
                    plan_.ignored.push_back(tokens_[i_]);
                }
                ++i_;
            }
        }
        endSegment();
        if (plan_.segments.empty()) {
            plan_.segments.emplace_back();  // nothing understood: a still shot
        }
        plan_.understood = describe(plan_.segments);
        return std::move(plan_);
    }

private:
    bool at(std::size_t offset, const char* word) const {
        return i_ + offset < tokens_.size() && tokens_[i_ + offset] == word;
    }

    void endSegment() {
        if (!segment_.moves.empty() || hold_) {
            plan_.segments.push_back(segment_);
        }
        segment_ = MotionSegment{};
        directionGiven_.clear();
        hold_ = false;
    }

    bool readEasing() {
        if (at(0, "ease")) {
            const bool in = at(1, "in");
            const bool out = at(1, "out") || (in && at(2, "out"));
            segment_.easing = in && out ? Easing::EaseInOut
                              : in      ? Easing::EaseIn
                              : out     ? Easing::EaseOut
                                        : Easing::EaseInOut;
            i_ += 1 + (in ? 1 : 0) + (out ? 1 : 0);
            return true;
        }
        for (const char* word : {"linear", "lineaire", "constant", "steady", "steadily"}) {
            if (at(0, word)) {
                segment_.easing = Easing::Linear;
                ++i_;
                return true;
            }
        }
        return false;
    }

    bool readMove() {
        for (const auto& [words, move] : movePhrases()) {
            bool matches = true;
            for (std::size_t k = 0; k < words.size() && matches; ++k) {
                matches = at(k, words[k].c_str());
            }
            if (matches) {
                Move added{move.kind, move.direction, -1.0};
                if (pendingAmount_ >= 0.0) {
                    added.amount = pendingPercent_ ? pendingAmount_ / 100.0 : pendingAmount_;
                    pendingAmount_ = -1.0;
                }
                segment_.moves.push_back(added);
                directionGiven_.push_back(move.directionGiven);
                i_ += words.size();
                return true;
            }
        }
        return false;
    }

    // Steers the latest move that accepts this direction and has none yet.
    bool readDirection() {
        const auto it = directionWords().find(tokens_[i_]);
        if (it == directionWords().end()) {
            return false;
        }
        for (std::size_t k = segment_.moves.size(); k-- > 0;) {
            if (!directionGiven_[k] && axisFits(segment_.moves[k].kind, it->second.first)) {
                segment_.moves[k].direction = it->second.second;
                directionGiven_[k] = true;
                break;
            }
        }
        ++i_;  // a direction with nothing to steer ("in the wind") is not a warning
        return true;
    }

    bool readAmount() {
        double value = 0.0;
        if (!isNumber(tokens_[i_], value)) {
            return false;
        }
        const bool percent =
            at(1, "%") || at(1, "percent") || at(1, "pourcent") || (at(1, "pour") && at(2, "cent"));
        const bool degrees = at(1, "@") || at(1, "degrees") || at(1, "degree") || at(1, "deg") ||
                             at(1, "degres") || at(1, "degre");
        i_ += 1 + (percent || degrees ? (at(1, "pour") ? 2 : 1) : 0);
        if (!percent && !degrees) {
            plan_.ignored.push_back(tokens_[i_ - 1]);
            return true;
        }
        if (!segment_.moves.empty() && segment_.moves.back().amount < 0.0) {
            segment_.moves.back().amount = percent ? value / 100.0 : value;
        } else {
            pendingAmount_ = value;
            pendingPercent_ = percent;
        }
        return true;
    }

    bool readWords() {
        const std::string& token = tokens_[i_];
        if (token == "very" || token == "tres" || token == "really" || token == "extremely") {
            intensity_ = 1.5;
        } else if (slowWords().contains(token)) {
            segment_.speed = 1.0 / (2.0 * intensity_);
            intensity_ = 1.0;
        } else if (fastWords().contains(token)) {
            segment_.speed = 2.0 * intensity_;
            intensity_ = 1.0;
        } else if (holdWords().contains(token)) {
            if (!segment_.moves.empty()) {
                endSegment();  // "push in and hold": the hold follows the move
            }
            hold_ = true;
        } else if (thenWords().contains(token)) {
            endSegment();
        } else if (token == "smooth" || token == "smoothly" || token == "fluide") {
            segment_.easing = Easing::EaseInOut;
        } else {
            return false;
        }
        ++i_;
        return true;
    }

    std::vector<std::string> tokens_;
    std::size_t i_ = 0;
    MotionPlan plan_;
    MotionSegment segment_;
    std::vector<bool> directionGiven_;
    bool hold_ = false;
    double intensity_ = 1.0;
    double pendingAmount_ = -1.0;
    bool pendingPercent_ = false;
};

}  // namespace

bool MotionPlan::isStatic() const {
    for (const MotionSegment& segment : segments) {
        if (!segment.moves.empty()) {
            return false;
        }
    }
    return true;
}

std::string_view moveKindName(MoveKind kind) {
    static constexpr std::string_view kNames[] = {"zoom",  "pan",   "tilt", "truck", "pedestal",
                                                  "dolly", "orbit", "roll", "shake"};
    return kNames[static_cast<int>(kind)];
}

MotionPlan parseMotionPrompt(std::string_view prompt) {
    return PromptReader(tokenize(normalise(prompt))).read();
}

}  // namespace storyreel::motion
